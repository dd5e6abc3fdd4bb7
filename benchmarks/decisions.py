"""The exact solvers at scale: selection of 100k applicants under 5 quotas, the assignment
of 2,000 candidates to 50 leaders x 2 mentors, and the reviewer panel: 20 reviewers for 2,000
applicants, 3 reviews each, no one reviewing their own unit or a declared conflict.

    python benchmarks/decisions.py

Prints the seconds of each (aim: under 2 s each) as one JSON line and a table.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from figures import report
from scoring.assignment import assign
from scoring.config import Quota, Reviewer, Selection
from scoring.panel import PAIRS, assign_panel, conflicts
from scoring.selection import select
from tasks.render import reason_texts


def selection_s(n: int = 100_000) -> float:
    rng = np.random.default_rng(1)
    candidates = pd.DataFrame({
        "score": np.round(rng.uniform(0, 100, n), 2),
        "staff_category": rng.choice(["operational", "civilian"], n, p=[0.7, 0.3]),
        "immigrant_background": rng.choice(["yes", "no", "unknown"], n, p=[0.1, 0.8, 0.1]),
        "gender": rng.choice(["kvinne", "mann"], n),
        "unit": rng.choice([f"unit {i}" for i in range(20)], n),
    }, index=[f"P{i:07d}" for i in range(n)])
    rule = Selection(count=500, quota=(
        Quota(field="staff_category", value="civilian", min=250),
        Quota(field="immigrant_background", value="yes", min=100),
        Quota(field="gender", value="mann", max=250),
        Quota(field="unit", value="unit 3", min=40),
        Quota(field="unit", value="unit 7", max=10),
    ))
    started = time.perf_counter()
    chosen = select(candidates, rule)
    assert len(chosen) == 500
    return time.perf_counter() - started


def assignment_s(leaders: int = 50, candidates: int = 2000) -> float:
    rng = np.random.default_rng(2)
    leader_ids = [f"L{i:02d}" for i in range(leaders)]
    candidate_ids = [f"C{i:04d}" for i in range(candidates)]
    rows = [(leader, c, r + 1) for leader in leader_ids
            for r, c in enumerate(rng.choice(candidate_ids, 20, replace=False))]
    ranks = pd.DataFrame(rows, columns=["leader_id", "applicant_id", "rank"])
    allowed = pd.DataFrame(rng.random((leaders, candidates)) > 0.05, index=leader_ids,
                           columns=candidate_ids)
    started = time.perf_counter()
    pairs = assign(ranks, leader_ids, candidate_ids, allowed, 2, reason_texts("nb"))
    assert len(pairs) == 2 * leaders
    return time.perf_counter() - started


def panel_s(reviewers: int = 20, applicants: int = 2000, reviews: int = 3) -> float:
    rng = np.random.default_rng(3)
    units = [f"unit {i}" for i in range(10)]
    people = pd.DataFrame({"unit": rng.choice(units, applicants)},
                          index=[f"A{i:05d}" for i in range(applicants)])
    panel = tuple(Reviewer(id=f"r{i:02d}", name=f"R {i}", email=f"r{i}@example.no",
                           unit=units[i % len(units)],
                           conflicts=tuple(rng.choice(people.index, 5, replace=False)))
                  for i in range(reviewers))
    started = time.perf_counter()
    pairs = assign_panel(conflicts(people, panel), reviews, pd.Series(dtype="Float64"),
                         pd.DataFrame(columns=PAIRS))
    assert len(pairs) == reviews * applicants
    return time.perf_counter() - started


def main() -> None:
    report({"bench": "decisions", "selection_100k_5_quotas_s": round(selection_s(), 2),
                      "assignment_50x2000_s": round(assignment_s(), 2),
                      "panel_20x2000x3_s": round(panel_s(), 2)})


if __name__ == "__main__":
    main()
