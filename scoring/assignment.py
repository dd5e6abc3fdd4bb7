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
           allowed: pd.DataFrame, per_leader: int, words: Words,
           fixed: pd.DataFrame | None = None) -> pd.DataFrame:
    """Pairs (leader_id, applicant_id, leader_rank, explanation), each mentor at most once.

    Exact and lexicographic: first as few unranked mentors as possible (a leader gets one only
    when it ranked too few available candidates), then the smallest sum of ranks, then the
    smallest worst rank. `ranks` has leader_id, applicant_id, rank; `allowed` is leader x
    candidate, False for conflicts of interest. Ties fall to the order of ids.

    `fixed` (leader_id, applicant_id) are pairs already announced: each one whose leader and
    mentor are both still here is kept as it is, and only the places the others left are
    solved for; a mentor who takes such a place says whose.
    """
    leaders, candidates = sorted(leaders), sorted(candidates)
    if not leaders:
        return pd.DataFrame(columns=["leader_id", "applicant_id", "leader_rank", "explanation"])
    fixed = fixed if fixed is not None else pd.DataFrame(columns=["leader_id", "applicant_id"])
    mine = fixed[fixed["leader_id"].isin(leaders)]
    held = mine[mine["applicant_id"].isin(candidates)]
    gone = mine[~mine["applicant_id"].isin(candidates)].groupby("leader_id")["applicant_id"].agg(
        lambda ids: ", ".join(sorted(ids)))
    free = [c for c in candidates if c not in set(held["applicant_id"])]
    open_places = (per_leader - held["leader_id"].value_counts().reindex(leaders, fill_value=0)
                   ).clip(lower=0)
    explain_if_short(free, allowed, open_places)
    solved = solve_places(ranks, free, allowed, open_places)
    pairs = pd.concat([held[["leader_id", "applicant_id"]], solved], ignore_index=True)

    position = ranks.groupby(["leader_id", "applicant_id"])["rank"].min()
    found = pd.MultiIndex.from_frame(pairs[["leader_id", "applicant_id"]])
    pairs["leader_rank"] = position.reindex(found).astype("Int64").to_numpy()
    explanations = []
    for n, (leader, rank) in enumerate(zip(pairs["leader_id"].astype(str),
                                           pairs["leader_rank"].tolist(), strict=True)):
        if pd.isna(rank):
            text = words["unranked_fill"].format(leader=leader)
        else:
            text = words["choice"].format(leader=leader, rank=int(rank), ordinal=ordinal(int(rank)))
        if n >= len(held) and leader in gone:
            text += SEPARATOR + words["takes_place_of"].format(gone=gone[leader])
        explanations.append(text)
    pairs["explanation"] = explanations
    return pairs.sort_values(["leader_id", "leader_rank", "applicant_id"]).reset_index(drop=True)


def solve_places(ranks: pd.DataFrame, candidates: list[str], allowed: pd.DataFrame,
                 places: pd.Series) -> pd.DataFrame:
    """Mentors for `places` (open places per leader) from `candidates`, by the rule of
    `assign`; returns leader_id, applicant_id."""
    leaders = list(places.index)
    row_of = np.repeat(np.arange(len(leaders)), places.to_numpy())
    if not len(row_of):
        return pd.DataFrame(columns=["leader_id", "applicant_id"])
    rank = (ranks.pivot_table(index="leader_id", columns="applicant_id", values="rank",
                              aggfunc="min")
            .reindex(index=leaders, columns=candidates).to_numpy(dtype=float))
    ok = allowed.reindex(index=leaders, columns=candidates).fillna(False).to_numpy(dtype=bool)
    worst_rank = int(np.nanmax(rank, initial=0))  # ranks count among all the leader ranked
    unranked = len(row_of) * (worst_rank + 1)  # dearer than any sum of ranks
    forbidden = unranked * len(row_of) * 10
    base = np.where(np.isnan(rank), unranked, rank)
    base = np.where(ok, base, forbidden)

    def solve(worst: float) -> tuple[np.ndarray, np.ndarray, float]:
        cost = np.where((base < unranked) & (base > worst), forbidden, base)[row_of]
        rows, cols = linear_sum_assignment(cost)
        return rows, cols, float(cost[rows, cols].sum())

    rows, cols, best = solve(np.inf)
    if best >= forbidden:
        raise AssignmentInfeasible(
            "the conflicts of interest leave no way to give every leader "
            "its mentors; widen the shortlist or review matching.conflict")
    for worst in sorted(set(base[base < unranked].ravel())):
        r, c, total = solve(worst)
        if total == best:
            rows, cols = r, c
            break
    return pd.DataFrame({"leader_id": [leaders[row_of[r]] for r in rows],
                         "applicant_id": [candidates[c] for c in cols]})


def explain_if_short(candidates: list[str], allowed: pd.DataFrame, places: pd.Series) -> None:
    """Stop, saying why, when `places` (open places per leader) cannot all be filled."""
    need = int(places.sum())
    if len(candidates) < need:
        raise AssignmentInfeasible(
            f"{len(places)} leaders need {need} more mentors, but only {len(candidates)} "
            "shortlisted candidates are free")
    open_to = allowed.reindex(index=places.index, columns=candidates).fillna(False).sum(axis=1)
    short = open_to[open_to < places]
    if not short.empty:
        needs = places.to_dict()
        who = ", ".join(f"{leader} ({n} for {needs[leader]})" for leader, n in short.items())
        raise AssignmentInfeasible(
            f"too few candidates outside the conflicts of interest for: {who}")


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
