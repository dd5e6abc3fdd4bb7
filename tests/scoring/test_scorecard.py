import pandas as pd
import pytest

from factories import program
from scoring.scorecard import check_reviews, score_applicants
from tasks.render import reason_texts

CARD = program().scorecard
KEYS = CARD.criterion_keys
WORDS = reason_texts("nb")


def sheet(*rows: tuple, order: int = 0) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["applicant_id", "reviewer", *KEYS]).astype(object)
    return frame.assign(source_file=f"inbox/reviews/s{order}.csv", sheet_order=order,
                        source_row=range(2, len(rows) + 2))


def checked(raw: pd.DataFrame, known: list[str]) -> pd.DataFrame:
    return check_reviews(raw, CARD.criteria, CARD.scale, pd.Index(known), "no_live_application",
                         WORDS)


def scores(reviews: pd.DataFrame) -> pd.DataFrame:
    live = reviews[reviews["reasons"] == ""]
    return score_applicants(live, CARD.criteria, CARD.scale, CARD.min_reviews, CARD.disagreement)


def test_score_follows_the_contract_formula():
    reviews = checked(sheet(("A1", "r1", 5, 3, 1), ("A1", "r2", 3, 3, 1)), ["A1"])
    # means 4, 3, 1 -> normalised .75, .5, 0 -> 100 * (3*.75 + 4*.5 + 2*0) / 9
    assert scores(reviews).loc["A1", "score"] == pytest.approx(100 * 4.25 / 9, abs=0.01)


def test_too_few_complete_reviews_leave_the_score_missing_not_zero():
    reviews = checked(sheet(("A1", "r1", 5, 5, 5), ("A1", "r2", 5, None, 5)), ["A1"])
    result = scores(reviews)
    assert result.loc["A1", "review_count"] == 1
    assert pd.isna(result.loc["A1", "score"])


def test_reviewers_far_apart_on_a_criterion_are_flagged():
    reviews = checked(sheet(("A1", "r1", 1, 3, 3), ("A1", "r2", 4, 3, 4)), ["A1"])
    assert scores(reviews).loc["A1", "disagreement"] == "Motivasjon 1–4"


@pytest.mark.parametrize(("value", "reason"), [
    (0, "Motivasjon «0» er ikke et helt tall fra 1 til 5"),
    (6, "Motivasjon «6» er ikke et helt tall fra 1 til 5"),
    ("fire", "Motivasjon «fire» er ikke et helt tall fra 1 til 5"),
    (3.5, "Motivasjon «3.5» er ikke et helt tall fra 1 til 5"),
])
def test_out_of_scale_grades_quarantine_the_review_with_a_reason(value, reason):
    reviews = checked(sheet(("A1", "r1", value, 3, 3)), ["A1"])
    assert reviews.loc[0, "reasons"] == reason


def test_a_review_of_an_unknown_applicant_is_quarantined():
    reviews = checked(sheet(("X9", "r1", 3, 3, 3)), ["A1"])
    assert reviews.loc[0, "reasons"] == "ingen gyldig søknad med søker-ID X9"


def test_a_reviewers_newer_sheet_replaces_the_older_review():
    raw = pd.concat([sheet(("A1", "r1", 1, 1, 1), order=0), sheet(("A1", "R1 ", 5, 5, 5), order=1)],
                    ignore_index=True)
    reviews = checked(raw, ["A1"])
    assert reviews.loc[0, "reasons"] == ("erstattet av samme vurderers nyere vurdering i "
                                         "inbox/reviews/s1.csv, rad 2")
    assert reviews.loc[1, "reasons"] == ""


@pytest.mark.parametrize(("given", "known", "read"), [
    ("5", ["000005", "000006"], "000005"),   # the review sheet was saved in Excel
    ("000005", ["5", "6"], "5"),             # the application export was
    ("5", ["05", "005"], "5"),               # two ids are the same number: no guess
    ("A5", ["A05"], "A5"),                   # only leading zeros, never inside
    ("7", ["000005"], "7"),
])
def test_an_id_that_lost_its_leading_zeros_is_read_as_the_one_application_it_can_be(
        given, known, read):
    reviews = checked(sheet((given, "r1", 3, 3, 3)), known)
    assert reviews.loc[0, "applicant_id"] == read
