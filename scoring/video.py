"""How a submitted video is judged: the probe and the one decode pass, read against `[video]`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scoring.config import Video
from scoring.reasons import SEPARATOR, Words

# Share of the running time that must be black, frozen or silent before the whole video is.
WHOLE = 0.9
# What ffmpeg prints while decoding a damaged file (a truncated +faststart MP4 decodes with exit
# code 0, so these lines are the only sign).
CORRUPTION = re.compile(r"partial file|corrupt|Invalid NAL|error while decoding|Invalid data "
                        r"found|missing picture|decode_slice_header error|moov atom not found",
                        re.IGNORECASE)

@dataclass(frozen=True)
class Analysis:
    """What the decode pass measured, in seconds and dB."""
    black_s: float = 0.0
    frozen_s: float = 0.0
    silent_s: float = 0.0
    max_volume_db: float | None = None
    corrupt_lines: int = 0
    decoded_s: float = 0.0  # how far the decode got: the running time of a file that states none


def read_analysis(log: str, duration: float | None) -> Analysis:
    """Parse ffmpeg's stderr of the decode pass (blackdetect, freezedetect, silencedetect,
    volumedetect, and `-progress` for how far it got). A freeze or silence still open at the
    end lasts until `duration`, or, when the file states none, until the decode stopped."""
    decoded = max((int(x) for x in re.findall(r"out_time_us=(\d+)", log)), default=0) / 1e6
    end = decoded if duration is None else duration
    black = sum(float(x) for x in re.findall(r"black_duration:\s*([\d.]+)", log))
    frozen = spans(log, r"freeze_start: ([\d.]+)", r"freeze_end: ([\d.]+)", end)
    silent = spans(log, r"silence_start: (-?[\d.]+)", r"silence_end: ([\d.]+)", end)
    volume = re.search(r"max_volume: (-?[\d.]+|-inf) dB", log)
    return Analysis(
        black_s=black, frozen_s=frozen, silent_s=silent,
        max_volume_db=(None if volume is None else
                       -91.0 if volume.group(1) == "-inf" else float(volume.group(1))),
        corrupt_lines=len(CORRUPTION.findall(log)), decoded_s=decoded)


def spans(log: str, start: str, end: str, duration: float) -> float:
    starts = [max(0.0, float(x)) for x in re.findall(start, log)]
    ends = [float(x) for x in re.findall(end, log)]
    ends += [duration] * (len(starts) - len(ends))
    return sum(max(0.0, e - s) for s, e in zip(starts, ends, strict=False))


@dataclass(frozen=True)
class Probe:
    """The facts of ffprobe's JSON that the rules need. `duration` is None when neither the
    container nor a stream states one (a browser's own recording)."""
    duration: float | None
    size_bytes: int
    has_video: bool
    has_audio: bool
    width: int = 0
    height: int = 0
    rotation: int = 0
    codec: str = ""

    @property
    def shown_height(self) -> int:
        """Height as the viewer sees it: phones store portrait video as rotated landscape."""
        return self.width if self.rotation % 180 else self.height

    @property
    def shown_width(self) -> int:
        return self.height if self.rotation % 180 else self.width


def read_probe(data: dict) -> Probe:
    streams = data.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video"
                  and not s.get("disposition", {}).get("attached_pic")), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    fmt = data.get("format", {})
    stated = [fmt.get("duration"), *(s.get("duration") for s in streams)]
    lengths = [float(x) for x in stated if x not in (None, "", "N/A")]
    rotation = 0
    if video:
        for side in video.get("side_data_list", []):
            if "rotation" in side:
                rotation = int(float(side["rotation"]))
        rotation = rotation or int(float(video.get("tags", {}).get("rotate", 0)))
    return Probe(
        duration=lengths[0] if lengths else None, size_bytes=int(fmt.get("size") or 0),
        has_video=video is not None, has_audio=audio is not None,
        width=int(video.get("width", 0)) if video else 0,
        height=int(video.get("height", 0)) if video else 0,
        rotation=rotation, codec=video.get("codec_name", "") if video else "")


MARGIN_S = 1.0  # decoded this far past the longest allowed, a video states its excess


def decode_limit(probe: Probe, rules: Video) -> float | None:
    """How far the decode pass must go: 0 (not at all) when the stated length already refuses
    the file or there is no picture (for one who may send sound alone: no sound); None for
    the whole of it; and for a file that states no length, the longest allowed plus a margin,
    so that an endless one stops there."""
    nothing_to_check = not (probe.has_video or (rules.audio_only and probe.has_audio))
    if nothing_to_check or (probe.duration is not None and probe.duration > rules.max_seconds):
        return 0.0
    return None if probe.duration is not None else rules.max_seconds + MARGIN_S


def length(probe: Probe, analysis: Analysis | None) -> float:
    """The running time: as the file states it, else as far as the decode got."""
    if probe.duration is not None:
        return probe.duration
    return analysis.decoded_s if analysis else 0.0


def judge(probe: Probe, analysis: Analysis | None, rules: Video) -> list[str]:
    """Problem codes, in the order a person should fix them; empty = accepted. Each is said as
    the reason `video_<code>`, and in the applicant's letter by `[problems]` and `[fixes]`."""
    problems = []
    seconds = length(probe, analysis)
    if not probe.has_video and not rules.audio_only:
        problems.append("no_video")
    if not probe.has_audio:
        problems.append("no_audio")
    if seconds > rules.max_seconds:
        problems.append("too_long")
    if seconds < rules.min_seconds:
        problems.append("too_short")
    if probe.has_video and probe.shown_height < rules.min_height:
        problems.append("low_resolution")
    if probe.size_bytes > rules.max_megabytes * 1_000_000:
        problems.append("too_large")
    if analysis is not None:
        def whole(stretch: float) -> bool:  # a stretch over (nearly) all of the running time
            return stretch > 0 and stretch >= WHOLE * seconds

        if analysis.corrupt_lines:
            problems.insert(0, "damaged")
        if probe.has_audio and (whole(analysis.silent_s) or (analysis.max_volume_db or 0) <= -50):
            problems.append("silent")
        if probe.has_video and whole(analysis.black_s):
            problems.append("black")
        elif probe.has_video and whole(analysis.frozen_s):
            problems.append("frozen")
    return problems


def describe(problems: list[str], probe: Probe | None, analysis: Analysis | None,
             rules: Video, words: Words) -> str:
    """The reasons for exports, with the measured figures where they help."""
    figures: dict[str, dict[str, object]] = {}
    if probe is not None:
        seconds = f"{length(probe, analysis):.1f}"
        figures = {
            "too_long": {"seconds": seconds, "max": f"{rules.max_seconds:g}"},
            "too_short": {"seconds": seconds, "min": f"{rules.min_seconds:g}"},
            "low_resolution": {"height": probe.shown_height, "min": rules.min_height},
            "too_large": {"megabytes": f"{probe.size_bytes / 1e6:.0f}",
                          "max": f"{rules.max_megabytes:g}"},
        }
    # Without a stated length the decode stopped at the limit: the video is longer still.
    unmeasured = probe is not None and probe.duration is None
    keys = {p: f"video_{p}" for p in problems} | (
        {"too_long": "video_too_long_unmeasured"} if unmeasured else {})
    return SEPARATOR.join(words[keys[p]].format(**figures.get(p, {})) for p in problems)
