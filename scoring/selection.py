"""Diversity-aware selection: the highest total score that meets every quota, solved exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array, hstack, vstack

from scoring.config import Quota, Selection, Shortlist
from scoring.errors import StageStopped


class QuotasUnmet(StageStopped):
    """The quotas cannot all be met by the applicants who qualify."""


def select(candidates: pd.DataFrame, rule: Selection | Shortlist, by: str = "score",
           first: pd.Index | None = None) -> pd.Index:
    """Ids of exactly `rule.count` candidates (all, if fewer qualify) maximising the total of the
    `by` column subject to every quota; as many of `first` (those HR includes) as the count
    and quotas allow are taken before anyone else.

    `candidates` is indexed by applicant id with the `by` column and the quota fields. Among
    candidates with the same quota memberships, a higher score and then a smaller id goes
    first; the model is built from sorted data, so the outcome never depends on input order.
    Nobody qualified yet (the reviews are still to come) is an empty selection, not a failure.
    """
    if candidates.empty:
        return candidates.index
    score = candidates[by].astype(float)
    if first is not None and len(first):
        # Worth more than all the others could ever add up to: an included candidate is left
        # out only when the count or a quota's maximum cannot take them.
        score = score + (score.abs().sum() + 1) * candidates.index.isin(first)
    ranked = candidates.assign(_id=candidates.index, _score=score).sort_values(
        ["_score", "_id"], ascending=[False, True], kind="stable")
    k = min(rule.count, len(ranked))
    members = group_members(ranked, rule.quota)
    top = np.arange(len(ranked)) < k
    if quotas_met(top, members, rule.quota):
        return ranked.index[top]
    chosen = solve(ranked, k, members, rule.quota)
    if chosen is None:
        raise QuotasUnmet(explain_unmet(ranked, k, members, rule.quota))
    return ranked.index[chosen]


def group_members(candidates: pd.DataFrame, quotas: tuple[Quota, ...]) -> np.ndarray:
    """Boolean matrix: quota x candidate, true where the candidate has the quota's value."""
    rows = [candidates[q.field].astype("string").str.casefold().eq(q.value.casefold())
            .fillna(False).to_numpy(dtype=bool) for q in quotas]
    return np.array(rows, dtype=bool).reshape(len(quotas), len(candidates))


def quotas_met(chosen: np.ndarray, members: np.ndarray, quotas: tuple[Quota, ...]) -> bool:
    counts = members[:, chosen].sum(axis=1)
    return all(q.min <= n and (q.max is None or n <= q.max)
               for q, n in zip(quotas, counts, strict=True))


def solve(ranked: pd.DataFrame, k: int, members: np.ndarray,
          quotas: tuple[Quota, ...]) -> np.ndarray | None:
    """Exact, and fast at 100k candidates: candidates with the same quota memberships (a
    profile) differ only in score, so the model has one integer per profile (how many to take)
    and takes each profile's best in ranking order."""
    profiles, profile_of = np.unique(members.T, axis=0, return_inverse=True)
    profile_of = profile_of.ravel()
    place = pd.Series(profile_of).groupby(profile_of).cumcount().to_numpy()
    kept = np.flatnonzero(place < k)  # no selection takes more than k of one profile
    cents = np.rint(ranked["_score"].to_numpy(dtype=float)[kept] * 100)
    m, p = len(kept), len(profiles)
    link = csr_array((np.ones(m), (profile_of[kept], np.arange(m))), shape=(p, m))
    matrix = vstack([
        hstack([link, csr_array(-np.eye(p))]),  # the candidates taken of a profile = n_p
        hstack([csr_array((1, m)), csr_array(np.ones((1, p)))]),  # k in all
        hstack([csr_array((len(quotas), m)), csr_array(profiles.T.astype(float))]),  # quotas
    ])
    lower = np.array([0] * p + [k] + [q.min for q in quotas], dtype=float)
    upper = np.array([0] * p + [k] + [np.inf if q.max is None else q.max for q in quotas],
                     dtype=float)
    integral = np.r_[np.zeros(m), np.ones(p)]
    bounds = Bounds(0, np.r_[np.ones(m), np.bincount(profile_of[kept], minlength=p)])
    best = milp(np.r_[-cents, np.zeros(p)], integrality=integral, bounds=bounds,
                constraints=[LinearConstraint(matrix, lower, upper)],
                options={"mip_rel_gap": 0, "presolve": True})
    if best.status != 0:
        return None
    taken = np.rint(best.x[m:]).astype(int)
    return place < taken[profile_of]


def explain_unmet(ranked: pd.DataFrame, k: int, members: np.ndarray,
                  quotas: tuple[Quota, ...]) -> str:
    n = len(ranked)
    lines = [f"The quotas cannot be met when selecting {k} of {n} qualified applicants:"]
    for quota, row in zip(quotas, members, strict=True):
        have = int(row.sum())
        if quota.min > have:
            lines.append(f"  - {quota.label} needs at least {quota.min}, but only {have} "
                         f"qualified applicants have it (short by {quota.min - have})")
        elif quota.min > k:
            lines.append(f"  - {quota.label} needs at least {quota.min} of only {k} selected")
        forced = k - (n - have)
        if quota.max is not None and forced > quota.max:
            lines.append(f"  - {quota.label} allows at most {quota.max}, but only {n - have} "
                         f"qualified applicants lack it, so at least {forced} would have it "
                         f"(over by {forced - quota.max})")
    for field in dict.fromkeys(q.field for q in quotas):
        minimum = sum(q.min for q in quotas if q.field == field)
        if minimum > k:
            lines.append(f"  - the minimums for {field} add up to {minimum}, more than the "
                         f"{k} to select (over by {minimum - k})")
    if len(lines) == 1:
        labels = ", ".join(f"{q.label} [{q.min}, {q.max if q.max is not None else '∞'}]"
                           for q in quotas)
        lines.append(f"  - each quota can be met alone, but not all together: {labels}")
    return "\n".join(lines)
