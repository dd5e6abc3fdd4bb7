import itertools

import numpy as np
import pandas as pd
import pytest

from scoring.config import Quota, Selection
from scoring.selection import QuotasUnmet, select


def candidates(scores, categories, backgrounds) -> pd.DataFrame:
    ids = [f"A{i:02d}" for i in range(len(scores))]
    return pd.DataFrame({"score": scores, "staff_category": categories,
                         "immigrant_background": backgrounds}, index=ids)


def brute_force_best(frame: pd.DataFrame, rule: Selection) -> float | None:
    k = min(rule.count, len(frame))
    best = None
    for combo in itertools.combinations(range(len(frame)), k):
        chosen = frame.iloc[list(combo)]
        ok = all(q.min <= (chosen[q.field] == q.value).sum() <= (q.max if q.max is not None else k)
                 for q in rule.quota)
        if ok:
            total = round(chosen["score"].sum(), 2)
            best = total if best is None else max(best, total)
    return best


@pytest.mark.parametrize("seed", range(25))
def test_selection_matches_the_brute_force_optimum_on_small_instances(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 11))
    frame = candidates(rng.integers(0, 20, n) * 5.0,
                       rng.choice(["civilian", "operational"], n), rng.choice(["yes", "no"], n))
    rule = Selection(count=int(rng.integers(1, n + 2)), quota=(
        Quota(field="staff_category", value="civilian", min=int(rng.integers(0, 3))),
        Quota(field="immigrant_background", value="yes", min=int(rng.integers(0, 2)),
              max=int(rng.integers(1, 4)))))
    best = brute_force_best(frame, rule)
    if best is None:
        with pytest.raises(QuotasUnmet):
            select(frame, rule)
        return
    chosen = select(frame, rule)
    assert len(chosen) == min(rule.count, n)
    assert round(frame.loc[chosen, "score"].sum(), 2) == best


def test_ties_are_broken_by_id_whatever_the_input_order():
    frame = candidates([50.0] * 4, ["civilian"] * 4, ["no"] * 4)
    rule = Selection(count=2)
    assert list(select(frame, rule)) == ["A00", "A01"]
    assert list(select(frame.iloc[::-1], rule)) == ["A00", "A01"]


def test_nobody_to_choose_from_is_an_empty_selection_even_with_quotas():
    rule = Selection(count=2, quota=(Quota(field="staff_category", value="civilian", min=1),))
    assert list(select(candidates([], [], []), rule)) == []


def test_a_quota_can_pull_in_a_lower_score():
    frame = candidates([90.0, 80.0, 10.0], ["operational", "operational", "civilian"], ["no"] * 3)
    rule = Selection(count=2, quota=(Quota(field="staff_category", value="civilian", min=1),))
    assert sorted(select(frame, rule)) == ["A00", "A02"]


def test_unmet_quotas_say_which_and_by_how_much():
    frame = candidates([90.0, 80.0, 70.0], ["operational"] * 2 + ["civilian"], ["no"] * 3)
    rule = Selection(count=2, quota=(Quota(field="staff_category", value="civilian", min=3),))
    with pytest.raises(QuotasUnmet, match=r"staff_category=civilian needs at least 3, but only 1 "
                                          r"qualified applicants have it \(short by 2\)"):
        select(frame, rule)
