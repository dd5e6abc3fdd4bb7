"""What a rescoring changed: who moved between statuses, whose score moved, and why."""

from __future__ import annotations

from typing import Any

import pandas as pd

from scoring.reasons import SEPARATOR, Words
from scoring.record import LEFT

COLUMNS = ["applicant_id", "from", "to", "why"]
# What can make a row move: a status, review counts, scores, or a disagreement.
WATCHED = ("status", "review_count", "video_review_count", "score", "final_score",
           "disagreement")


def score_text(before: float, after: float) -> str:
    def shown(value: float) -> str:
        return "—" if pd.isna(value) else f"{value:.1f}"
    return f"{shown(before)} → {shown(after)}"


def what_moved(before: pd.DataFrame, after: pd.DataFrame, config_changed: bool,
               threshold: float, words: Words) -> pd.DataFrame:
    """One row per applicant whose status changed, whose score or final score moved by at least
    `threshold` points, or whose reviewers newly disagree; `why` names the cause.

    Both frames are indexed by applicant id with status, score, review_count, disagreement and,
    after step 2, final_score and video_review_count. Which rows can have moved is found for
    the whole frame at once; only those are put into words.
    """
    ids = before.index.union(after.index)
    old = before.reindex(ids)
    new = after.reindex(ids)
    columns = [c for c in WATCHED if c in new]
    was_cols, now_cols = old.reindex(columns=columns), new[columns]
    changed = ~(was_cols.eq(now_cols) | (was_cols.isna() & now_cols.isna())).all(axis=1)
    big = score_gaps(old, new) >= threshold
    rows = []
    for applicant_id in ids[changed.to_numpy() | big.to_numpy()]:
        was, now = old.loc[applicant_id], new.loc[applicant_id]
        reasons = []
        for column, key in (("review_count", "moved_reviews"),
                            ("video_review_count", "moved_video_reviews")):
            if column in new and not same(was.get(column), now.get(column)):
                reasons.append(words[key].format(was=int_text(was.get(column)),
                                                 now=int_text(now.get(column))))
        for column, key in (("score", "moved_score"), ("final_score", "moved_final_score")):
            if column in new and not same(was.get(column), now.get(column)):
                cause = f" ({words['moved_config']})" if config_changed and not reasons else ""
                reasons.append(words[key].format(
                    change=score_text(was.get(column), now.get(column))) + cause)
        moved_status = was.get("status") != now.get("status")
        fresh = pd.notna(now.get("disagreement")) and not same(was.get("disagreement"),
                                                                now.get("disagreement"))
        if fresh:
            reasons.append(words["moved_disagreement"].format(criteria=now.get("disagreement")))
        if moved_status and now.get("status") in LEFT:
            reasons.append(str(now.get("reasons")))  # HR's decision, as the table says it
        elif moved_status and not reasons:
            reasons.append(words["moved_selection"])
        if moved_status or big[applicant_id] or fresh:
            rows.append((applicant_id, status_of(was), status_of(now), SEPARATOR.join(reasons)))
    return pd.DataFrame(rows, columns=COLUMNS)


def score_gaps(old: pd.DataFrame, new: pd.DataFrame) -> pd.Series:
    """Per applicant, the largest move of score or final score: 0 when both are missing,
    infinite when one appears or disappears."""
    columns = [c for c in ("score", "final_score") if c in new]
    was, now = old.reindex(columns=columns).astype(float), new[columns].astype(float)
    gaps = (now - was).abs().mask(was.isna() ^ now.isna(), float("inf")).fillna(0.0)
    return gaps.max(axis=1)  # NaN, never big, when there is no score column


def same(a: Any, b: Any) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) < 0.005
    return a == b


def int_text(value: Any) -> str:
    return "0" if pd.isna(value) else str(int(value))


def status_of(row: pd.Series) -> str | None:
    return None if pd.isna(row.get("status")) else str(row.get("status"))
