import itertools

import numpy as np
import pandas as pd
import pytest

from scoring.assignment import AssignmentInfeasible, assign
from tasks.render import reason_texts

ENGLISH = reason_texts("en")


def instance(seed: int):
    rng = np.random.default_rng(seed)
    leaders = [f"L{i}" for i in range(int(rng.integers(1, 4)))]
    candidates = [f"C{i}" for i in range(int(rng.integers(2 * len(leaders), 2 * len(leaders) + 3)))]
    rows = []
    for leader in leaders:
        chosen = rng.permutation(candidates)[: int(rng.integers(1, len(candidates) + 1))]
        rows += [(leader, c, r + 1) for r, c in enumerate(chosen)]
    ranks = pd.DataFrame(rows, columns=["leader_id", "applicant_id", "rank"])
    allowed = pd.DataFrame(rng.random((len(leaders), len(candidates))) > 0.15,
                           index=leaders, columns=candidates)
    return ranks, leaders, candidates, allowed


def brute_force(ranks, leaders, candidates, allowed, per_leader, fixed=()):
    """The best (unranked count, sum of ranks, worst rank) over every assignment that keeps
    the `fixed` (leader, mentor) pairs."""
    rank = {(r.leader_id, r.applicant_id): r.rank for r in ranks.itertuples()}
    slots = [leader for leader in leaders for _ in range(per_leader)]
    best = None
    for chosen in itertools.permutations(candidates, len(slots)):
        pairs = set(zip(slots, chosen, strict=True))
        if not all(allowed.loc[s, c] for s, c in pairs) or not set(fixed) <= pairs:
            continue
        got = [rank.get((s, c)) for s, c in zip(slots, chosen, strict=True)]
        ranked = [g for g in got if g is not None]
        key = (len(got) - len(ranked), sum(ranked), max(ranked, default=0))
        best = key if best is None else min(best, key)
    return best


@pytest.mark.parametrize("seed", range(30))
def test_assignment_matches_the_brute_force_optimum(seed):
    ranks, leaders, candidates, allowed = instance(seed)
    best = brute_force(ranks, leaders, candidates, allowed, 2)
    if best is None:
        with pytest.raises(AssignmentInfeasible):
            assign(ranks, leaders, candidates, allowed, 2, ENGLISH)
        return
    pairs = assign(ranks, leaders, candidates, allowed, 2, ENGLISH)
    ranked = pairs["leader_rank"].dropna().astype(int)
    assert (int(pairs["leader_rank"].isna().sum()), int(ranked.sum()),
            int(ranked.max()) if len(ranked) else 0) == best
    assert pairs["applicant_id"].is_unique
    assert pairs.groupby("leader_id").size().eq(2).all()


def test_each_pair_says_why():
    ranks = pd.DataFrame([("L1", "A", 1), ("L1", "B", 2), ("L2", "A", 1)],
                         columns=["leader_id", "applicant_id", "rank"])
    allowed = pd.DataFrame(True, index=["L1", "L2"], columns=["A", "B", "C", "D"])
    pairs = assign(ranks, ["L1", "L2"], ["A", "B", "C", "D"], allowed, 1, ENGLISH)
    assert pairs.to_dict("records") == [
        {"leader_id": "L1", "applicant_id": "B", "leader_rank": 2,
         "explanation": "L1's 2nd choice"},
        {"leader_id": "L2", "applicant_id": "A", "leader_rank": 1,
         "explanation": "L2's 1st choice"}]


def test_a_conflict_that_leaves_a_leader_too_few_candidates_is_named():
    ranks = pd.DataFrame(columns=["leader_id", "applicant_id", "rank"])
    allowed = pd.DataFrame([[True] * 4, [False, False, True, False]], index=["L1", "L2"],
                           columns=["A", "B", "C", "D"])
    with pytest.raises(AssignmentInfeasible, match=r"too few candidates .* L2 \(1 for 2\)"):
        assign(ranks, ["L1", "L2"], ["A", "B", "C", "D"], allowed, 2, ENGLISH)


@pytest.mark.parametrize("seed", range(20))
def test_a_mentor_who_leaves_is_replaced_with_every_announced_pair_kept(seed):
    ranks, leaders, candidates, allowed = instance(seed)
    try:
        announced = assign(ranks, leaders, candidates, allowed, 2, ENGLISH)
    except AssignmentInfeasible:
        return
    leaving = announced["applicant_id"].iloc[0]
    left = [c for c in candidates if c != leaving]
    kept = [(r.leader_id, r.applicant_id) for r in announced.itertuples()
            if r.applicant_id != leaving]
    best = brute_force(ranks, leaders, left, allowed, 2, kept)
    if best is None:
        with pytest.raises(AssignmentInfeasible):
            assign(ranks, leaders, left, allowed, 2, ENGLISH, fixed=announced)
        return
    pairs = assign(ranks, leaders, left, allowed, 2, ENGLISH, fixed=announced)
    assert set(kept) <= set(zip(pairs["leader_id"], pairs["applicant_id"], strict=True))
    ranked = pairs["leader_rank"].dropna().astype(int)
    assert (int(pairs["leader_rank"].isna().sum()), int(ranked.sum()),
            int(ranked.max()) if len(ranked) else 0) == best
    newcomer = pairs[~pairs["applicant_id"].isin(announced["applicant_id"])]
    assert len(newcomer) == 1
    assert newcomer["explanation"].iloc[0].endswith(f"takes the place of {leaving}, who left")
