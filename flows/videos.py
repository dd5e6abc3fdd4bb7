"""Step 2: submitted videos through gate 3, ffmpeg checks and normalisation, the second
assessment, gate 4, publish."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from prefect import flow
from prefect.futures import as_completed
from prefect.logging import get_run_logger
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner

from scoring.exports import quarantine_rows
from scoring.funnel import status_counts
from scoring.submissions import with_verdicts
from tasks.artifacts import publish_funnel
from tasks.assessment import match_videos, shortlist_applicants
from tasks.email import send_letters
from tasks.exports import load_published, write_exports
from tasks.gates import gate_shortlist, gate_submissions
from tasks.inbox import input_digests, list_videos, read_reviews
from tasks.letters import rejection_letters, summary_letter
from tasks.report import write_report
from tasks.store import RunRecord, load_step1, publish_videos
from tasks.video import check_video
from tasks.workspace import Workspace, load_program, open_workspace

STAGE = "videos"


def check_all(ws: Workspace, live: pd.DataFrame, workers: int, rules) -> pd.DataFrame:
    """A task per video on a bounded thread pool (ffmpeg runs as a subprocess, so threads do
    not contend); progress goes to the log as videos finish."""
    logger = get_run_logger()
    with ThreadPoolTaskRunner(max_workers=workers) as runner:
        futures = [runner.submit(check_video, parameters={
            "ws": ws, "applicant_id": row.applicant_id, "file": row.file, "rules": rules})
            for row in live.itertuples()]
        results = []
        for done, future in enumerate(as_completed(futures), start=1):
            results.append(future.result())
            logger.info("checked %d of %d videos", done, len(futures))
    columns = ["applicant_id", "file", "content_hash", "problems", "reasons", "duration_s",
               "media", "poster"]
    return pd.DataFrame(results, columns=columns).set_index("applicant_id").sort_index()


@flow(name="videos", log_prints=False)
def videos(workspace: str) -> dict:
    ws = open_workspace(Path(workspace))
    config = load_program(ws)
    step1 = load_step1(ws)
    entries = list_videos(ws, config.program.timezone)
    run = RunRecord(str(flow_run.get_id() or "local"), STAGE, config.fingerprint(),
                    {**input_digests(ws, "video_reviews"),
                     **dict(zip(entries["file"], entries["modified"].astype(str), strict=True))})
    docs = ws.folder("reports") / "gx"

    files = match_videos(entries, step1, config)
    live = files[files["reasons"] == ""]
    gate3 = gate_submissions(live, docs)
    verdicts = check_all(ws, live, config.video.workers, config.video)
    accepted = pd.Index(verdicts.index[verdicts["reasons"] == ""])
    reviews = read_reviews(ws, "video_reviews", config, ["video"], accepted,
                           live="accepted video")
    table = shortlist_applicants(step1, files, verdicts, reviews, config)
    gate4 = gate_shortlist(table, config.shortlist.count, docs)
    submitted = with_verdicts(files, verdicts)
    rejected = quarantine_rows(videos=submitted, video_reviews=reviews)
    counts = status_counts(table)

    publish_videos(ws, run, table, submitted, rejected, counts)
    now, quarantined = load_published(ws)
    outputs = write_exports(ws, now, quarantined)
    outputs["report"] = write_report(ws, config, run.run_id, STAGE, now, quarantined,
                                     [gate3, gate4], {}, videos=verdicts)
    letters = [*rejection_letters(now, verdicts["problems"], config),
               summary_letter(STAGE, now, config, outputs)]
    emails = send_letters(ws, STAGE, run.run_id, letters, sender=config.program.hr_email)
    outputs["media"] = ws.folder("media")
    publish_funnel(STAGE, run.run_id, counts, outputs)
    get_run_logger().info("e-mails: %s", emails)
    return {"run_id": run.run_id, "stage": STAGE, "counts": counts,
            "outputs": {name: str(path) for name, path in outputs.items()}}
