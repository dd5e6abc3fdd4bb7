"""Step 3a: a packet per leader (candidates, videos, ranking sheet), e-mailed to each leader."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from prefect import flow

from flows.steps import run_id, summary
from scoring.funnel import status_counts
from scoring.packets import shortlist_id
from tasks.artifacts import publish_artifacts
from tasks.assessment import shortlisted_candidates
from tasks.email import send_letters
from tasks.exports import load_published
from tasks.letters import packet_letters
from tasks.locking import stage_lock
from tasks.packets import build_packets
from tasks.settings import load_settings
from tasks.store import RunRecord, publish_packets
from tasks.workspace import load_program, open_workspace, signing_secret

STAGE = "shortlist"


@flow(name="shortlist", log_prints=False)
def shortlist(workspace: str) -> dict:
    ws = open_workspace(Path(workspace))
    with stage_lock(ws, STAGE):
        config = load_program(ws)
        now, _ = load_published(ws)
        candidates = shortlisted_candidates(now)
        made_for = shortlist_id(list(candidates.index))
        run = RunRecord(run_id(), STAGE, config.fingerprint(), {"shortlist": made_for})

        built = build_packets(ws, config, candidates, made_for,
                              signing_secret(ws, load_settings().secret))
        counts = status_counts(now)
        publish_packets(ws, run, pd.DataFrame(
            {"leader_id": [p.leader.id for p in built], "shortlist_id": made_for,
             "folder": [ws.relative(p.folder) for p in built]}), counts)
        emails = send_letters(ws, STAGE, run.run_id, packet_letters(built, config),
                              sender=config.program.hr_email)
        outputs = {"packets": ws.folder("packets"), "outbox": ws.folder("outbox")}
        publish_artifacts(STAGE, run.run_id, counts, now, outputs)
        return summary(STAGE, run.run_id, counts, outputs, emails=emails)
