"""One status per applicant, with reasons: where everyone stands after each step."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from scoring.config import Eligibility
from scoring.eligibility import age_on, ineligibility_reasons
from scoring.reasons import Words, is_live, say
from scoring.record import HEADERS, QUALIFIED, STATUSES, Status, decided


def assess(apps: pd.DataFrame, scores: pd.DataFrame, rules: Eligibility, on: dt.date,
           min_reviews: int, words: Words) -> pd.DataFrame:
    """One row per applicant id from the gated application rows (`reasons` empty when live).

    An id whose live row failed the gate is `quarantined` with that row's reasons; otherwise the
    live row decides: `ineligible`, `pending_review`, or `qualified` for selection.
    """
    identified = apps[apps["applicant_id"].notna()]
    live = identified[is_live(identified)]
    latest_bad = identified[identified["is_latest"] & ~is_live(identified)]
    failed = latest_bad[~latest_bad["applicant_id"].isin(live["applicant_id"])]

    table = live.set_index("applicant_id")
    table["age"] = age_on(table["birth_date"], on)
    table = table.join(scores, how="left")
    table["review_count"] = table["review_count"].fillna(0).astype("int64")
    ineligible = ineligibility_reasons(table, rules, on, words)
    table["status"] = QUALIFIED
    table["reasons"] = ""
    is_pending = table["score"].isna()
    table.loc[is_pending, "status"] = Status.PENDING_REVIEW
    table.loc[is_pending, "reasons"] = say(words, "reviews_missing", table.index[is_pending],
                                           count=table["review_count"], needed=min_reviews)
    is_ineligible = ineligible != ""
    table.loc[is_ineligible, "status"] = Status.INELIGIBLE
    table.loc[is_ineligible, "reasons"] = ineligible[is_ineligible]

    # The application as received stays with a quarantined applicant, to tell them what to fix.
    received = [field for field in HEADERS if field != "applicant_id"]
    quarantined = failed.set_index("applicant_id")[[*received, "reasons", "source_file",
                                                   "source_row"]]
    quarantined = quarantined.assign(status=Status.QUARANTINED)
    table = pd.concat([table, quarantined])
    table["reasons"] = table["reasons"].astype("string")
    return table.sort_index()


def mark_selected(table: pd.DataFrame, chosen: pd.Index, yes: Status, no: Status,
                  words: Words, by: str = "score", first: pd.Index | None = None) -> pd.DataFrame:
    """Qualified applicants become `yes` when chosen and `no` otherwise, with the reason why.
    The lowest score chosen is that of those chosen on their score, not of `first` (HR's)."""
    out = table.copy()
    qualified = out["status"] == QUALIFIED
    picked = qualified & out.index.isin(chosen)
    passed = qualified & ~picked
    on_score = picked & ~out.index.isin(first if first is not None else [])
    cutoff = out.loc[on_score if on_score.any() else picked, by].min()
    shown = out[by].map("{:.1f}".format, na_action="ignore").astype("string")
    lowest = f"{cutoff:.1f}"
    out.loc[picked, "status"] = yes
    out.loc[picked, "reasons"] = say(words, "selected", out.index[picked], score=shown)
    out.loc[passed, "status"] = no
    out.loc[passed, "reasons"] = say(words, "not_selected", out.index[passed],
                                     count=int(picked.sum()), score=shown, lowest=lowest)
    above = passed & (out[by] > cutoff)
    out.loc[above, "reasons"] = say(words, "passed_over", out.index[above], score=shown,
                                    lowest=lowest)
    return out


def status_counts(table: pd.DataFrame) -> dict[str, int]:
    counts = table["status"].value_counts()
    return {status: int(counts[status]) for status in STATUSES if status in counts}


def combine_stages(step1: pd.DataFrame, step2: pd.DataFrame,
                   step3: pd.DataFrame) -> pd.DataFrame:
    """Where each applicant stands now. A later step's status overrides an earlier one's for
    applicants the earlier step passed on (invited, shortlisted); a later row for someone a
    rerun of an earlier step no longer passes on is stale and left out."""
    out = step1.copy()
    for later, passed_on, step in ((step2, Status.INVITED, 2), (step3, Status.SHORTLISTED, 3)):
        current = later[later.index.isin(out.index[out["status"] == passed_on])]
        for column in decided(step):
            out[column] = current[column].reindex(out.index) if column in current else pd.NA
        out.loc[current.index, "status"] = current["status"]
        out.loc[current.index, "reasons"] = current["reasons"]
    return out
