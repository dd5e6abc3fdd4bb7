"""Properties that hold for any input the form or the reviewers could produce."""

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import program
from scoring.applications import mark_latest, normalise, parse_dates
from scoring.exports import FORMULA_START, safe_cells
from scoring.record import HEADERS
from scoring.scorecard import check_reviews, score_applicants
from tasks.render import reason_texts

CARD = program().scorecard
cells = st.one_of(st.none(), st.text(max_size=30), st.integers(-10**6, 10**6),
                  st.floats(allow_nan=True), st.dates().map(pd.Timestamp))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.fixed_dictionaries({f: cells for f in HEADERS}), min_size=1, max_size=20))
def test_normalising_any_cells_keeps_every_row_and_marks_one_live_row_per_id(records):
    raw = pd.DataFrame(records).assign(source_file="a.csv",
                                       source_row=range(2, len(records) + 2))
    apps = mark_latest(normalise(raw))
    assert len(apps) == len(records)
    with_id = apps[apps["applicant_id"].notna()]
    assert with_id.groupby("applicant_id")["is_latest"].sum().eq(1).all()


@settings(max_examples=100, deadline=None)
@given(st.lists(cells, min_size=1, max_size=20))
def test_a_date_is_either_understood_or_missing(values):
    parsed = parse_dates(pd.Series(values, dtype=object))
    assert len(parsed) == len(values)
    assert parsed.dropna().between(pd.Timestamp("1677-09-22"), pd.Timestamp("2262-04-11")).all()


written_dates = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).flatmap(
    lambda day: st.sampled_from([day.isoformat(), f"{day:%d.%m.%Y}", f"{day:%d.%m.%Y} 00:00"]))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(written_dates, st.text(max_size=12)), min_size=1, max_size=30))
def test_a_date_reads_the_same_whichever_way_the_rest_of_its_column_is_written(values):
    together = parse_dates(pd.Series(values, dtype=object)).tolist()
    assert together == [parse_dates(pd.Series([value], dtype=object)).iloc[0]
                        for value in values]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(["r1", "r2", "r3"]),
                          *[st.one_of(st.none(), st.integers(-2, 8), st.text(max_size=3))] * 3),
                min_size=1, max_size=25))
def test_any_review_sheet_gives_scores_from_0_to_100_or_none(rows):
    raw = pd.DataFrame(rows, columns=["applicant_id", "reviewer", *CARD.criterion_keys],
                       dtype=object).assign(source_file="r.csv", sheet_order=0,
                                            source_row=range(2, len(rows) + 2))
    reviews = check_reviews(raw, CARD.criteria, CARD.scale, pd.Index(["A", "B"]),
                            "no_live_application", reason_texts("nb"))
    assert len(reviews) == len(rows)
    scores = score_applicants(reviews[reviews["reasons"] == ""], CARD.criteria, CARD.scale,
                              CARD.min_reviews, CARD.disagreement)
    assert scores["score"].dropna().between(0, 100).all()
    assert set(scores.index) <= {"A", "B"}


@given(st.lists(st.text(max_size=20), min_size=1, max_size=20))
def test_no_exported_text_cell_can_run_as_a_formula(values):
    out = safe_cells(pd.DataFrame({"cell": values}))["cell"]
    assert not out.str.startswith(FORMULA_START).any()
