"""Reasons a person can read, kept per row as one `;`-separated text, in the programme's
language: each reason is a template of the locale's `[reason_texts]` (templates/<locale>/
labels.toml), filled in row by row."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

SEPARATOR = "; "
Words = Mapping[str, str]  # a locale's reason templates, by key
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def say(words: Words, key: str, index: pd.Index, **values: object) -> pd.Series:
    """The reason `key` for every row of `index`, its {placeholders} filled from `values`: a
    Series gives each row its own value, anything else is the same for all rows."""
    parts = PLACEHOLDER.split(words[key])
    out = pd.Series(parts[0], index=index, dtype="string")
    for name, text in zip(parts[1::2], parts[2::2], strict=True):
        value = values[name]
        filled = (value.astype("string").reindex(index) if isinstance(value, pd.Series)
                  else str(value))
        out = out + filled + text
    return out


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
