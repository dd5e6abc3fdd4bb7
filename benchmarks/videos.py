"""Per-video cost of our checks (probe + the one analysis pass) next to one bare decode.

    python benchmarks/videos.py --videos 4

Generates N videos of 60-90 s at 720p, then prints one JSON line and a table: the mean seconds
per video of a bare `ffmpeg -i X -f null -`, of our checks, their ratio (aim: at most 1.3), and
the wall time of checking all N with 1 and with 2 workers; and the time to refuse a two-hour
phone video next to one probe of it (it is refused on its stated length, never decoded).
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from figures import report
from scoring.config import parse_program
from tasks.synthetic import make_clip
from tasks.video import analyse, measure, probe
from tasks.workspace import EXAMPLE_PROGRAM


def bare_decode(path: Path) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "null", "-"], check=True)


def our_checks(path: Path) -> None:
    facts = probe(path)
    analyse(path, facts, timeout=600, limit=None)


def seconds_each(work, paths: list[Path]) -> float:
    started = time.perf_counter()
    for path in paths:
        work(path)
    return (time.perf_counter() - started) / len(paths)


def wall_with(workers: int, paths: list[Path]) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(our_checks, paths))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=4)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as tmp:
        paths = [make_clip(Path(tmp) / f"v{i}.mp4", float(rng.integers(60, 91)), size="1280x720",
                           rate=25, tone=int(rng.integers(200, 900))) for i in range(args.videos)]
        decode_s = seconds_each(bare_decode, paths)
        checks_s = seconds_each(our_checks, paths)
        one, two = wall_with(1, paths), wall_with(2, paths)
        two_hours = make_clip(Path(tmp) / "two-hours.mp4", 7200, size="1280x720", rate=1)
        probe_s = seconds_each(probe, [two_hours])
        started = time.perf_counter()
        rules = parse_program(tomllib.loads(EXAMPLE_PROGRAM.read_text(encoding="utf-8"))).video
        measure(two_hours, Path(tmp) / "two-hours.json", 600, rules)
        refuse_s = time.perf_counter() - started
    report({"bench": "videos", "videos": args.videos, "decode_s": round(decode_s, 2),
            "checks_s": round(checks_s, 2), "ratio": round(checks_s / decode_s, 2),
            "wall_1_worker_s": round(one, 2), "wall_2_workers_s": round(two, 2),
            "speedup": round(one / two, 2), "two_hour_probe_s": round(probe_s, 2),
            "two_hour_refused_s": round(refuse_s, 2)})


if __name__ == "__main__":
    main()
