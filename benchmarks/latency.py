"""What HR waits for: each stage on the demo's 200 applicants, next to the import floor.

    python benchmarks/latency.py [--repeat 3]

- floor: `python -c "import prefect, great_expectations, pandas, sqlalchemy, scipy.optimize"`;
- cold: `mentoring STAGE` as a process, as HR runs it, with the local Prefect server running
  (flows/server.py); `first_stage_s` is the first one, which starts that server;
- warm: the stage run again in one process that has run it before (the portal's HR pages).

Each figure is the best of `--repeat` runs, wall and CPU seconds, with the ratio of the cold wall
time to the floor's, the floor measured beside each stage, turn about. The benchmark keeps its
own Prefect home and port, and stops its server. Prints one JSON line and a table.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOME = Path(tempfile.mkdtemp(prefix="latency-prefect-"))
with socket.socket() as _probe:
    _probe.bind(("127.0.0.1", 0))
    PORT = _probe.getsockname()[1]
os.environ.update(PREFECT_HOME=str(HOME), PREFECT_SERVER_API_PORT=str(PORT))
os.environ.pop("PREFECT_API_URL", None)

import flows  # noqa: E402, F401  (Prefect's offline defaults: before Prefect is imported)

# isort: split
from figures import report  # noqa: E402
from flows.runtime import run_stage, stage_flow  # noqa: E402
from tasks.synthetic import write_programme  # noqa: E402

BIN = Path(sys.executable).parent
FLOOR = [sys.executable, "-c",
         "import prefect, great_expectations, pandas, sqlalchemy, scipy.optimize"]
STAGES = ["intake", "videos", "shortlist", "match", "notify", "rescore"]


def process(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def in_process(stage: str, folder: Path) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    run_stage(stage_flow(stage), workspace=str(folder))
    return time.perf_counter() - started, time.process_time() - cpu


def seconds(measured: tuple[float, float]) -> dict[str, float]:
    wall, cpu = measured
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2)}


def best(repeat: int, measure, *arguments) -> dict[str, float]:
    return seconds(min(measure(*arguments) for _ in range(repeat)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    mentoring = str(BIN / "mentoring")
    figures: dict = {"bench": "latency", "applicants": 200}
    with tempfile.TemporaryDirectory() as tmp:
        first = write_programme(Path(tmp) / "first")
        figures["first_stage_s"] = round(process([mentoring, "intake", str(first.root)])[0], 2)
        demo = Path(tmp) / "demo"
        subprocess.run([mentoring, "demo", str(demo)], check=True, capture_output=True)
        try:
            floors = []
            for stage in STAGES:
                # The floor is measured beside each stage, turn about, so that both see the
                # machine alike: a shared machine drifts by a second over the run.
                pairs = [(process(FLOOR), process([mentoring, stage, str(demo)]))
                         for _ in range(repeat)]
                floor, cold = (min(pair[i] for pair in pairs) for i in (0, 1))
                floors.append(floor)
                in_process(stage, demo)
                warm = best(repeat, in_process, stage, demo)
                figures[stage] = {"cold": seconds(cold), "warm": warm, "floor": seconds(floor),
                                  "cold_to_floor": round(cold[0] / floor[0], 2)}
            figures["floor"] = seconds(min(floors))
        finally:
            os.kill(int((HOME / "server.pid").read_text()), signal.SIGTERM)
    report(figures)


if __name__ == "__main__":
    main()
