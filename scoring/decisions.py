"""HR's decisions about one applicant at a time, kept as a log in `inbox/decisions/`: who
withdrew, whom HR took out or put forward past the score cut, and who is given more time, a
longer video or a recording of sound alone. The newest decision per applicant counts, at every
step that decides on them."""

from __future__ import annotations

from enum import StrEnum

import pandas as pd

from scoring.applications import clean_text, column_of, parse_dates, parse_timestamps
from scoring.config import Selection, Shortlist, Video
from scoring.funnel import mark_selected
from scoring.reasons import SEPARATOR, Words, is_live, join_reasons, say
from scoring.record import QUALIFIED, YES_NO, Status
from scoring.scorecard import restore_zeros
from scoring.selection import select


class Decision(StrEnum):
    WITHDRAWN = "withdrawn"  # the person left
    EXCLUDE = "exclude"  # HR takes them out, with a reason
    INCLUDE = "include"  # HR puts them forward past the score cut (never past a rule or quota)
    ACCOMMODATE = "accommodate"  # extra_seconds, audio_only or a later deadline


# The log's columns (the contract) and what a Norwegian sheet may call them.
HEADERS = {
    "applicant_id": ("applicant_id", "søker-id", "ansattnummer"),
    "decision": ("decision", "beslutning"),
    "reason": ("reason", "begrunnelse"),
    "decided_by": ("decided_by", "besluttet av"),
    "decided_at": ("decided_at", "besluttet", "dato"),
    "extra_seconds": ("extra_seconds", "ekstra sekunder"),
    "audio_only": ("audio_only", "bare lyd"),
    "deadline": ("deadline", "frist"),
}
REQUIRED = ["applicant_id", "decision", "decided_by", "decided_at"]
SPELLINGS = {
    "withdrawn": Decision.WITHDRAWN, "trukket": Decision.WITHDRAWN,
    "exclude": Decision.EXCLUDE, "utelukket": Decision.EXCLUDE,
    "include": Decision.INCLUDE, "tatt med": Decision.INCLUDE,
    "accommodate": Decision.ACCOMMODATE, "tilrettelagt": Decision.ACCOMMODATE,
}
# What each decision that ends the funnel makes of the applicant, and the reason it gives.
ENDS = {Decision.WITHDRAWN: (Status.WITHDRAWN, "decision_withdrawn"),
        Decision.EXCLUDE: (Status.EXCLUDED, "decision_excluded")}


def check_decisions(raw: pd.DataFrame, known_ids: pd.Index, leaders: pd.Index,
                    words: Words) -> pd.DataFrame:
    """Typed decision rows, each with the reasons it cannot count (empty when it counts).

    A decision names a known applicant, or one of the `leaders` (who can only withdraw), says
    what was decided, by whom and when; an exclusion gives its reason; an accommodation grants
    at least one of its three. Of an applicant's decisions that can count, the newest (by
    `decided_at`, then the later sheet and row) counts and the older are marked `replaced`.
    """
    out = pd.DataFrame(index=raw.index)
    out["applicant_id"] = restore_zeros(clean_text(raw["applicant_id"]), known_ids)
    decision = clean_text(raw["decision"]).str.lower()
    out["decision"] = decision.map(SPELLINGS).astype("string")
    for column in ("reason", "decided_by"):
        out[column] = clean_text(column_of(raw, column))
    out["decided_at"] = parse_timestamps(raw["decided_at"])
    extra = clean_text(column_of(raw, "extra_seconds"))
    out["extra_seconds"] = pd.to_numeric(extra.str.replace(",", ".", regex=False),
                                         errors="coerce")
    audio = clean_text(column_of(raw, "audio_only")).str.lower()
    out["audio_only"] = audio.map(YES_NO).eq("yes").where(audio.isin(list(YES_NO)))
    deadline = clean_text(column_of(raw, "deadline"))
    out["deadline"] = parse_dates(column_of(raw, "deadline")).dt.date
    out["source_file"] = raw["source_file"].astype("string")
    out["source_row"] = raw["source_row"].astype("int64")
    out["sheet_order"] = raw["sheet_order"].astype("int64")

    accommodating = out["decision"] == Decision.ACCOMMODATE
    grants = (out["extra_seconds"].notna() | out["audio_only"].fillna(False)
              | out["deadline"].notna())
    reasons = pd.DataFrame(index=raw.index)
    reasons["id"] = say(words, "id_missing", raw.index, where=out["applicant_id"].isna())
    reasons["unknown"] = say(words, "decision_unknown_applicant", raw.index,
                             where=out["applicant_id"].notna()
                             & ~out["applicant_id"].isin(known_ids.union(leaders)),
                             id=out["applicant_id"])
    reasons["leader"] = say(words, "decision_leader_withdraws", raw.index,
                            where=out["applicant_id"].isin(leaders) & out["decision"].notna()
                            & (out["decision"] != Decision.WITHDRAWN))
    reasons["decision"] = say(words, "decision_unknown", raw.index, where=out["decision"].isna(),
                              value=decision.fillna(""))
    reasons["by"] = say(words, "decided_by_missing", raw.index, where=out["decided_by"].isna())
    reasons["at"] = say(words, "decided_at_invalid", raw.index, where=out["decided_at"].isna(),
                        value=clean_text(raw["decided_at"]).fillna(""))
    reasons["why"] = say(words, "exclude_reason_missing", raw.index,
                         where=(out["decision"] == Decision.EXCLUDE) & out["reason"].isna())
    reasons["extra"] = say(words, "extra_seconds_invalid", raw.index,
                           where=extra.notna() & ~(out["extra_seconds"] > 0), value=extra)
    reasons["audio"] = say(words, "audio_only_unknown", raw.index,
                           where=audio.notna() & out["audio_only"].isna(), value=audio)
    reasons["deadline"] = say(words, "deadline_invalid", raw.index,
                              where=deadline.notna() & out["deadline"].isna(), value=deadline)
    misspelt = reasons[["extra", "audio", "deadline"]].notna().any(axis=1)
    reasons["grants"] = say(words, "accommodation_empty", raw.index,
                            where=accommodating & ~grants & ~misspelt)
    out["reasons"] = join_reasons(reasons)

    order = out[is_live(out)].sort_values(["decided_at", "sheet_order", "source_row"],
                                          kind="stable")
    newest = order.groupby("applicant_id", sort=False).tail(1)
    out["replaced"] = is_live(out) & ~out.index.isin(newest.index)
    place = newest.set_index("applicant_id")[["source_file", "source_row"]]
    later = place.reindex(out["applicant_id"]).set_axis(out.index)
    replaced = out.index[out["replaced"]]
    out.loc[replaced, "reasons"] = say(words, "decision_replaced", replaced,
                                       file=later["source_file"], row=later["source_row"])
    return out


def current(decisions: pd.DataFrame) -> pd.DataFrame:
    """The decision that counts for each applicant it names, indexed by applicant id."""
    return decisions[is_live(decisions)].set_index("applicant_id").sort_index()


def leaders_left(decided: pd.DataFrame, leaders: pd.Index) -> pd.Index:
    """The leaders HR's decisions say have left the programme."""
    return decided.index[decided.index.isin(leaders)
                         & (decided["decision"] == Decision.WITHDRAWN)]


def shown_date(moments: pd.Series) -> pd.Series:
    return pd.to_datetime(moments).dt.strftime("%Y-%m-%d").astype("string")


def take_out(table: pd.DataFrame, decided: pd.DataFrame, words: Words) -> pd.DataFrame:
    """Applicants who withdrew or whom HR excluded leave the step, whatever it would have
    made of them, with the decision as their reason; nobody else changes."""
    out = table.copy()
    for decision, (status, key) in ENDS.items():
        mine = decided[decided["decision"] == decision]
        ids = out.index.intersection(mine.index)
        reason = say(words, key, mine.index, date=shown_date(mine["decided_at"]),
                     reason=mine["reason"].fillna("–"))
        out.loc[ids, "status"] = status
        out.loc[ids, "reasons"] = reason[ids].to_numpy()
    return out


def put_forward(table: pd.DataFrame, decided: pd.DataFrame) -> pd.Index:
    """The qualified applicants HR includes: a selection takes them before anyone else, as
    far as its count and quotas allow."""
    included = decided.index[decided["decision"] == Decision.INCLUDE]
    qualified = table.index[table["status"] == QUALIFIED]
    return qualified.intersection(included)


def note_included(table: pd.DataFrame, decided: pd.DataFrame, words: Words) -> pd.DataFrame:
    """Each applicant HR includes has the decision first among their reasons, so that whoever
    reads why they were (or could not be) chosen sees it."""
    out = table.copy()
    mine = decided[decided["decision"] == Decision.INCLUDE]
    ids = out.index.intersection(mine.index)
    said = say(words, "decision_included", mine.index, date=shown_date(mine["decided_at"]),
               reason=mine["reason"].fillna("–"))[ids]
    before = out.loc[ids, "reasons"].astype("string").fillna("")
    out.loc[ids, "reasons"] = (said + SEPARATOR + before).where(before != "", said).to_numpy()
    return out


def choose(table: pd.DataFrame, decided: pd.DataFrame, rule: Selection | Shortlist,
           yes: Status, no: Status, words: Words, by: str = "score",
           kept: pd.Index | None = None) -> pd.DataFrame:
    """A step's selection with HR's decisions: those who left are out before it is made, those
    HR includes go first, and the places are the optimum over whoever is left, so a place
    someone frees goes to the next best within the quotas.

    Once the shortlist has gone to the leaders, the step keeps whom it chose then (`kept`):
    nobody is chosen anew, and one of them who leaves is taken out by the matching, where
    their leader's place is filled."""
    if kept is not None:
        out = take_out(table, decided.drop(kept, errors="ignore"), words)
        chosen = kept.intersection(out.index[out["status"] == QUALIFIED])
        return note_included(mark_selected(out, chosen, yes=yes, no=no, words=words, by=by),
                             decided, words)
    table = take_out(table, decided, words)
    first = put_forward(table, decided)
    chosen = select(table[table["status"] == QUALIFIED], rule, by=by, first=first)
    marked = mark_selected(table, chosen, yes=yes, no=no, words=words, by=by, first=first)
    return note_included(marked, decided, words)


def accommodations(decided: pd.DataFrame) -> pd.DataFrame:
    """What each accommodated applicant is granted: extra_seconds, audio_only, deadline."""
    mine = decided[decided["decision"] == Decision.ACCOMMODATE]
    return mine[["extra_seconds", "audio_only", "deadline"]].assign(
        extra_seconds=mine["extra_seconds"].fillna(0.0),
        audio_only=mine["audio_only"].fillna(False).astype(bool))


def own_rules(rules: Video, granted: pd.DataFrame, applicant_id: str) -> Video:
    """The video rules one applicant is held to: the programme's, with the extra seconds and
    the leave to send sound alone that HR granted them (`granted`, from `accommodations`)."""
    if applicant_id not in granted.index:
        return rules
    grant = granted.loc[applicant_id]
    return rules.model_copy(update={"max_seconds": rules.max_seconds + grant["extra_seconds"],
                                    "audio_only": bool(grant["audio_only"])})
