"""What a rescoring changed: who moved between statuses, whose score moved, and why."""

from __future__ import annotations

import pandas as pd

COLUMNS = ["applicant_id", "from", "to", "why"]


def score_text(before: float, after: float) -> str:
    def shown(value: float) -> str:
        return "none" if pd.isna(value) else f"{value:.1f}"
    return f"{shown(before)} → {shown(after)}"


def what_moved(before: pd.DataFrame, after: pd.DataFrame, config_changed: bool,
               threshold: float) -> pd.DataFrame:
    """One row per applicant whose status changed, whose score or final score moved by at least
    `threshold` points, or whose reviewers newly disagree; `why` names the cause.

    Both frames are indexed by applicant id with status, score, review_count, disagreement and,
    after step 2, final_score and video_review_count.
    """
    ids = before.index.union(after.index)
    old = before.reindex(ids)
    new = after.reindex(ids)
    rows = []
    for applicant_id in ids:
        was, now = old.loc[applicant_id], new.loc[applicant_id]
        reasons = []
        for column, label in (("review_count", "reviews"), ("video_review_count",
                                                             "video reviews")):
            if column in new and not same(was.get(column), now.get(column)):
                reasons.append(f"complete {label} {int_text(was.get(column))} → "
                               f"{int_text(now.get(column))}")
        for column, label in (("score", "score"), ("final_score", "final score")):
            if column in new and not same(was.get(column), now.get(column)):
                cause = "program.toml changed" if config_changed and not reasons else ""
                reasons.append(f"{label} {score_text(was.get(column), now.get(column))}"
                               + (f" ({cause})" if cause else ""))
        moved_status = was.get("status") != now.get("status")
        big = any(column in new and abs(delta(was.get(column), now.get(column))) >= threshold
                  for column in ("score", "final_score"))
        fresh = pd.notna(now.get("disagreement")) and not same(was.get("disagreement"),
                                                                now.get("disagreement"))
        if fresh:
            reasons.append(f"new reviewer disagreement: {now.get('disagreement')}")
        if moved_status and not reasons:
            reasons.append("others' scores or the quotas changed the selection")
        if moved_status or big or fresh:
            rows.append((applicant_id, status_of(was), status_of(now), "; ".join(reasons)))
    return pd.DataFrame(rows, columns=COLUMNS)


def same(a: object, b: object) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) < 0.005
    return a == b


def delta(a: object, b: object) -> float:
    if pd.isna(a) or pd.isna(b):
        return 0.0 if pd.isna(a) and pd.isna(b) else float("inf")
    return float(b) - float(a)


def int_text(value: object) -> str:
    return "0" if pd.isna(value) else str(int(value))


def status_of(row: pd.Series) -> str | None:
    return None if pd.isna(row.get("status")) else str(row.get("status"))
