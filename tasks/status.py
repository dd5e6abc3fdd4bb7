"""Where a programme stands, read from the store: last run per stage, counts, what is waiting."""

from __future__ import annotations

from sqlalchemy import Select, select

from scoring.config import ProgramConfig
from scoring.funnel import status_counts
from tasks.store import (
    applicants,
    email_log,
    engine_for,
    published,
    ranking_sheets,
    read_table,
    run_history,
)
from tasks.workspace import Workspace


def ids(ws: Workspace, query: Select) -> set[str]:
    engine = engine_for(ws)
    with engine.connect() as conn:
        found = set(conn.execute(query).scalars())
    engine.dispose()
    return found


def sent_to(ws: Workspace, stage: str) -> set[str]:
    return ids(ws, select(email_log.c.recipient_id).where(email_log.c.stage == stage))


def programme_status(ws: Workspace, config: ProgramConfig) -> dict:
    history = run_history(ws)
    stages = {}
    for stage, runs in history.groupby("stage", sort=False):
        last = runs.iloc[-1]
        stages[stage] = {"run_id": last["run_id"], "status": last["status"],
                         "finished_at": str(last["finished_at"]), "counts": last["counts"]}
    table, _ = published(ws)
    invited = ids(ws, select(applicants.c.applicant_id).where(applicants.c.status == "invited"))
    waiting_emails = len(invited - sent_to(ws, "intake"))
    if "shortlist" in stages:
        waiting_emails += len({leader.id for leader in config.leaders} - sent_to(ws, "shortlist"))
    sheets = read_table(ws, ranking_sheets)
    counted = set(sheets.loc[sheets["reasons"] == "", "leader_id"])
    return {
        "programme": config.program.id,
        "stages": stages,
        "counts": status_counts(table),
        "waiting": {
            "reviews": int((table["status"] == "pending_review").sum()),
            "videos": int((table["status"] == "video_missing").sum()),
            "rankings": (sorted({leader.id for leader in config.leaders} - counted)
                         if "shortlist" in stages else []),
            "emails": waiting_emails,
        },
    }
