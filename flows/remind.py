"""Reminding those who are behind, at most once a day each (the ledger keeps the day)."""

from __future__ import annotations

from prefect import flow

from flows.stage import open_stage
from tasks.calendar import today_in
from tasks.email import send_letters
from tasks.reminders import leader_reminders, reviewer_reminders, video_reminders
from tasks.store import record_run


@flow(name="remind", log_prints=False)
def remind(workspace: str) -> dict:
    with open_stage(workspace, "remind") as stage:
        ws, config = stage.ws, stage.config
        today = today_in(config)
        reminders = {"reviewers": reviewer_reminders(ws, config, today),
                     "leaders": leader_reminders(ws, config, stage.links, today),
                     "applicants": video_reminders(ws, config, stage.links, today)}
        emails = send_letters(ws, stage.name, stage.run_id,
                              [letter for letters in reminders.values() for letter in letters],
                              sender=config.program.hr_email)
        counts = {who: len(letters) for who, letters in reminders.items()}
        record_run(ws, stage.record({}), counts, "sent")
        return stage.summary(counts, {"outbox": ws.folder("outbox")}, emails=emails)
