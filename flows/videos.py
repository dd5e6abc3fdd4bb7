"""Step 2: submitted videos through gate 3, ffmpeg checks and normalisation, the second
assessment, gate 4, publish."""

from __future__ import annotations

import pandas as pd
from prefect import flow
from prefect.futures import PrefectFuture, as_completed
from prefect.logging import get_run_logger
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from flows.stage import open_stage
from flows.steps import assess_step2
from scoring.config import Operations, Video
from scoring.decisions import accommodations, current, own_rules
from scoring.reasons import Words
from tasks.artifacts import publish_artifacts
from tasks.decisions import read_decisions
from tasks.email import send_letters
from tasks.exports import load_published, write_exports
from tasks.gates import docs_folder, gate_submissions
from tasks.letters import accommodation_letters, rejection_letters, summary_letter
from tasks.outcomes import applicant_deadlines
from tasks.render import reason_texts
from tasks.report import write_report
from tasks.store import load_step1, publish_videos
from tasks.submissions import list_videos, live_submissions, match_videos, submission_inputs
from tasks.video import VERDICT_COLUMNS, check_video, require_ffmpeg
from tasks.workspace import Workspace


def video_runner(operations: Operations) -> TaskRunner:
    """Threads by default (ffmpeg runs as a subprocess, so threads do not contend); a Dask
    cluster, local or at `dask_address`, to spread videos over machines."""
    if operations.runner == "dask":
        from prefect_dask import DaskTaskRunner

        if operations.dask_address:
            return DaskTaskRunner(address=operations.dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": operations.workers,
                                              "threads_per_worker": 1, "processes": True,
                                              "dashboard_address": None})
    return ThreadPoolTaskRunner(max_workers=operations.workers)


def check_all(ws: Workspace, live: pd.DataFrame, rules: Video, granted: pd.DataFrame,
              operations: Operations, words: Words) -> pd.DataFrame:
    """A task per video, `operations.workers` at a time, each against its applicant's own rules
    (`granted`: HR's accommodations); progress goes to the log as videos finish."""
    logger = get_run_logger()
    with video_runner(operations) as runner:
        futures: list[PrefectFuture[dict]] = [runner.submit(check_video, parameters={
            "ws": ws, "applicant_id": row.applicant_id, "file": row.file,
            "rules": own_rules(rules, granted, str(row.applicant_id)),
            "timeout": operations.check_timeout_seconds, "words": words})
            for row in live.itertuples()]
        results = []
        for done, future in enumerate(as_completed(futures), start=1):
            results.append(future.result())
            logger.info("checked %d of %d videos", done, len(futures))
    return pd.DataFrame(results, columns=VERDICT_COLUMNS).set_index("applicant_id").sort_index()


@flow(name="videos", log_prints=False)
def videos(workspace: str) -> dict:
    with open_stage(workspace, "videos") as stage:
        ws, config = stage.ws, stage.config
        require_ffmpeg()
        step1 = load_step1(ws)
        entries = list_videos(ws, config.program.timezone)
        run = stage.record(submission_inputs(ws, entries))
        decided = current(read_decisions(ws, config, step1.index))

        granted = accommodations(decided)
        files = match_videos(entries, step1, applicant_deadlines(ws, config, granted), config)
        live = live_submissions(files)
        gate3 = gate_submissions(live, docs_folder(ws))
        verdicts = check_all(ws, live, config.video, granted, config.operations,
                             reason_texts(config.program.locale))
        step2 = assess_step2(ws, config, step1, files, verdicts, decided)
        counts = publish_videos(ws, run, step2.table, step2.files, step2.rejected)

        now, quarantined = load_published(ws)
        outputs = write_exports(ws, config, now, quarantined)
        outputs["report"] = write_report(ws, config, run.run_id, stage.name, now, quarantined,
                                         [gate3, *step2.gates], {}, videos=verdicts,
                                         decided=step2.decided)
        letters = [*accommodation_letters(step1, granted, config, stage.links),
                   *rejection_letters(now, verdicts, granted, config, stage.links),
                   summary_letter(stage.name, now, config, outputs)]
        send_letters(ws, stage.name, run.run_id, letters, sender=config.program.hr_email)
        outputs["media"] = ws.folder("media")
        publish_artifacts(stage.name, run.run_id, counts, now, outputs, config.web.base_url)
        return stage.summary(counts, outputs)
