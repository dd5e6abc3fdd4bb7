"""Step 1: applications through gate 1, eligibility, scorecard, invitations, gate 2, publish."""

from __future__ import annotations

from prefect import flow

from flows.stage import open_stage
from flows.steps import assess_step1
from scoring.decisions import accommodations
from tasks.artifacts import publish_artifacts
from tasks.email import send_letters
from tasks.exports import load_published, write_exports
from tasks.gates import docs_folder
from tasks.letters import accommodation_letters, invitation_letters
from tasks.report import write_report
from tasks.sheets import input_digests
from tasks.store import publish_intake


@flow(name="intake", log_prints=False)
def intake(workspace: str) -> dict:
    with open_stage(workspace, "intake") as stage:
        ws, config = stage.ws, stage.config
        run = stage.record(input_digests(ws, "applications", "reviews", "decisions"))

        step1 = assess_step1(ws, config)
        counts = publish_intake(ws, run, step1.table, step1.rejected)

        now, quarantined = load_published(ws)
        outputs = write_exports(ws, config, now, quarantined)
        letters = [*invitation_letters(step1.table, config, stage.links),
                   *accommodation_letters(step1.table, accommodations(step1.decided), config,
                                          stage.links)]
        emails = send_letters(ws, stage.name, run.run_id, letters,
                              sender=config.program.hr_email)
        outputs["report"] = write_report(ws, config, run.run_id, stage.name, now, quarantined,
                                         step1.gates, emails, decided=step1.decided,
                                         notes=step1.notes)
        outputs["outbox"] = ws.folder("outbox")
        outputs["data_docs"] = docs_folder(ws) / "index.html"
        publish_artifacts(stage.name, run.run_id, counts, now, outputs, config.web.base_url)
        return stage.summary(counts, outputs)
