"""What HR opens in Excel: the export columns, made safe against formula injection."""

from __future__ import annotations

import re

import pandas as pd

from scoring.applications import some_cell
from scoring.reasons import is_live
from scoring.record import EXPORTED, SHORTLISTED, Status

QUARANTINE_COLUMNS = ("stage", "input", "source_file", "source_row", "applicant_id", "reasons")
PAIR_COLUMNS = ("leader_id", "leader_name", "applicant_id", "name", "unit", "leader_rank",
                "explanation")
SHORTLIST_COLUMNS = ("applicant_id", "name", "unit", "position", "staff_category", "score",
                     "video_score", "final_score", "media", "poster")
# A cell starting with one of these is a formula to Excel and LibreOffice (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# A cell that starts like a formula, among a column's cells set between NULs.
STARTS_FORMULA = re.compile("\x00[" + re.escape("".join(FORMULA_START)) + "]")


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell a spreadsheet would run made plain text. A column is
    gone through cell by cell only when it has such a cell (`some_cell`)."""
    out = frame.copy()
    for name in out.columns:
        if some_cell(STARTS_FORMULA, out[name]):
            out[name] = out[name].map(neutralise, na_action="ignore")
    return out


def applicants_export(table: pd.DataFrame) -> pd.DataFrame:
    out = table.reset_index().reindex(columns=list(EXPORTED))
    out["review_count"] = out["review_count"].astype("Int64")
    return safe_cells(out.sort_values("applicant_id", kind="stable"))


def quarantine_export(rows: pd.DataFrame) -> pd.DataFrame:
    out = rows.reindex(columns=list(QUARANTINE_COLUMNS))
    return safe_cells(out.sort_values(["stage", "input", "source_file", "source_row"],
                                      kind="stable"))


def shortlist_export(table: pd.DataFrame) -> pd.DataFrame:
    chosen = table[table["status"].isin(SHORTLISTED)].reset_index()
    out = chosen.reindex(columns=list(SHORTLIST_COLUMNS))
    return safe_cells(out.sort_values("final_score", ascending=False, kind="stable"))


def quarantine_rows(**inputs: pd.DataFrame) -> pd.DataFrame:
    """Every input row that did not become a live record, with where it came from and why."""
    columns = ["source_file", "source_row", "applicant_id", "reasons"]
    return pd.concat([rows.loc[~is_live(rows), columns].assign(input=name)
                      for name, rows in inputs.items()], ignore_index=True)


def pairs_export(table: pd.DataFrame, leader_names: dict[str, str]) -> pd.DataFrame:
    """Each leader with their mentors, both by name, and why the pair was made."""
    matched = table[table["status"] == Status.MATCHED].reset_index()
    out = matched.assign(explanation=matched["reasons"],
                         leader_name=matched["leader_id"].map(leader_names)
                         ).reindex(columns=list(PAIR_COLUMNS))
    out["leader_rank"] = out["leader_rank"].astype("Int64")
    return safe_cells(out.sort_values(["leader_id", "leader_rank"], kind="stable"))
