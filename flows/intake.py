"""Step 1: applications through gate 1, eligibility, scorecard, invitations, gate 2, publish."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from prefect import flow
from prefect.runtime import flow_run

from scoring.exports import quarantine_rows
from scoring.funnel import status_counts
from tasks.artifacts import publish_funnel
from tasks.assessment import assess_applicants, select_invitees
from tasks.email import send_letters
from tasks.exports import load_published, write_exports
from tasks.gates import gate_applications, gate_scored
from tasks.inbox import input_digests, read_applications, read_reviews
from tasks.letters import invitation_letters
from tasks.report import write_report
from tasks.store import RunRecord, publish_intake
from tasks.workspace import load_program, open_workspace

STAGE = "intake"


@flow(name="intake", log_prints=False)
def intake(workspace: str) -> dict:
    ws = open_workspace(Path(workspace))
    config = load_program(ws)
    run = RunRecord(str(flow_run.get_id() or "local"), STAGE, config.fingerprint(),
                    input_digests(ws, "applications", "reviews"))

    docs = ws.folder("reports") / "gx"
    apps, gate1 = gate_applications(read_applications(ws), config, docs)
    live_ids = pd.Index(apps.loc[apps["reasons"] == "", "applicant_id"])
    reviews = read_reviews(ws, "reviews", config, config.scorecard.criterion_keys, live_ids)
    table = select_invitees(assess_applicants(apps, reviews, config), config)
    gate2 = gate_scored(table, int(apps["applicant_id"].nunique()), docs)
    rejected = quarantine_rows(applications=apps, reviews=reviews)
    counts = status_counts(table)

    publish_intake(ws, run, table, rejected, counts)
    now, quarantined = load_published(ws)
    outputs = write_exports(ws, now, quarantined)
    emails = send_letters(ws, STAGE, run.run_id, invitation_letters(table, config),
                          sender=config.program.hr_email)
    outputs["report"] = write_report(ws, config, run.run_id, STAGE, now, quarantined,
                                     [gate1, gate2], emails)
    outputs["outbox"] = ws.folder("outbox")
    outputs["data_docs"] = docs / "index.html"
    publish_funnel(STAGE, run.run_id, counts, outputs)
    return {"run_id": run.run_id, "stage": STAGE, "counts": counts,
            "outputs": {name: str(path) for name, path in outputs.items()}}
