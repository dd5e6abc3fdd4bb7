"""Step 2: submitted videos through gate 3, ffmpeg checks and normalisation, the second
assessment, gate 4, publish."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from prefect import flow
from prefect.futures import as_completed
from prefect.logging import get_run_logger
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from flows.steps import assess_step2, gx_docs, run_id, summary
from scoring.config import Video
from scoring.funnel import status_counts
from tasks.artifacts import publish_artifacts
from tasks.assessment import match_videos
from tasks.email import send_letters
from tasks.exports import load_published, write_exports
from tasks.gates import gate_submissions
from tasks.inbox import input_digests, list_videos
from tasks.letters import rejection_letters, summary_letter
from tasks.locking import stage_lock
from tasks.report import write_report
from tasks.store import RunRecord, load_step1, publish_videos
from tasks.video import VERDICT_COLUMNS, check_video, require_ffmpeg
from tasks.workspace import Workspace, load_program, open_workspace

STAGE = "videos"


def video_runner(rules: Video) -> TaskRunner:
    """Threads by default (ffmpeg runs as a subprocess, so threads do not contend); a Dask
    cluster, local or at `dask_address`, to spread videos over machines."""
    if rules.runner == "dask":
        from prefect_dask import DaskTaskRunner

        if rules.dask_address:
            return DaskTaskRunner(address=rules.dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": rules.workers, "threads_per_worker": 1,
                                              "processes": True, "dashboard_address": None})
    return ThreadPoolTaskRunner(max_workers=rules.workers)


def check_all(ws: Workspace, live: pd.DataFrame, rules: Video) -> pd.DataFrame:
    """A task per video, `rules.workers` at a time; progress goes to the log as videos finish."""
    logger = get_run_logger()
    with video_runner(rules) as runner:
        futures = [runner.submit(check_video, parameters={
            "ws": ws, "applicant_id": row.applicant_id, "file": row.file, "rules": rules})
            for row in live.itertuples()]
        results = []
        for done, future in enumerate(as_completed(futures), start=1):
            results.append(future.result())
            logger.info("checked %d of %d videos", done, len(futures))
    return pd.DataFrame(results, columns=VERDICT_COLUMNS).set_index("applicant_id").sort_index()


@flow(name="videos", log_prints=False)
def videos(workspace: str) -> dict:
    ws = open_workspace(Path(workspace))
    with stage_lock(ws, STAGE):
        config = load_program(ws)
        require_ffmpeg()
        step1 = load_step1(ws)
        entries = list_videos(ws, config.program.timezone)
        arrivals = dict(zip(entries["file"], entries["modified"].astype(str), strict=True))
        run = RunRecord(run_id(), STAGE, config.fingerprint(),
                        {**input_digests(ws, "video_reviews"), **arrivals})

        files = match_videos(entries, step1, config)
        live = files[files["reasons"] == ""]
        gate3 = gate_submissions(live, gx_docs(ws))
        verdicts = check_all(ws, live, config.video)
        step2 = assess_step2(ws, config, step1, files, verdicts)
        counts = status_counts(step2.table)
        publish_videos(ws, run, step2.table, step2.files, step2.rejected, counts)

        now, quarantined = load_published(ws)
        outputs = write_exports(ws, now, quarantined)
        outputs["report"] = write_report(ws, config, run.run_id, STAGE, now, quarantined,
                                         [gate3, *step2.gates], {}, videos=verdicts)
        letters = [*rejection_letters(now, verdicts["problems"], config),
                   summary_letter(STAGE, now, config, outputs)]
        send_letters(ws, STAGE, run.run_id, letters, sender=config.program.hr_email)
        outputs["media"] = ws.folder("media")
        publish_artifacts(STAGE, run.run_id, counts, now, outputs)
        return summary(STAGE, run.run_id, counts, outputs)
