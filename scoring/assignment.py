"""Mentors for leaders: every leader gets its mentors, the leaders' ranks as good as they can be."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from scoring.errors import StageStopped
from scoring.reasons import SEPARATOR, Words
from scoring.record import Status


class AssignmentInfeasible(StageStopped):
    """Not every leader can get its mentors under the conflicts of interest."""


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th: for the languages whose `choice` reason wants it."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def assign(ranks: pd.DataFrame, leaders: list[str], candidates: list[str],
           allowed: pd.DataFrame, per_leader: int, words: Words) -> pd.DataFrame:
    """Pairs (leader_id, applicant_id, leader_rank, explanation), each mentor at most once.

    Exact and lexicographic: first as few unranked mentors as possible (a leader gets one only
    when it ranked too few available candidates), then the smallest sum of ranks, then the
    smallest worst rank. `ranks` has leader_id, applicant_id, rank; `allowed` is leader x
    candidate, False for conflicts of interest. Ties fall to the order of ids.
    """
    leaders, candidates = sorted(leaders), sorted(candidates)
    if not leaders:
        return pd.DataFrame(columns=["leader_id", "applicant_id", "leader_rank", "explanation"])
    slots = [leader for leader in leaders for _ in range(per_leader)]
    explain_if_short(leaders, candidates, allowed, per_leader)
    rank = (ranks.pivot_table(index="leader_id", columns="applicant_id", values="rank",
                              aggfunc="min")
            .reindex(index=leaders, columns=candidates).to_numpy(dtype=float))
    ok = allowed.reindex(index=leaders, columns=candidates).fillna(False).to_numpy(dtype=bool)
    unranked = len(slots) * (len(candidates) + 1)  # dearer than any sum of ranks
    forbidden = unranked * len(slots) * 10
    base = np.where(np.isnan(rank), unranked, rank)
    base = np.where(ok, base, forbidden)
    row_of = np.repeat(np.arange(len(leaders)), per_leader)

    def solve(worst: float) -> tuple[np.ndarray, np.ndarray, float]:
        cost = np.where((base < unranked) & (base > worst), forbidden, base)[row_of]
        rows, cols = linear_sum_assignment(cost)
        return rows, cols, float(cost[rows, cols].sum())

    rows, cols, best = solve(np.inf)
    if best >= forbidden:
        raise AssignmentInfeasible(
            "the conflicts of interest leave no way to give every leader "
            f"{per_leader} mentors; widen the shortlist or review matching.conflict")
    for worst in sorted(set(base[base < unranked].ravel())):
        r, c, total = solve(worst)
        if total == best:
            rows, cols = r, c
            break
    pairs: list[tuple[str, str, object, str]] = []
    for row, col in zip(rows, cols, strict=True):
        leader, mentor = slots[row], candidates[col]
        position = rank[row_of[row], col]
        if np.isnan(position):
            pairs.append((leader, mentor, pd.NA, words["unranked_fill"].format(leader=leader)))
        else:
            choice = words["choice"].format(leader=leader, rank=int(position),
                                            ordinal=ordinal(int(position)))
            pairs.append((leader, mentor, int(position), choice))
    out = pd.DataFrame(pairs, columns=["leader_id", "applicant_id", "leader_rank", "explanation"])
    out["leader_rank"] = out["leader_rank"].astype("Int64")
    return out.sort_values(["leader_id", "leader_rank", "applicant_id"]).reset_index(drop=True)


def explain_if_short(leaders: list[str], candidates: list[str], allowed: pd.DataFrame,
                     per_leader: int) -> None:
    need = len(leaders) * per_leader
    if len(candidates) < need:
        raise AssignmentInfeasible(
            f"{len(leaders)} leaders x {per_leader} mentors need {need} candidates, but only "
            f"{len(candidates)} are shortlisted")
    open_to = allowed.reindex(index=leaders, columns=candidates).fillna(False).sum(axis=1)
    short = open_to[open_to < per_leader]
    if not short.empty:
        who = ", ".join(f"{leader} ({n})" for leader, n in short.items())
        raise AssignmentInfeasible(
            f"too few candidates outside the conflicts of interest for: {who}; each leader "
            f"needs {per_leader}")


def mentor_statuses(candidates: pd.Index, pairs: pd.DataFrame, waiting: list[str],
                    words: Words) -> pd.DataFrame:
    """Per shortlisted candidate: `matched` with the pair's explanation, or `unmatched`."""
    out = pd.DataFrame(index=candidates.rename("applicant_id"))
    matched = pairs.set_index("applicant_id")
    out["leader_id"] = matched["leader_id"]
    out["leader_rank"] = matched["leader_rank"]
    out["status"] = out["leader_id"].notna().map({True: Status.MATCHED,
                                                  False: Status.UNMATCHED})
    still = [words["still_waiting"].format(leaders=", ".join(waiting))] if waiting else []
    out["reasons"] = matched["explanation"].reindex(out.index).fillna(
        SEPARATOR.join([words["not_matched"], *still]))
    return out
