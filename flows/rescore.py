"""Nightly rescoring: steps 1 and 2 recomputed from the newest sheets and program.toml, through
the same gates; what moved goes to HR, never to applicants or leaders."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from flows.steps import assess_step1, assess_step2, run_id, summary
from scoring.funnel import status_counts
from tasks.artifacts import publish_artifacts
from tasks.assessment import find_moved
from tasks.email import send_letters
from tasks.exports import load_published, write_exports
from tasks.inbox import rescore_inputs
from tasks.letters import rescore_letter
from tasks.locking import stage_lock
from tasks.report import write_report
from tasks.store import (
    RunRecord,
    last_rescore,
    load_verdicts,
    publish_rescore,
    record_unchanged,
    require_step1,
)
from tasks.workspace import load_program, open_workspace

STAGE = "rescore"


@flow(name="rescore", log_prints=False)
def rescore(workspace: str) -> dict:
    ws = open_workspace(Path(workspace))
    with stage_lock(ws, STAGE):
        config = load_program(ws)
        require_step1(ws)
        run = RunRecord(run_id(), STAGE, config.fingerprint(), rescore_inputs(ws, config))
        previous = last_rescore(ws)
        if previous is not None and previous["input_hashes"] == run.input_hashes:
            record_unchanged(ws, run)
            return summary(STAGE, run.run_id, {}, {}, recomputed=False, moved=[])

        before, _ = load_published(ws)
        step1 = assess_step1(ws, config)
        files, verdicts = load_verdicts(ws)
        step2 = assess_step2(ws, config, step1.table, files, verdicts) if len(files) else None
        publish_rescore(ws, run, status_counts(step1.table), step1.table, step1.rejected,
                        *((step2.table, step2.files, step2.rejected) if step2 else ()))

        now, quarantined = load_published(ws)
        config_changed = previous is not None and previous["config_hash"] != run.config_hash
        moved = find_moved(before, now, config_changed, config.program.rescore_threshold)
        outputs = write_exports(ws, now, quarantined)
        gates = [*step1.gates, *(step2.gates if step2 else [])]
        outputs["report"] = write_report(ws, config, run.run_id, STAGE, now, quarantined, gates,
                                         {}, moved=moved)
        if len(moved):
            send_letters(ws, STAGE, run.run_id, [rescore_letter(moved, config, outputs)],
                         sender=config.program.hr_email)
        counts = status_counts(now)
        publish_artifacts(STAGE, run.run_id, counts, now, outputs)
        return summary(STAGE, run.run_id, counts, outputs, recomputed=True,
                       moved=moved.to_dict("records"))
