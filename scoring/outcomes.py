"""Who is owed which letter: the outcome each applicant now has and has not been told, and the
video deadline a letter may give, so that every date in a letter is still ahead."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from scoring.applications import EMAIL, REASON_FIELDS
from scoring.reasons import PLACEHOLDER, SEPARATOR, Words
from scoring.record import LEFT, Status

# The outcomes `mentoring notify` tells. Invitations go out with intake, rejected videos with
# the videos stage and the pairs with `match --announce`; whoever is still pending hears
# nothing until there is something to tell.
TOLD_BY_NOTIFY = (Status.QUARANTINED, Status.INELIGIBLE, Status.NOT_INVITED,
                  Status.VIDEO_MISSING, Status.NOT_SHORTLISTED, Status.UNMATCHED, *LEFT)


def video_deadline(call: dt.date, today: dt.date, grace_days: int,
                   granted: dt.date | None = None) -> dt.date:
    """The deadline a letter sent `today` gives for a video: the call's while it is still ahead
    (or today), else `grace_days` from today (a late invitation, a rejected video); a later
    one HR `granted` the applicant wins."""
    due = call if today <= call else today + dt.timedelta(days=grace_days)
    return max(due, granted) if granted is not None and not pd.isna(granted) else due


def own_deadlines(call: dt.date, given: pd.DataFrame) -> pd.Series:
    """Each applicant's video deadline: the latest any letter gave them (`given`: recipient_id,
    deadline), never before the call's. Applicants no letter gave one to are left out."""
    dated = given.dropna(subset=["deadline"])
    latest = pd.to_datetime(dated["deadline"]).dt.date.groupby(dated["recipient_id"]).max()
    return latest.map(lambda day: max(day, call)).rename_axis("applicant_id")


def owed(table: pd.DataFrame, told: set[tuple[str, str]], deadlines: pd.Series,
         call_deadline: dt.date, today: dt.date, rankings_awaited: bool) -> pd.DataFrame:
    """One row per applicant owed an outcome letter (applicant_id, outcome), in id order.

    A missing video is an outcome once the applicant's own deadline (`deadlines`, else the
    call's) has passed; being unmatched is one once no leader's ranking is awaited. Whoever
    gave no usable e-mail address cannot be written to (HR finds them in the quarantine).
    """
    status = table["status"]
    own = deadlines.reindex(table.index).astype(object).fillna(call_deadline)
    still_open = (status == Status.VIDEO_MISSING) & (own >= today)
    undecided = (status == Status.UNMATCHED) & rankings_awaited
    reachable = table["email"].astype("string").str.fullmatch(EMAIL).fillna(False)
    due = table.index[status.isin(TOLD_BY_NOTIFY) & ~still_open & ~undecided & reachable]
    rows = pd.DataFrame({"applicant_id": due, "outcome": status[due].astype(str).to_numpy()})
    told_before = pd.MultiIndex.from_frame(rows).isin(list(told))
    return rows[~told_before].sort_values("applicant_id", kind="stable").reset_index(drop=True)


def fields_at_fault(reasons: str, words: Words) -> list[str]:
    """The fields an application row failed on, in order, once each: each of its quarantine
    reasons is read back by the template of `words` it was said with."""
    said = {key: re.compile(".*?".join(map(re.escape, PLACEHOLDER.split(words[key])[::2])))
            for key in REASON_FIELDS}
    return list(dict.fromkeys(field for part in reasons.split(SEPARATOR)
                              for key, field in REASON_FIELDS.items()
                              if said[key].fullmatch(part)))
