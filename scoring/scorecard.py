"""Reviewer score sheets and the score formula of the Contracts."""

from __future__ import annotations

import pandas as pd

from scoring.applications import clean_text
from scoring.config import Criterion
from scoring.reasons import Words, join_reasons, live, say
from scoring.record import HEADERS

REVIEW_HEADERS: dict[str, tuple[str, ...]] = {
    "applicant_id": HEADERS["applicant_id"],
    "reviewer": ("reviewer", "vurderer", "bedømmer", "vurdert av"),
    "comment": ("comment", "kommentar", "kommentarer"),
}


def review_headers(criteria: tuple[Criterion, ...]) -> dict[str, tuple[str, ...]]:
    """A review sheet's columns: each criterion by its key or by the label program.toml gives
    it (as HR heads the sheet they hand the reviewers)."""
    return {**REVIEW_HEADERS, **{c.key: (c.key, c.label.strip().lower()) for c in criteria}}


def required_review_columns(keys: list[str]) -> list[str]:
    return ["applicant_id", "reviewer", *keys]


def parse_grades(values: pd.Series, scale: tuple[int, int]) -> tuple[pd.Series, pd.Series]:
    """Grades as integers on the scale; blank is "not scored". Returns (grades, invalid): True
    where a cell holds something else."""
    lo, hi = scale
    text = clean_text(values)
    number = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    valid = number.notna() & (number == number.round()) & number.between(lo, hi)
    return number.where(valid).astype("Int64"), text.notna() & ~valid


def restore_zeros(ids: pd.Series, known: pd.Index) -> pd.Series:
    """Ids as the applications have them where a spreadsheet dropped the leading zeros of one
    side ("5" for "000005", as Excel does to a column it reads as numbers) and exactly one
    known id is the same number."""
    known = pd.Index(known.astype("string"))
    by_number = pd.Series(known, index=known.str.lstrip("0"))
    by_number = by_number[~by_number.index.duplicated(keep=False)]
    unmatched = ids.notna() & ~ids.isin(known)
    restored = ids.str.lstrip("0").map(by_number)
    return ids.where(~unmatched | restored.isna(), restored).astype("string")


def unusable(checked: pd.DataFrame) -> pd.Series:
    """The review rows that cannot count for a reason other than a newer review by the same
    reviewer: many of them mean a wrong or damaged sheet, not a few slips."""
    return (checked["reasons"].fillna("") != "") & ~checked["replaced"]


def review_keys(raw: pd.DataFrame, live_ids: pd.Index) -> pd.DataFrame:
    """Whom each review row is of and by: applicant_id (as the applications have it) and
    reviewer (in lower case)."""
    return pd.DataFrame({"applicant_id": restore_zeros(clean_text(raw["applicant_id"]), live_ids),
                         "reviewer": clean_text(raw["reviewer"]).str.lower()}, index=raw.index)


def check_reviews(raw: pd.DataFrame, criteria: tuple[Criterion, ...], scale: tuple[int, int],
                  live_ids: pd.Index, unknown: str, words: Words,
                  refused: pd.Series | None = None) -> pd.DataFrame:
    """Normalise review rows and give each the reasons it cannot count (empty when it counts).
    Only reviews of `live_ids` count; `unknown` is the reason's key for any other id. A
    criterion is named by its label; `replaced` marks a row a newer one replaced. `refused`
    holds a reason found elsewhere (the panel's terms), NA for none, per row.

    A reviewer's newer row for the same applicant replaces the older one; "newer" is the later
    sheet (`sheet_order`), then the later row. A refused row replaces nothing: it is not the
    reviewer's.
    """
    out = review_keys(raw, live_ids)
    refused = refused if refused is not None else pd.Series(pd.NA, index=raw.index,
                                                            dtype="string")
    reasons = pd.DataFrame(index=raw.index)
    reasons["id"] = say(words, "id_missing", raw.index, where=out["applicant_id"].isna())
    reasons["unknown"] = say(words, unknown, raw.index, where=out["applicant_id"].notna()
                             & ~out["applicant_id"].isin(live_ids), id=out["applicant_id"])
    reasons["reviewer"] = say(words, "reviewer_missing", raw.index, where=out["reviewer"].isna())
    low, high = scale
    for criterion in criteria:
        out[criterion.key], invalid = parse_grades(raw[criterion.key], scale)
        reasons[criterion.key] = say(words, "grade_invalid", raw.index, where=invalid,
                                     criterion=criterion.label,
                                     value=clean_text(raw.loc[invalid, criterion.key]),
                                     low=low, high=high)
    reasons["refused"] = refused
    out["comment"] = clean_text(raw["comment"]) if "comment" in raw else pd.NA
    out["source_file"] = raw["source_file"].astype("string")
    out["source_row"] = raw["source_row"].astype("int64")

    order = raw.sort_values(["sheet_order", "source_row"], kind="stable").index
    ranked = out.loc[order]
    keyed = ranked[ranked["applicant_id"].notna() & ranked["reviewer"].notna()
                   & refused[ranked.index].isna()]
    newest = keyed.groupby(["applicant_id", "reviewer"], sort=False).tail(1)
    place = newest.set_index(["applicant_id", "reviewer"])[["source_file", "source_row"]]
    stale = keyed[~keyed.index.isin(newest.index)]
    newer = place.reindex(pd.MultiIndex.from_frame(stale[["applicant_id", "reviewer"]]))
    newer.index = stale.index
    out["replaced"] = raw.index.isin(stale.index)
    reasons["replaced"] = say(words, "review_replaced", raw.index, where=out["replaced"],
                              file=newer["source_file"], row=newer["source_row"])
    out["reasons"] = join_reasons(reasons)
    return out


def score_applicants(reviews: pd.DataFrame, criteria: tuple[Criterion, ...],
                     scale: tuple[int, int], min_reviews: int, disagreement: int) -> pd.DataFrame:
    """Per applicant id, from the reviews that count: complete review count, score 0-100
    (missing when too few complete reviews), and the criteria on which the reviewers disagree
    by `disagreement` points or more, by their labels with the lowest and highest grade
    ("Motivasjon 2–4"), in no language but the programme's own."""
    keys = [c.key for c in criteria]
    weights = pd.Series({c.key: c.weight for c in criteria})
    lo, hi = scale
    counted = live(reviews)
    complete = counted[counted[keys].notna().all(axis=1)]
    grades = complete[keys].astype("float64").groupby(complete["applicant_id"])
    means = grades.mean()
    counts = grades.size()
    normalised = (means - lo) / (hi - lo)
    score = 100 * (normalised * weights).sum(axis=1) / weights.sum()
    lowest, highest = grades.min(), grades.max()
    flagged = (highest - lowest).ge(disagreement)
    low, high = (g.astype("int64").astype("string") for g in (lowest, highest))
    described = pd.DataFrame(
        {c.key: (f"{c.label} " + low[c.key] + "–" + high[c.key]).where(flagged[c.key])
         for c in criteria}, index=lowest.index)
    return pd.DataFrame({
        "review_count": counts.astype("int64"),
        "score": score.where(counts >= min_reviews).round(2),
        "disagreement": join_reasons(described).replace("", pd.NA),
    }).rename_axis("applicant_id")
