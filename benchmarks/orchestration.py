"""The Prefect overhead of a stage: an empty flow next to intake on 10 applicants.

    python benchmarks/orchestration.py

Prints one JSON line and a table; both runs go through the same (running) Prefect server.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import flows  # noqa: F401  (Prefect's offline defaults: before Prefect is imported)

# isort: split
from prefect import flow

from figures import report
from flows.intake import intake
from flows.runtime import run_stage
from tasks.synthetic import write_programme


@flow
def empty() -> None:
    """Nothing: what Prefect costs by itself."""


def seconds(call, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = write_programme(Path(tmp) / "ws", applicants=10)
        config = ws.program_file.read_text().replace("count = 30", "count = 2")
        ws.program_file.write_text(config.replace("min = 10 }", "min = 0 }").replace(
            "min = 4, max = 30", "min = 0"))
        run_stage(empty)  # starts the API
        empty_s = seconds(lambda: run_stage(empty))
        stage_s = seconds(lambda: run_stage(intake, workspace=str(ws.root)))
    report({"bench": "orchestration", "empty_flow_s": round(empty_s, 3),
                      "intake_10_applicants_s": round(stage_s, 3),
                      "stage_work_s": round(stage_s - empty_s, 3)})


if __name__ == "__main__":
    main()
