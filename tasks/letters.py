"""The letters the pipeline writes: invitations, rejected videos, summaries for HR."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from scoring import report
from scoring.config import ProgramConfig
from scoring.record import Status
from tasks import task
from tasks.email import Attachment, Letter, letter_from_template
from tasks.packets import Packet
from tasks.render import labels

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
    invited = table[table["status"] == Status.INVITED]
    return [
        letter_from_template(
            f"{locale}/invitation.txt", row["applicant_id"], row["email"],
            name=row["name"], applicant_id=row["applicant_id"],
            program_name=config.program.name, max_seconds=int(config.video.max_seconds),
            questions=config.video.questions,
            deadline=long_date(config.video.submission_deadline, locale),
            hr_email=config.program.hr_email)
        for row in invited.reset_index().to_dict("records")
    ]


@task
def rejection_letters(table: pd.DataFrame, problems: pd.Series,
                      config: ProgramConfig) -> list[Letter]:
    """One letter per applicant whose video failed the checks, naming each problem and its fix.
    `problems` holds the comma-separated problem codes per applicant id."""
    locale = config.program.locale
    rejected = table[table["status"] == Status.VIDEO_REJECTED].join(problems.rename("codes"))
    return [
        letter_from_template(
            f"{locale}/video_rejected.txt", row["applicant_id"], row["email"],
            t=labels(locale), name=row["name"], applicant_id=row["applicant_id"],
            program_name=config.program.name, problems=row["codes"].split(","),
            max_seconds=int(config.video.max_seconds),
            min_seconds=int(config.video.min_seconds),
            deadline=long_date(config.video.submission_deadline, locale),
            hr_email=config.program.hr_email)
        for row in rejected.reset_index().to_dict("records")
    ]


@task
def summary_letter(stage: str, table: pd.DataFrame, config: ProgramConfig,
                   outputs: dict[str, Path]) -> Letter:
    """The run's outcome for HR, as counts and where to read more."""
    locale = config.program.locale
    return letter_from_template(
        f"{locale}/{stage}_summary.txt", "hr", config.program.hr_email, t=labels(locale),
        program_name=config.program.name, funnel=report.funnel(table),
        rejected=int((table["status"] == Status.VIDEO_REJECTED).sum()),
        report=outputs["report"], shortlist=outputs.get("shortlist_csv", "-"))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@task
def packet_letters(packets: list[Packet], config: ProgramConfig) -> list[Letter]:
    """One letter per leader: where to watch the videos, and the ranking sheet attached."""
    locale = config.program.locale
    deadline = config.packets.reply_deadline
    base = config.packets.video_link_base
    return [
        letter_from_template(
            f"{locale}/leader_packet.txt", packet.leader.id, packet.leader.email,
            html="leader_packet.html",
            attachments=(Attachment(packet.sheet.name, packet.sheet.read_bytes(), XLSX,
                                    packet.sheet_identity),),
            locale=locale, t=labels(locale), leader_name=packet.leader.name,
            program_name=config.program.name, available=packet.available,
            unavailable=packet.unavailable,
            link=f"{base.rstrip('/')}/{packet.leader.id}/index.html" if base else
            f"packets/{packet.leader.id}/index.html",
            min_ranked=config.matching.min_ranked,
            per_leader=config.matching.mentors_per_leader,
            reply_deadline=long_date(deadline, locale) if deadline else None,
            hr_email=config.program.hr_email)
        for packet in packets
    ]


@task
def announcement_letters(table: pd.DataFrame, config: ProgramConfig) -> list[Letter]:
    """To each matched mentor their leader, and to each leader their mentors."""
    locale = config.program.locale
    leaders = {leader.id: leader for leader in config.leaders}
    matched = table[table["status"] == Status.MATCHED]
    people = matched[["leader_id", "name", "email", "unit"]].reset_index()
    letters = []
    for leader_id, group in people.groupby("leader_id"):
        leader = leaders[str(leader_id)]
        for mentor in group.to_dict("records"):
            others = group.loc[group["applicant_id"] != mentor["applicant_id"], "name"]
            letters.append(letter_from_template(
                f"{locale}/match_mentor.txt", mentor["applicant_id"], mentor["email"],
                name=mentor["name"], leader_name=leader.name, partners=", ".join(others),
                program_name=config.program.name))
        letters.append(letter_from_template(
            f"{locale}/match_leader.txt", leader.id, leader.email, leader_name=leader.name,
            mentors=group[["name", "unit"]].to_dict("records"),
            program_name=config.program.name))
    return letters


@task
def rescore_letter(moved: pd.DataFrame, config: ProgramConfig,
                   outputs: dict[str, Path]) -> Letter:
    """To HR: who moved and why, by applicant id. HR decides what to tell whom."""
    locale = config.program.locale
    return letter_from_template(
        f"{locale}/rescore_summary.txt", "hr", config.program.hr_email, t=labels(locale),
        program_name=config.program.name, moved=moved.to_dict("records"),
        report=outputs["report"])
