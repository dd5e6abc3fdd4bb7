"""Reasons a person can read, kept per row as one `;`-separated text."""

from __future__ import annotations

import pandas as pd

SEPARATOR = "; "


def join_reasons(parts: pd.DataFrame) -> pd.Series:
    """Join each row's non-missing reason columns, left to right; empty text when none apply."""
    out = pd.Series("", index=parts.index, dtype="string")
    for name in parts:
        part = parts[name].astype("string")
        joined = (out + SEPARATOR + part).where(out != "", part)
        out = joined.where(part.notna(), out)
    return out


def is_live(rows: pd.DataFrame) -> pd.Series:
    """True for the rows no reason keeps out: an empty `reasons` means the row counts."""
    return rows["reasons"] == ""


def live(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[is_live(rows)]
