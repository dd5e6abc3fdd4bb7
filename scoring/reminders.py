"""Who is behind and may be reminded: at most once a day each, and never of a date that has
passed."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from scoring.record import Status

WITHOUT_VIDEO = (Status.INVITED, Status.VIDEO_MISSING, Status.VIDEO_REJECTED)


def reminded(today: dt.date) -> str:
    """What a reminder tells, for the ledger, which sends one outcome once per person."""
    return f"reminded:{today.isoformat()}"


def videos_awaited(table: pd.DataFrame, sent_since: set[str], deadlines: pd.Series,
                   call: dt.date, today: dt.date) -> pd.Series:
    """The invited applicants without an accepted video who have sent nothing since the videos
    were last checked, by id, with their own deadline (`deadlines`, else the `call`'s), where
    it is still ahead."""
    waiting = table.index[table["status"].isin(WITHOUT_VIDEO) & ~table.index.isin(sent_since)]
    due = deadlines.reindex(waiting).astype(object).fillna(call)
    return due[due >= today]


def sent_after(entries: pd.DataFrame, checked_at: pd.Timestamp | None) -> set[str]:
    """Whom the video entries (claimed_id, modified) name, of those that came after the videos
    were last checked (all of them before the first check)."""
    new = entries if checked_at is None else entries[
        entries["modified"].isna() | (entries["modified"] > checked_at)]
    return set(new["claimed_id"].astype(str))
