"""Dates as a programme sees them: today in its time zone, and a day written in its language."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from scoring.config import ProgramConfig
from scoring.errors import StageStopped

MONTHS = {
    "nb": ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
           "oktober", "november", "desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}


def long_date(day: dt.date, locale: str) -> str:
    separator = ". " if locale == "nb" else " "
    return f"{day.day}{separator}{MONTHS[locale][day.month - 1]} {day.year}"


def long_moment(moment: dt.datetime, config: ProgramConfig) -> str:
    """A moment as the programme's people read it: the day and the time where it runs."""
    local = moment.astimezone(ZoneInfo(config.program.timezone))
    return f"{long_date(local.date(), config.program.locale)} {local:%H:%M}"


def local_time(moment: dt.datetime, timezone: str) -> dt.datetime:
    """A moment the store kept (in UTC, without its zone on SQLite) where the programme runs."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(ZoneInfo(timezone))


def end_of(day: dt.date, timezone: str) -> dt.datetime:
    """The first moment after `day` where the programme runs: when a deadline has passed."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), ZoneInfo(timezone))


def today_in(config: ProgramConfig) -> dt.date:
    """The day it is where the programme runs: what a letter's dates are measured from."""
    return dt.datetime.now(ZoneInfo(config.program.timezone)).date()


def still_ahead(day: dt.date, key: str, today: dt.date) -> dt.date:
    """`day`, when it has not passed; else stop before anything states it, naming the key."""
    if day < today:
        raise StageStopped(f"{key} = {day.isoformat()} has passed, and the letters would state "
                           f"it; set a day from {today.isoformat()} on in program.toml (or "
                           "remove it), then run again. Nothing was sent.")
    return day
