"""What a leader sees of a candidate: a whitelist of fields, so nothing sensitive can slip in."""

from __future__ import annotations

import hashlib

import pandas as pd

from scoring.config import Leader
from scoring.record import TO_LEADERS

EXCERPT_WORDS = 45


def excerpt(text: object, words: int = EXCERPT_WORDS) -> str:
    parts = str(text).split() if isinstance(text, str) else []
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def shortlist_id(candidate_ids: list[str]) -> str:
    """Names one shortlist: a ranking sheet is bound to the shortlist it was made for."""
    return hashlib.sha256("\n".join(sorted(candidate_ids)).encode()).hexdigest()[:12]


def conflicts(candidates: pd.DataFrame, leader: Leader, fields: tuple[str, ...]) -> pd.Series:
    """True where a candidate shares a conflict field (e.g. the unit) with the leader."""
    clash = pd.Series(False, index=candidates.index)
    for field in fields:
        own = str(getattr(leader, field)).casefold()
        clash |= candidates[field].astype("string").str.casefold().eq(own).fillna(False)
    return clash


def cards(shortlist: pd.DataFrame, leader: Leader, fields: tuple[str, ...]) -> list[dict]:
    """One card per shortlisted candidate, by name; those the leader cannot choose (a conflict
    of interest) are marked unavailable and come last."""
    table = shortlist.reset_index()[list(TO_LEADERS)]
    table["motivation"] = table["motivation"].map(excerpt)
    table["available"] = ~conflicts(table, leader, fields).to_numpy()
    ordered = table.sort_values(["available", "name"], ascending=[False, True], kind="stable")
    return [{str(k): v for k, v in card.items()} for card in ordered.to_dict("records")]


def allowed(candidates: pd.DataFrame, leaders: tuple[Leader, ...],
            fields: tuple[str, ...]) -> pd.DataFrame:
    """Leader x candidate: False where a conflict of interest rules the pair out."""
    return pd.DataFrame({leader.id: ~conflicts(candidates, leader, fields) for leader in leaders},
                        index=candidates.index).T
