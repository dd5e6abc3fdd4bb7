"""Calling ffprobe and ffmpeg: one probe, one decode pass, one transcode and poster per video.

Measurements and outputs are kept under `media/` by content hash, so a rerun neither decodes nor
transcodes a file it has seen; the verdict is recomputed from the measurements, so changed
`[video]` rules apply without decoding again.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import ffmpeg
from prefect.logging import get_run_logger

from scoring.config import Video
from scoring.errors import StageStopped
from scoring.reasons import Words
from scoring.video import (
    Analysis,
    Probe,
    decode_limit,
    describe,
    judge,
    length,
    read_analysis,
    read_probe,
)
from tasks import task
from tasks.workspace import Workspace, file_digest, partial_path, write_atomically

PROBE_TIMEOUT_S = 30
TRANSCODE_TIMEOUT_S = 900
MEASURES_VERSION = 2  # bump when what is measured changes, so cached measurements are redone
SOUND_ONLY_PICTURE = "0x1f3a5f"  # what a leader sees while a recording of sound alone plays


class VideoFailed(Exception):
    """ffprobe or ffmpeg could not handle this one file; `code` is a scoring.video problem."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code


@task
def require_ffmpeg() -> None:
    missing = [tool for tool in ("ffprobe", "ffmpeg") if shutil.which(tool) is None]
    if missing:
        raise StageStopped(f"{' and '.join(missing)} not found on PATH: videos cannot be checked. "
                           "Install ffmpeg (`make install` does, or `apt-get install ffmpeg`).")


def probe(path: Path) -> Probe:
    try:
        done = subprocess.run(["ffprobe", "-v", "error", "-show_format", "-show_streams",
                               "-of", "json", str(path)],
                              capture_output=True, timeout=PROBE_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise VideoFailed("timeout", f"ffprobe took over {PROBE_TIMEOUT_S} s") from None
    data = json.loads(done.stdout or b"{}")
    if done.returncode != 0 or not data.get("streams"):
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise VideoFailed("unreadable", detail[-1] if detail else "no streams")
    return read_probe(data)


def run_ffmpeg(stream, timeout: float, *options: str) -> str:
    """Run an ffmpeg-python graph, killing it after `timeout` seconds; returns its stderr."""
    process = stream.global_args("-hide_banner", "-nostats", *options).run_async(
        pipe_stdout=True, pipe_stderr=True, quiet=True)
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise VideoFailed("timeout", f"ffmpeg took over {timeout:.0f} s") from None
    log = err.decode(errors="replace")
    if process.returncode != 0:
        last = log.strip().splitlines()[-1] if log.strip() else "ffmpeg failed"
        raise VideoFailed("damaged", last)
    return log


def analyse(path: Path, facts: Probe, timeout: float, limit: float | None) -> Analysis:
    """One decode pass that finds damage, measures black, frozen and silent stretches and how
    far it got; it stops after `limit` seconds of the file, when given."""
    source = ffmpeg.input(str(path), **({"t": limit} if limit else {}))
    outputs = []
    if facts.has_video:
        outputs.append(source.video.filter("fps", 5).filter("scale", 320, -2)
                       .filter("blackdetect", d=1.0, pix_th=0.10)
                       .filter("freezedetect", n=0.003, d=2))
    if facts.has_audio:
        outputs.append(source.audio.filter("silencedetect", n="-50dB", d=2).filter("volumedetect"))
    log = run_ffmpeg(ffmpeg.output(*outputs, "-", f="null"), timeout, "-progress", "pipe:2")
    return read_analysis(log, facts.duration)


def normalise(path: Path, facts: Probe, seconds: float, video_out: Path,
              poster_out: Path) -> None:
    """H.264/AAC MP4 within 720p (portrait stays portrait), loudness normalised, rotation applied
    (ffmpeg autorotates while decoding), `+faststart` for playing while loading; and a poster.
    A recording of sound alone plays over a plain picture."""
    portrait = facts.shown_height > facts.shown_width
    box_w, box_h = (720, 1280) if portrait else (1280, 720)
    source = ffmpeg.input(str(path))
    picture = (source.video.filter("scale", w=f"min({box_w},iw)", h=f"min({box_h},ih)",
                                   force_original_aspect_ratio="decrease", force_divisible_by=2)
               if facts.has_video  # else sound alone (HR's accommodation), on a plain picture
               else ffmpeg.input(f"color=c={SOUND_ONLY_PICTURE}:s=1280x720:r=25", f="lavfi",
                                 t=seconds))
    sound = source.audio.filter("loudnorm")
    partial = partial_path(video_out)
    run_ffmpeg(ffmpeg.output(picture, sound, str(partial), vcodec="libx264", preset="veryfast",
                             crf=23, pix_fmt="yuv420p", acodec="aac", audio_bitrate="128k",
                             ar=48000, movflags="+faststart").overwrite_output(),
               TRANSCODE_TIMEOUT_S)
    partial.replace(video_out)
    seek = min(1.0, seconds / 2)
    still = partial_path(poster_out)
    poster = ffmpeg.input(str(video_out), ss=seek).output(str(still), vframes=1)
    run_ffmpeg(poster.overwrite_output(), PROBE_TIMEOUT_S)
    still.replace(poster_out)


def enough(measured: dict[str, Any], rules: Video) -> bool:
    """Whether a file's recorded measurements answer today's `[video]` rules: a failure
    (a timeout too) stands for that content, and a decode that stopped early stands while
    the rules need no more of it."""
    if "failed" in measured:
        return True
    need, done = decode_limit(Probe(**measured["probe"]), rules), measured["limit"]
    return need == 0 or done is None or (need is not None and need <= done)


def measure(path: Path, record: Path, timeout: float, rules: Video) -> dict[str, Any]:
    """The probe and analysis of a file, from `record` when this content was measured before
    far enough. A file longer than allowed by its own account is not decoded at all."""
    if record.exists():
        cached: dict[str, Any] = json.loads(record.read_text())
        if cached.get("version") == MEASURES_VERSION and enough(cached, rules):
            return cached
    result: dict[str, Any]
    try:
        facts = probe(path)
        limit = decode_limit(facts, rules)
        analysis = analyse(path, facts, timeout, limit) if limit != 0 else None
        result = {"probe": dataclasses.asdict(facts),
                  "analysis": analysis and dataclasses.asdict(analysis), "limit": limit}
    except VideoFailed as failed:
        result = {"failed": failed.code, "detail": str(failed)}
    result["version"] = MEASURES_VERSION
    write_atomically(record, json.dumps(result).encode())
    return result


VERDICT_COLUMNS = ["applicant_id", "file", "content_hash", "problems", "reasons", "duration_s",
                   "media", "poster"]


@dataclasses.dataclass(frozen=True)
class Judgement:
    digest: str
    facts: Probe | None
    analysis: Analysis | None
    problems: list[str]


def judge_file(ws: Workspace, file: str, digest: str, rules: Video,
               timeout: float) -> Judgement:
    """The problems of one video (none: accepted) from its probe and decode pass; measurements
    are kept by content hash (`digest`), so the same content is never decoded twice."""
    measured = measure(ws.root / file, ws.folder("media") / f"{digest}.json", timeout, rules)
    if "probe" not in measured:
        return Judgement(digest, None, None, [measured["failed"]])
    facts = Probe(**measured["probe"])
    analysis = Analysis(**measured["analysis"]) if measured["analysis"] else None
    return Judgement(digest, facts, analysis, judge(facts, analysis, rules))


@task(task_run_name="check-video-{applicant_id}")
def check_video(ws: Workspace, applicant_id: str, file: str, rules: Video, timeout: float,
                words: Words) -> dict:
    """Measure, judge and (when accepted) normalise one submitted video; the decode pass may
    take `timeout` seconds. `words` says the reasons."""
    judged = judge_file(ws, file, file_digest(ws.root / file), rules, timeout)
    digest, facts, analysis, problems = (judged.digest, judged.facts, judged.analysis,
                                         judged.problems)
    media = ws.folder("media")
    video_out, poster_out = media / f"{digest}.mp4", media / f"{digest}.jpg"
    if facts is not None and not problems and not (video_out.exists() and poster_out.exists()):
        try:
            normalise(ws.root / file, facts, length(facts, analysis), video_out, poster_out)
        except VideoFailed as failed:
            problems = [failed.code]
    verdict = "accepted" if not problems else "rejected: " + ", ".join(problems)
    get_run_logger().info("video of %s: %s", applicant_id, verdict)
    return {"applicant_id": applicant_id, "file": file, "content_hash": digest,
            "problems": ",".join(problems),
            "reasons": describe(problems, facts, analysis, rules, words),
            "duration_s": length(facts, analysis) if facts else None,
            "media": ws.relative(video_out) if not problems else None,
            "poster": ws.relative(poster_out) if not problems else None}
