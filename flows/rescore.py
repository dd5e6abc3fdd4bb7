"""Nightly rescoring: steps 1 and 2 recomputed from the newest sheets and program.toml, through
the same gates; what moved goes to HR, never to applicants or leaders."""

from __future__ import annotations

from prefect import flow

from flows.stage import open_stage
from flows.steps import assess_step1, assess_step2
from tasks.artifacts import publish_artifacts
from tasks.email import send_letters
from tasks.exports import load_published, write_exports
from tasks.letters import rescore_letter
from tasks.report import write_report
from tasks.rescoring import find_moved, rescore_inputs
from tasks.status import count_statuses
from tasks.store import (
    last_rescore,
    load_verdicts,
    publish_rescore,
    record_run,
    require_step1,
)


@flow(name="rescore", log_prints=False)
def rescore(workspace: str) -> dict:
    with open_stage(workspace, "rescore") as stage:
        ws, config = stage.ws, stage.config
        require_step1(ws)
        run = stage.record(rescore_inputs(ws, config))
        previous = last_rescore(ws)
        if previous is not None and previous["input_hashes"] == run.input_hashes:
            record_run(ws, run, {}, "unchanged")
            return stage.summary({}, {}, recomputed=False, moved=[])

        before, _ = load_published(ws)
        step1 = assess_step1(ws, config)
        files, verdicts = load_verdicts(ws)
        step2 = (assess_step2(ws, config, step1.table, files, verdicts, step1.decided)
                 if len(files) else None)
        publish_rescore(ws, run, step1.table, step1.rejected,
                        *((step2.table, step2.files, step2.rejected) if step2 else ()))

        now, quarantined = load_published(ws)
        moved = find_moved(before, now, previous, run.config_hash, config)
        outputs = write_exports(ws, config, now, quarantined)
        gates = [*step1.gates, *(step2.gates if step2 else [])]
        outputs["report"] = write_report(ws, config, run.run_id, stage.name, now, quarantined,
                                         gates, {}, moved=moved, decided=step1.decided,
                                         notes=step1.notes)
        if len(moved):
            send_letters(ws, stage.name, run.run_id, [rescore_letter(moved, config, outputs)],
                         sender=config.program.hr_email)
        counts = count_statuses(now)
        publish_artifacts(stage.name, run.run_id, counts, now, outputs, config.web.base_url)
        return stage.summary(counts, outputs, recomputed=True, moved=moved.to_dict("records"))
