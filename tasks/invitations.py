"""Invitation letters: send a video answering three questions, by the deadline."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from prefect import task

from scoring.config import ProgramConfig
from tasks.email import Letter, letter_from_template

MONTHS = {
    "nb": ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
           "oktober", "november", "desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}


def long_date(day: dt.date, locale: str) -> str:
    separator = ". " if locale == "nb" else " "
    return f"{day.day}{separator}{MONTHS[locale][day.month - 1]} {day.year}"


@task
def invitation_letters(table: pd.DataFrame, config: ProgramConfig) -> list[Letter]:
    locale = config.program.locale
    invited = table[table["status"] == "invited"]
    return [
        letter_from_template(
            f"{locale}/invitation.txt", row.applicant_id, row.email,
            name=row.name, applicant_id=row.applicant_id, program_name=config.program.name,
            max_seconds=int(config.video.max_seconds), questions=config.video.questions,
            deadline=long_date(config.video.submission_deadline, locale),
            hr_email=config.program.hr_email)
        for row in invited.reset_index().itertuples()
    ]
