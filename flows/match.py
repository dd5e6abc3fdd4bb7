"""Step 3b: ranking sheets through gate 5, then mentors assigned to leaders; announced on demand."""

from __future__ import annotations

from prefect import flow

from flows.stage import open_stage
from scoring.decisions import current
from tasks.artifacts import publish_artifacts
from tasks.assignment import announced_pairs, conflicts_of_interest, match_mentors
from tasks.decisions import read_decisions
from tasks.email import send_letters
from tasks.exports import collect_quarantine, load_published, write_exports
from tasks.gates import docs_folder, gate_rankings
from tasks.letters import announcement_letters, ranking_rejection_letters
from tasks.rankings import read_rankings
from tasks.report import write_report
from tasks.settings import load_settings
from tasks.sheets import input_digests
from tasks.shortlist import current_shortlist
from tasks.store import publish_match
from tasks.workspace import signing_secret


@flow(name="match", log_prints=False)
def match(workspace: str, announce: bool = False) -> dict:
    with open_stage(workspace, "match") as stage:
        ws, config = stage.ws, stage.config
        now, _ = load_published(ws)
        candidates, made_for = current_shortlist(ws, now)
        run = stage.record(input_digests(ws, "rankings", "decisions"))
        pairs_allowed = conflicts_of_interest(candidates, config)

        ranks, sheets = read_rankings(ws, signing_secret(ws, load_settings().secret), made_for,
                                      pairs_allowed, config)
        gate5 = gate_rankings(ranks, list(candidates.index), docs_folder(ws))
        decided = current(read_decisions(ws, config, now.index))
        table = match_mentors(candidates, ranks, pairs_allowed, decided, announced_pairs(ws),
                              config)
        counts = publish_match(ws, run, table, sheets, collect_quarantine({"rankings": sheets}))

        now, quarantined = load_published(ws)
        outputs = write_exports(ws, config, now, quarantined)
        letters = ranking_rejection_letters(sheets, candidates, config)
        if announce:
            letters += announcement_letters(now, config)
        emails = send_letters(ws, stage.name, run.run_id, letters,
                              sender=config.program.hr_email)
        outputs["report"] = write_report(ws, config, run.run_id, stage.name, now, quarantined,
                                         [gate5], emails, rankings=sheets, decided=decided)
        publish_artifacts(stage.name, run.run_id, counts, now, outputs, config.web.base_url)
        return stage.summary(counts, outputs)
