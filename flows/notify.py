"""Telling every applicant the outcome they now have and have not been told yet, on HR's word."""

from __future__ import annotations

from prefect import flow

from flows.stage import open_stage
from tasks.email import send_letters
from tasks.exports import load_published
from tasks.outcomes import letters_owed, outcome_counts


@flow(name="notify", log_prints=False)
def notify(workspace: str) -> dict:
    with open_stage(workspace, "notify") as stage:
        ws, config = stage.ws, stage.config
        now, _ = load_published(ws)
        letters = letters_owed(ws, now, config)
        emails = send_letters(ws, stage.name, stage.run_id, letters,
                              sender=config.program.hr_email)
        return stage.summary(outcome_counts(letters), {"outbox": ws.folder("outbox")},
                             emails=emails)
