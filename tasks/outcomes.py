"""Telling applicants their outcome: what the ledger says each was told, the video deadline
each was given, and the letters still owed."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd
from sqlalchemy import select

from scoring.config import ProgramConfig
from scoring.outcomes import owed, own_deadlines
from tasks import task
from tasks.calendar import today_in
from tasks.email import Letter, told_outcomes
from tasks.letters import outcome_letters
from tasks.rankings import awaited_rankings
from tasks.store import connected, email_log
from tasks.workspace import Workspace


def video_deadlines(ws: Workspace, config: ProgramConfig) -> pd.Series:
    """Each applicant's own video deadline, from the letters that gave one."""
    query = select(email_log.c.recipient_id, email_log.c.deadline).where(
        email_log.c.deadline.is_not(None))
    with connected(ws) as conn:
        given = pd.read_sql(query, conn)
    return own_deadlines(config.video.submission_deadline, given)


def video_deadline_of(ws: Workspace, config: ProgramConfig, applicant_id: str) -> dt.date:
    """One applicant's own video deadline: the one their newest letter gave, else the call's."""
    deadline: dt.date = video_deadlines(ws, config).get(applicant_id,
                                                        config.video.submission_deadline)
    return deadline


def untold(ws: Workspace, table: pd.DataFrame, config: ProgramConfig) -> pd.DataFrame:
    """Who is owed which outcome letter now (applicant_id, outcome)."""
    with connected(ws) as conn:
        told = told_outcomes(conn)
    return owed(table, told, video_deadlines(ws, config), config.video.submission_deadline,
                today_in(config), bool(awaited_rankings(ws, config)))


@task
def applicant_deadlines(ws: Workspace, config: ProgramConfig,
                        granted: pd.DataFrame) -> dict[str, dt.date]:
    """Each applicant's own video deadline, by applicant id: the latest a letter gave them or
    HR granted them (`granted`, before its letter has gone)."""
    given = video_deadlines(ws, config).to_dict()
    later = granted["deadline"].dropna()
    return {str(k): max(filter(None, (given.get(k), later.get(k))))
            for k in given.keys() | later.index}


@task
def letters_owed(ws: Workspace, table: pd.DataFrame, config: ProgramConfig) -> list[Letter]:
    """A letter to each applicant for the outcome they now have and have not been told."""
    return outcome_letters(untold(ws, table, config), table, config)


def outcome_counts(letters: list[Letter]) -> dict[str, int]:
    """How many letters tell each outcome: what `notify` reports."""
    return dict(Counter(str(letter.outcome) for letter in letters))
