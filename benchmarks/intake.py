"""Step 1 on N generated applicants: wall time and peak memory next to plain pandas.read_csv.

    python benchmarks/intake.py --applicants 100000

Prints one JSON line {"bench": "intake", "applicants", "wall_s", "peak_mb", ...} and a table.
`wall_s` is the intake flow run; reaching (or starting) Prefect's server is `prefect_start_s`;
`read_csv_s` is the best of three reads of the same files.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import flows  # noqa: F401  (Prefect's offline defaults: before Prefect is imported)

# isort: split
import pandas as pd
from prefect import flow

from figures import report
from flows.intake import intake
from flows.runtime import run_stage
from tasks.synthetic import write_programme


@flow
def empty() -> None:
    """Reaches (or starts) Prefect's server, so that the stage is timed on its own."""


def timed(call) -> tuple[object, float]:
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws = write_programme(Path(tmp) / "ws", applicants=args.applicants, xlsx_share=0)
        applications = list(ws.inbox("applications").glob("*.csv"))
        reviews = list(ws.inbox("reviews").glob("*.csv"))
        read_csv_s = min(timed(lambda: ([pd.read_csv(p, sep=";") for p in applications],
                                        [pd.read_csv(p) for p in reviews]))[1]
                         for _ in range(3))  # the best of 3: one read varies by half
        _, prefect_start_s = timed(lambda: run_stage(empty))
        summary, wall_s = timed(lambda: run_stage(intake, workspace=str(ws.root)))
    report({
        "bench": "intake", "applicants": args.applicants, "wall_s": round(wall_s, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "read_csv_s": round(read_csv_s, 2), "ratio_to_read_csv": round(wall_s / read_csv_s, 1),
        "prefect_start_s": round(prefect_start_s, 2), "counts": summary["counts"]})


if __name__ == "__main__":
    main()
