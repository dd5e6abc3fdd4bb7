"""Step 3b: ranking sheets through gate 5, then mentors assigned to leaders; announced on demand."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from flows.steps import gx_docs, run_id, summary
from scoring.exports import quarantine_rows
from scoring.funnel import status_counts
from scoring.packets import allowed, shortlist_id
from tasks.artifacts import publish_artifacts
from tasks.assessment import match_mentors, shortlisted_candidates
from tasks.email import send_letters
from tasks.exports import load_published, write_exports
from tasks.gates import gate_rankings
from tasks.inbox import input_digests
from tasks.letters import announcement_letters
from tasks.locking import stage_lock
from tasks.rankings import read_rankings
from tasks.report import write_report
from tasks.settings import load_settings
from tasks.store import RunRecord, publish_match
from tasks.workspace import load_program, open_workspace, signing_secret

STAGE = "match"


@flow(name="match", log_prints=False)
def match(workspace: str, announce: bool = False) -> dict:
    ws = open_workspace(Path(workspace))
    with stage_lock(ws, STAGE):
        config = load_program(ws)
        now, _ = load_published(ws)
        candidates = shortlisted_candidates(now)
        made_for = shortlist_id(list(candidates.index))
        run = RunRecord(run_id(), STAGE, config.fingerprint(), input_digests(ws, "rankings"))
        pairs_allowed = allowed(candidates, config.leaders, config.matching.conflict)

        ranks, sheets = read_rankings(ws, signing_secret(ws, load_settings().secret), made_for,
                                      pairs_allowed, config.matching.min_ranked)
        gate5 = gate_rankings(ranks, list(candidates.index), gx_docs(ws))
        table = match_mentors(candidates, ranks, pairs_allowed, config)
        rejected = quarantine_rows(rankings=sheets)
        counts = status_counts(table)

        publish_match(ws, run, table, sheets, rejected, counts)
        now, quarantined = load_published(ws)
        outputs = write_exports(ws, now, quarantined)
        emails = {}
        if announce:
            pairs = now[now["status"] == "matched"].reset_index()[["leader_id", "applicant_id"]]
            emails = send_letters(ws, STAGE, run.run_id, announcement_letters(pairs, now, config),
                                  sender=config.program.hr_email)
        outputs["report"] = write_report(ws, config, run.run_id, STAGE, now, quarantined, [gate5],
                                         emails, rankings=sheets)
        publish_artifacts(STAGE, run.run_id, counts, now, outputs)
        return summary(STAGE, run.run_id, counts, outputs)
