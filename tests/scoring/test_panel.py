import itertools

import numpy as np
import pandas as pd
import pytest

from scoring.config import Reviewer
from scoring.panel import PAIRS, PanelImpossible, assign_panel, conflicts, owed, panel_reasons
from tasks.render import reason_texts

NONE_KEPT = pd.DataFrame(columns=PAIRS)


def reviewer(i: int, unit: str, **more: object) -> Reviewer:
    return Reviewer(id=f"r{i}", name=f"Vurderer {i}", email=f"r{i}@example.no", unit=unit,
                    **more)


def instance(seed: int):
    """A few applicants in three units, a panel of three to four with loads and conflicts."""
    rng = np.random.default_rng(seed)
    units = ["Kripos", "Økokrim", "PST"]
    count = int(rng.integers(3, 6))
    people = pd.DataFrame({"unit": rng.choice(units, count)},
                          index=[f"A{i}" for i in range(count)])
    panel = tuple(
        reviewer(i, str(rng.choice(units)),
                 max_load=int(rng.integers(2, 5)) if rng.random() < 0.3 else None,
                 conflicts=tuple(rng.choice(people.index, int(rng.integers(0, 2)))))
        for i in range(int(rng.integers(4, 6))))
    return people, panel


def brute_force(blocked: pd.DataFrame, per_applicant: int, max_load: pd.Series,
                kept=()) -> int | None:
    """The smallest sum of squared loads over every assignment, or None when there is none."""
    options = [[combo for combo in itertools.combinations(blocked.columns, per_applicant)
                if blocked.loc[a, list(combo)].isna().all()
                and all(r in combo for (k, r) in kept if k == a)] for a in blocked.index]
    limit = max_load.reindex(blocked.columns).fillna(len(blocked))
    best = None
    for choice in itertools.product(*options):
        loads = pd.Series([r for combo in choice for r in combo]).value_counts().reindex(
            blocked.columns, fill_value=0)
        if (loads <= limit).all():
            cost = int((loads ** 2).sum())
            best = cost if best is None else min(best, cost)
    return best


@pytest.mark.parametrize("seed", range(40))
def test_the_panel_is_as_even_as_the_brute_force_optimum(seed):
    people, panel = instance(seed)
    blocked = conflicts(people, panel)
    max_load = pd.Series({r.id: r.max_load for r in panel}, dtype="Float64")
    best = brute_force(blocked, 2, max_load)
    if best is None:
        with pytest.raises(PanelImpossible):
            assign_panel(blocked, 2, max_load, NONE_KEPT)
        return
    pairs = assign_panel(blocked, 2, max_load, NONE_KEPT)
    loads = pairs["reviewer_id"].value_counts()
    assert int((loads ** 2).sum()) == best
    assert pairs.groupby("applicant_id").size().reindex(people.index).eq(2).all()
    assert not pairs.duplicated().any()
    assert blocked.stack(future_stack=True).reindex(
        pd.MultiIndex.from_frame(pairs)).isna().all(), "no one reviews across a conflict"
    assert (loads <= max_load.reindex(loads.index).fillna(99)).all()


def test_an_earlier_assignment_is_kept_when_new_applicants_arrive():
    panel = tuple(reviewer(i, "Kripos" if i == 0 else "PST") for i in range(4))
    first = pd.DataFrame({"unit": ["Økokrim"] * 4}, index=["A0", "A1", "A2", "A3"])
    no_limit = pd.Series(dtype="Float64")
    before = assign_panel(conflicts(first, panel), 2, no_limit, NONE_KEPT)
    later = pd.concat([first, pd.DataFrame({"unit": ["Økokrim"] * 4},
                                           index=["A4", "A5", "A6", "A7"])])
    after = assign_panel(conflicts(later, panel), 2, no_limit, before)
    assert set(before.itertuples(index=False)) <= set(after.itertuples(index=False))
    assert after["reviewer_id"].value_counts().tolist() == [4, 4, 4, 4]
    assert len(after) == 16


def test_a_pair_that_became_a_conflict_is_replaced():
    panel = (reviewer(0, "PST"), reviewer(1, "PST"), reviewer(2, "PST"))
    people = pd.DataFrame({"unit": ["Kripos"]}, index=["A0"])
    kept = pd.DataFrame({"applicant_id": ["A0", "A0"], "reviewer_id": ["r0", "r1"]})
    declared = (reviewer(0, "PST", conflicts=("A0",)), *panel[1:])
    pairs = assign_panel(conflicts(people, declared), 2, pd.Series(dtype="Float64"), kept)
    assert sorted(pairs["reviewer_id"]) == ["r1", "r2"]


def test_impossible_panels_say_who_and_why():
    panel = (reviewer(0, "Kripos"), reviewer(1, "PST", conflicts=("A1",)))
    people = pd.DataFrame({"unit": ["Kripos", "Økokrim"]}, index=["A0", "A1"])
    with pytest.raises(PanelImpossible) as short:
        assign_panel(conflicts(people, panel), 2, pd.Series(dtype="Float64"), NONE_KEPT)
    message = str(short.value)
    assert "A0: 1 of 2 may review them (r0 unit)" in message
    assert "A1: 1 of 2 may review them (r1 declared)" in message

    roomy = (reviewer(0, "PST", max_load=1), reviewer(1, "PST", max_load=1))
    people = pd.DataFrame({"unit": ["Kripos", "Økokrim"]}, index=["A0", "A1"])
    with pytest.raises(PanelImpossible, match="4 reviews, but the panel's max_load allows 2"):
        assign_panel(conflicts(people, roomy), 2, pd.Series({"r0": 1, "r1": 1}), NONE_KEPT)


def test_owed_reviews_are_the_assigned_ones_without_a_complete_review_that_counts():
    assigned = pd.DataFrame({"applicant_id": ["A0", "A0", "A1"],
                             "reviewer_id": ["r0", "r1", "r0"]})
    reviews = pd.DataFrame({"applicant_id": ["A0", "A0", "A1"], "reviewer": ["r0", "r1", "r0"],
                            "digital": [3, None, 4], "reasons": ["", "", "vurderer mangler"]})
    assert owed(assigned, reviews, ["digital"]).values.tolist() == [["A0", "r1"], ["A1", "r0"]]


def test_reviews_the_panel_cannot_count_say_why():
    panel = (reviewer(0, "PST", conflicts=("A1",)), reviewer(1, "Kripos"))
    people = pd.DataFrame({"unit": ["Kripos", "Økokrim"]}, index=["A0", "A1"])
    assigned = pd.DataFrame({"applicant_id": ["A0", "A1"], "reviewer_id": ["r0", "r1"]})
    reviews = pd.DataFrame({"applicant_id": ["A0", "A0", "A1", "A1", "A0", "A0"],
                            "reviewer": ["r0", "r1", "r0", "r1", "ola", "r0"]})
    signed = pd.Series([None, None, None, None, None, "r1"], dtype="string")
    altered = pd.Series([False, False, False, True, False, False])
    reasons = panel_reasons(reviews, assigned, conflicts(people, panel), signed, altered,
                            reason_texts("en")).tolist()
    assert pd.isna(reasons[0])
    assert reasons[1] == "reviewer r1 works in the applicant's own unit"
    assert reasons[2] == "reviewer r0 declared a conflict of interest with this applicant"
    assert reasons[3].startswith("the sheet's token is not valid")
    assert reasons[4] == "reviewer ola is not assigned to this applicant (see mentoring assign)"
    assert reasons[5] == "the sheet was made for reviewer r1; its reviewer column was changed"
