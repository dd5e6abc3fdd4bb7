"""Which submitted file is whose video: every file in the videos inbox gets one verdict."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from scoring.reasons import Words, join_reasons, live, say


def deadline_ends(deadlines: pd.Series, timezone: str) -> pd.Series:
    """A video counts when it arrives on its deadline day or before, in the programme's time
    zone: for each deadline, the first moment after that day."""
    days = pd.to_datetime(pd.Series(deadlines, dtype=object)) + pd.Timedelta(days=1)
    return days.dt.tz_localize(timezone)


def match_submissions(entries: pd.DataFrame, known_ids: pd.Index, invited_ids: pd.Index,
                      deadline: dt.date, own_deadlines: pd.Series, timezone: str,
                      words: Words) -> pd.DataFrame:
    """Give each inbox entry an applicant id and the reasons it is not that applicant's live
    submission (empty when it is). The newest of an applicant's valid files is live.

    `entries` has: file, claimed_id (from manifest.csv or the file name), is_symlink, outside,
    exists, size, modified (an aware timestamp), by_file_time (True when `modified` is only the
    file's own time, which copying resets). A file is late after its applicant's own deadline
    (`own_deadlines`, by applicant id), else after the call's `deadline`.
    """
    by_folded = pd.Series(known_ids, index=known_ids.str.casefold())
    by_folded = by_folded[~by_folded.index.duplicated()]
    out = entries.copy()
    out["applicant_id"] = out["claimed_id"].astype("string").str.casefold().map(by_folded)
    present = out["exists"] & ~out["outside"]
    known = out["applicant_id"].notna()
    invited = out["applicant_id"].isin(invited_ids)
    applies = out["applicant_id"].map(own_deadlines).astype(object).fillna(deadline)
    late = out["modified"] > deadline_ends(applies, timezone)
    reasons = pd.DataFrame(index=out.index)
    index = out.index
    reasons["outside"] = say(words, "file_outside", index, where=out["outside"])
    reasons["missing"] = say(words, "file_missing", index, where=~out["exists"] & ~out["outside"])
    reasons["symlink"] = say(words, "file_symlink", index, where=present & out["is_symlink"])
    reasons["unknown"] = say(words, "file_unknown", index, where=present & ~known)
    reasons["not_invited"] = say(words, "not_invited", index, where=present & known & ~invited,
                                 id=out["applicant_id"])
    shown = applies.map(lambda day: day.isoformat()).astype("string")
    reasons["late"] = say(words, "late", index, deadline=shown).where(
        ~out["by_file_time"].astype(bool),
        say(words, "late_by_file_time", index, deadline=shown)).where(present & late)
    out["reasons"] = join_reasons(reasons)

    valid = live(out).sort_values(["modified", "file"], kind="stable")
    newest = valid.groupby("applicant_id").tail(1)
    winner = newest.set_index("applicant_id")["file"]
    older = valid.index.difference(newest.index)
    out.loc[older, "reasons"] = say(words, "video_superseded", older,
                                    file=out.loc[older, "applicant_id"].map(winner))
    return out


def with_verdicts(files: pd.DataFrame, verdicts: pd.DataFrame) -> pd.DataFrame:
    """Every inbox entry with its technical verdict, if it was checked. `reasons` stays the
    matching's: a file that was checked became a live record, whatever the `verdict`."""
    checked = verdicts.reset_index()[["file", "content_hash", "problems", "duration_s",
                                      "reasons", "media", "poster"]]
    out = files.merge(checked.rename(columns={"reasons": "verdict"}), on="file", how="left")
    return out.assign(source_file=out["file"], source_row=0)


def verdicts_of(files: pd.DataFrame) -> pd.DataFrame:
    """The checked live submissions back from the published record, as the checks gave them."""
    checked = live(files)
    return (checked.assign(reasons=checked["verdict"].fillna(""))
            .set_index("applicant_id")[["file", "content_hash", "problems", "reasons",
                                        "duration_s", "media", "poster"]])
