import pandas as pd

from scoring.rescoring import what_moved
from tasks.render import reason_texts


def table(**rows) -> pd.DataFrame:
    frame = pd.DataFrame.from_dict(rows, orient="index",
                                   columns=["status", "score", "review_count", "disagreement"])
    return frame.rename_axis("applicant_id")


def moved(before, after, config_changed=False):
    return what_moved(before, after, config_changed, threshold=5,
                      words=reason_texts("en")).set_index("applicant_id")


def test_a_late_review_that_moves_someone_onto_the_list_is_named_as_the_cause():
    before = table(A=("pending_review", None, 1, None), B=("invited", 70.0, 2, None))
    after = table(A=("invited", 80.0, 2, None), B=("not_invited", 70.0, 2, None))
    result = moved(before, after)
    assert result.loc["A", "from"] == "pending_review"
    assert result.loc["A", "to"] == "invited"
    assert result.loc["A", "why"] == "complete reviews 1 → 2; score — → 80.0"
    assert result.loc["B", "why"] == "others' scores or the quotas changed the selection"


def test_a_changed_weight_is_named_as_the_cause():
    before = table(A=("not_invited", 50.0, 2, None))
    after = table(A=("invited", 58.0, 2, None))
    assert moved(before, after, config_changed=True).loc["A", "why"] == (
        "score 50.0 → 58.0 (program.toml changed)")


def test_small_score_changes_without_a_move_are_left_out_and_big_ones_kept():
    before = table(A=("not_invited", 50.0, 2, None), B=("not_invited", 40.0, 2, None))
    after = table(A=("not_invited", 52.0, 2, None), B=("not_invited", 47.0, 2, None))
    result = moved(before, after, config_changed=True)
    assert list(result.index) == ["B"]
    assert result.loc["B", "from"] == result.loc["B", "to"] == "not_invited"


def test_a_new_disagreement_is_reported():
    before = table(A=("invited", 70.0, 2, None))
    after = table(A=("invited", 70.0, 2, "Digital kompetanse 2–5"))
    assert moved(before, after).loc["A", "why"] == (
        "new reviewer disagreement: Digital kompetanse 2–5")


def test_nothing_changed_means_nothing_moved():
    before = table(A=("invited", 70.0, 2, "Digital kompetanse 2–4"))
    assert moved(before, before.copy()).empty
