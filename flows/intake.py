"""Step 1: applications through gate 1, eligibility, scorecard, invitations, gate 2, publish."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from flows.steps import assess_step1, gx_docs, run_id, summary
from scoring.funnel import status_counts
from tasks.artifacts import publish_artifacts
from tasks.email import send_letters
from tasks.exports import load_published, write_exports
from tasks.inbox import input_digests
from tasks.letters import invitation_letters
from tasks.locking import stage_lock
from tasks.report import write_report
from tasks.store import RunRecord, publish_intake
from tasks.workspace import load_program, open_workspace

STAGE = "intake"


@flow(name="intake", log_prints=False)
def intake(workspace: str) -> dict:
    ws = open_workspace(Path(workspace))
    with stage_lock(ws, STAGE):
        config = load_program(ws)
        run = RunRecord(run_id(), STAGE, config.fingerprint(),
                        input_digests(ws, "applications", "reviews"))

        step1 = assess_step1(ws, config)
        counts = status_counts(step1.table)
        publish_intake(ws, run, step1.table, step1.rejected, counts)

        now, quarantined = load_published(ws)
        outputs = write_exports(ws, now, quarantined)
        emails = send_letters(ws, STAGE, run.run_id, invitation_letters(step1.table, config),
                              sender=config.program.hr_email)
        outputs["report"] = write_report(ws, config, run.run_id, STAGE, now, quarantined,
                                         step1.gates, emails)
        outputs["outbox"] = ws.folder("outbox")
        outputs["data_docs"] = gx_docs(ws) / "index.html"
        publish_artifacts(STAGE, run.run_id, counts, now, outputs)
        return summary(STAGE, run.run_id, counts, outputs)
