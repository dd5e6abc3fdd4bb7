"""The reviewer panel: every applicant of a stage gets its reviewers, each reviewer a sheet."""

from __future__ import annotations

from prefect import flow

from flows.stage import open_stage
from scoring.errors import StageStopped
from tasks.email import send_letters
from tasks.panel import (
    assign_reviewers,
    panel_letters,
    publish_assignments,
    read_assignments,
    to_review,
    write_review_sheets,
)
from tasks.settings import load_settings
from tasks.workspace import signing_secret


@flow(name="assign", log_prints=False)
def assign(workspace: str, stage: str = "intake") -> dict:
    """Earlier assignments stay: a rerun after new applications adds reviewers for the new
    ones and sends a new sheet only to the reviewers who got more."""
    with open_stage(workspace, "assign") as opened:
        ws, config = opened.ws, opened.config
        if not config.reviewers:
            raise StageStopped("program.toml has no [[reviewers]]: name the panel (id, name, "
                               "email, unit) there first")
        run = opened.record({})  # it reads what intake and videos published
        people = to_review(ws, config, stage)
        pairs = assign_reviewers(people, read_assignments(ws, stage), config)
        sheets = write_review_sheets(ws, config, stage, people, pairs,
                                     signing_secret(ws, load_settings().secret))
        counts = publish_assignments(ws, run, stage, pairs)
        emails = send_letters(ws, f"assign-{stage}", run.run_id,
                              panel_letters(sheets, config, stage),
                              sender=config.program.hr_email)
        return opened.summary(counts, {"sheets": ws.folder("panel") / stage,
                                          "outbox": ws.folder("outbox")}, emails=emails)
