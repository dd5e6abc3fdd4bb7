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


def say(words: Words, key: str, index: pd.Index, *, where: pd.Series | None = None,
        **values: object) -> pd.Series:
    """The reason `key` for every row of `index` (or only those `where` holds, the others
    missing), its {placeholders} filled from `values`: a Series gives each row its own value,
    anything else is the same for all rows. Filled in only where it is given: most rows of a
    large sheet need no reason, and filling them all took seconds at 100k rows."""
    rows = index if where is None else index[where.reindex(index, fill_value=False)
                                             .to_numpy(dtype=bool, na_value=False)]
    parts = PLACEHOLDER.split(words[key])
    out = pd.Series(parts[0], index=rows, dtype="string")
    for name, text in zip(parts[1::2], parts[2::2], strict=True):
        value = values[name]
        filled = (value.astype("string").reindex(rows) if isinstance(value, pd.Series)
                  else str(value))
        out = out + filled + text
    return out if where is None else out.reindex(index)


def join_reasons(parts: pd.DataFrame) -> pd.Series:
    """Join each row's non-missing reason columns, left to right; empty text when none apply.
    Only the rows with a reason are joined, one by one."""
    rows = parts[parts.notna().any(axis=1)]
    joined = [SEPARATOR.join(text for text in row if isinstance(text, str))
              for row in rows.to_numpy(dtype=object)]
    return pd.Series(joined, index=rows.index, dtype="string").reindex(parts.index,
                                                                        fill_value="")


def is_live(rows: pd.DataFrame) -> pd.Series:
    """True for the rows no reason keeps out: an empty `reasons` means the row counts."""
    return rows["reasons"] == ""


def live(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[is_live(rows)]
