"""Ranking sheets returned by leaders: the signed token, and the rules a sheet must meet."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

import pandas as pd

from scoring.reasons import Words, live


def sign(secret: bytes, leader_id: str, shortlist: str) -> str:
    """A token binding a sheet to one leader and one shortlist; editing either breaks it."""
    body = f"{leader_id}:{shortlist}"
    mac = hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{body}:{mac}"


def verify(secret: bytes, token: object, shortlist: str, leaders: set[str],
           words: Words) -> tuple[str | None, str]:
    """(leader id, "") for a good token, else (None, the reason for HR to pass on)."""
    if not isinstance(token, str) or token.count(":") != 2:
        return None, words["sheet_no_token"]
    leader_id, made_for, _ = token.split(":")
    if not hmac.compare_digest(sign(secret, leader_id, made_for), token.strip()):
        return None, words["sheet_altered"]
    if leader_id not in leaders:
        return None, words["sheet_other_leader"].format(leader=leader_id)
    if made_for != shortlist:
        return None, words["sheet_old_shortlist"]
    return leader_id, ""


# What can be wrong with a ranking sheet: a code of `[rank_problems]` (labels.toml) with its
# figures, and `who`, the candidates it concerns. HR's report says it as the leader reads it.
Problem = dict[str, Any]


def check_ranks(rows: pd.DataFrame, available: set[str], shortlisted: set[str],
                min_ranked: int) -> tuple[pd.DataFrame, list[Problem]]:
    """The ranked rows of one sheet (`applicant_id`, `rank` as int) and every reason the sheet
    cannot count (none when it counts). A blank rank is "not ranked"."""
    text = rows["rank"].astype("string").str.strip()
    ranked = rows[text.notna() & (text != "")].copy()
    number = pd.to_numeric(ranked["rank"], errors="coerce")
    problems: list[Problem] = []
    bad = ranked[~(number.notna() & (number == number.round()) & (number >= 1))]
    problems += [{"code": "not_whole", "value": value, "who": [applicant_id]}
                 for applicant_id, value in zip(bad["applicant_id"], bad["rank"], strict=True)]
    ranked = ranked.assign(rank=number).dropna(subset=["rank"])
    ranked["rank"] = ranked["rank"].astype("int64")
    for rank, group in ranked.groupby("rank"):
        if len(group) > 1:
            problems.append({"code": "twice", "rank": rank, "who": list(group["applicant_id"])})
    for applicant_id in ranked["applicant_id"]:
        if applicant_id not in shortlisted:
            problems.append({"code": "not_shortlisted", "who": [applicant_id]})
        elif applicant_id not in available:
            problems.append({"code": "unavailable", "who": [applicant_id]})
    if len(ranked) < min_ranked:
        problems.append({"code": "too_few", "ranked": len(ranked), "needed": min_ranked,
                         "who": []})
    return ranked[["applicant_id", "rank"]], problems


def describe_ranks(problems: list[Problem], texts: Mapping[str, str],
                   names: Mapping[str, str] | None = None) -> str:
    """The problems in `texts`, one after the other; candidates by name where `names` has
    them."""
    def who(ids: list[str]) -> str:
        return ", ".join((names or {}).get(i, i) for i in ids)

    return " ".join(texts[p["code"]].format(**{**p, "who": who(p["who"])}) for p in problems)


def given_ranks(form: Mapping[str, str], candidates: list[str]) -> pd.DataFrame:
    """The ranks a leader gave on the page (`form`: candidate id -> what was chosen, blank for
    "not ranked") as the rows of a sheet, for `check_ranks`."""
    return pd.DataFrame({"applicant_id": candidates,
                         "rank": [form.get(c, "") for c in candidates]}, dtype="string")


def mistakes(problems: list[Problem], texts: Mapping[str, str],
             names: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """Each problem in words: beside each candidate it names, and those that name nobody."""
    beside: dict[str, str] = {}
    general = []
    for problem in problems:
        words = describe_ranks([problem], texts, names)
        for candidate in problem["who"]:
            beside[candidate] = words
        if not problem["who"]:
            general.append(words)
    return beside, general


def newest_sheets(sheets: pd.DataFrame,
                  ranks: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A leader's newest sheet that counts replaces the older ones (the sheets come oldest
    first). Returns the ranks of the sheets that count (leader_id, applicant_id, rank) and
    every sheet with its reasons and where it came from, for the quarantine."""
    good = live(sheets)
    newest = good.groupby("leader_id").tail(1)
    newer = newest.set_index("leader_id")["file"]
    out = sheets.copy()
    replaced = good.index.difference(newest.index)
    leader = out.loc[replaced, "leader_id"]
    out.loc[replaced, "reasons"] = ("replaced by a newer sheet from " + leader + ", "
                                    + leader.map(newer))
    out = out.assign(source_file=out["file"], source_row=0, applicant_id=None)
    return ranks[ranks["file"].isin(newest["file"])].drop(columns="file"), out
