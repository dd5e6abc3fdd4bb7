"""Where a programme stands, read from the store: last run per stage, counts, what is waiting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
from sqlalchemy import Select, select

from scoring.config import ProgramConfig
from scoring.funnel import status_counts
from scoring.record import Status
from tasks import task
from tasks.calendar import local_time
from tasks.decisions import staying
from tasks.locking import stage_lock
from tasks.outcomes import untold
from tasks.rankings import awaited_rankings
from tasks.scorecard import reviews_owed
from tasks.store import (
    applicants,
    connected,
    email_log,
    open_store,
    published,
    run_history,
    schema_version,
    upgrade_store,
)
from tasks.workspace import Workspace


@task
def count_statuses(table: pd.DataFrame) -> dict[str, int]:
    """Applicants per status, in funnel order: what a stage reports and records."""
    return status_counts(table)


@contextmanager
def reading_store(ws: Workspace) -> Iterator[str]:
    """The store opened for a command that only reads, at this code's schema: upgraded first,
    under the stage lock, when a newer version of the software meets it. Yields the version."""
    with open_store(ws):
        version = schema_version(ws)
        if version is None:
            with stage_lock(ws, "upgrade"):
                upgrade_store(ws)
            version = schema_version(ws)
        yield str(version)


def ids(ws: Workspace, query: Select) -> set[str]:
    with connected(ws) as conn:
        return set(conn.execute(query).scalars())


def sent_to(ws: Workspace, stage: str) -> set[str]:
    return ids(ws, select(email_log.c.recipient_id).where(email_log.c.stage == stage))


def programme_status(ws: Workspace, config: ProgramConfig, schema: str) -> dict:
    config = staying(ws, config)
    history = run_history(ws)
    stages = {}
    for stage, runs in history.groupby("stage", sort=False):
        last = runs.iloc[-1]
        stages[stage] = {"run_id": last["run_id"], "status": last["status"],
                         "finished_at": local_time(last["finished_at"], config.program.timezone)
                         .isoformat(sep=" ", timespec="seconds"), "counts": last["counts"]}
    table, _ = published(ws)
    return {
        "programme": config.program.id,
        "schema": schema,
        "stages": stages,
        "counts": status_counts(table),
        "waiting": waiting(ws, config, table, set(history["stage"])),
    }


def waiting(ws: Workspace, config: ProgramConfig, table: pd.DataFrame, ran: set[str]) -> dict:
    """What the programme waits for, and who has not heard yet, once the stages in `ran` have
    run: HR's next steps."""
    invited = ids(ws, select(applicants.c.applicant_id).where(
        applicants.c.status == Status.INVITED))
    emails = len(invited - sent_to(ws, "intake"))
    if "shortlist" in ran:
        emails += len({leader.id for leader in config.leaders} - sent_to(ws, "shortlist"))
    owed = reviews_owed(ws, config)
    return {
        "reviews": int((table["status"] == Status.PENDING_REVIEW).sum()),
        "reviews_owed": {str(reviewer): list(group["applicant_id"])
                         for reviewer, group in owed.groupby("reviewer_id")},
        "videos": int((table["status"] == Status.VIDEO_MISSING).sum()),
        "rankings": awaited_rankings(ws, config) if "shortlist" in ran else [],
        "emails": emails,
        "told": len(untold(ws, table, config)),
    }
