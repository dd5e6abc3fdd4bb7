"""The reviewer panel: who reviews whom, as evenly as the conflicts allow, and who still owes
which reviews."""

from __future__ import annotations

import hmac

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from scoring.config import Reviewer
from scoring.errors import StageStopped
from scoring.rankings import sign
from scoring.reasons import Words, live, say
from scoring.record import SHORTLISTED, Status

PAIRS = ["applicant_id", "reviewer_id"]
# Whom the panel reviews, by the status its step gave them: at intake every valid, eligible
# application of someone still in the programme; at videos every accepted video.
REVIEWED = {"intake": (Status.PENDING_REVIEW, Status.NOT_INVITED, Status.INVITED),
            "videos": (Status.PENDING_REVIEW, Status.NOT_SHORTLISTED, *SHORTLISTED)}


class PanelImpossible(StageStopped):
    """The panel cannot give every applicant its reviewers under the conflicts and loads."""


def sheet_made_for(secret: bytes, token: object, made_for: str) -> tuple[str | None, bool]:
    """Whom a review sheet's token says it was made for: (reviewer id, False); (None, True)
    for a token that is not one of ours for `made_for`; (None, False) for a sheet without
    one (HR's own sheets)."""
    if token is None:
        return None, False
    text = str(token).strip()
    reviewer = text.partition(":")[0]
    return (reviewer, False) if hmac.compare_digest(sign(secret, reviewer, made_for),
                                                    text) else (None, True)


def conflicts(people: pd.DataFrame, panel: tuple[Reviewer, ...]) -> pd.DataFrame:
    """Applicant (by id, with `unit`) x reviewer id: why the reviewer may not review the
    applicant, "unit" (they work in the same unit) or "declared" (the reviewer declared a
    conflict of interest), NA where they may."""
    out = pd.DataFrame(index=people.index, columns=[r.id for r in panel], dtype="string")
    units = people["unit"].astype("string").str.strip().str.casefold()
    for reviewer in panel:
        out.loc[units.eq(reviewer.unit.strip().casefold()).fillna(False).to_numpy(),
                reviewer.id] = "unit"
        out.loc[out.index.isin(reviewer.conflicts), reviewer.id] = "declared"
    return out


def assign_panel(blocked: pd.DataFrame, per_applicant: int, max_load: pd.Series,
                 kept: pd.DataFrame) -> pd.DataFrame:
    """Pairs (applicant_id, reviewer_id): every applicant (row of `blocked`) gets
    `per_applicant` reviewers not blocked for them, no reviewer more than their `max_load`
    (NA: no limit), and the loads as even as the conflicts allow. `kept` pairs (an earlier
    assignment) stay where still allowed, and the rest are solved around them.

    Exact: the smallest sum of squared loads, which also makes the largest load as small as it
    can be. The model is a flow (each applicant to its reviewers, each reviewer's n-th
    applicant costing 2n - 1), so its linear programme has whole-number optima.
    """
    applicants, reviewers = list(blocked.index), list(blocked.columns)
    if not applicants:
        return pd.DataFrame(columns=PAIRS)
    explain_if_short(blocked, per_applicant, max_load)
    allowed = blocked.isna().to_numpy()
    still = blocked.stack(future_stack=True).reindex(pd.MultiIndex.from_frame(kept[PAIRS]))
    kept = kept[still.isna().to_numpy() & kept["reviewer_id"].isin(reviewers).to_numpy()]
    held = set(kept.sort_values(PAIRS).groupby("applicant_id").head(per_applicant)[PAIRS]
               .itertuples(index=False, name=None))
    limit = np.minimum(allowed.sum(axis=0), max_load.reindex(blocked.columns).fillna(
        len(applicants)).astype(int).to_numpy())
    # No reviewer's load is above the largest the optimum needs: try the even share first,
    # and only a larger one when it cannot be met.
    cap = -(-per_applicant * len(applicants) // len(reviewers))
    while True:
        solved = solve_loads(allowed, held, applicants, reviewers, per_applicant,
                             np.minimum(limit, cap))
        if solved is not None or cap >= limit.max():
            break
        cap *= 2
    if solved is None:
        raise PanelImpossible(
            "the panel cannot give every applicant its reviewers: the reviewers allowed for "
            "some applicants are too few for their max_load (raise a max_load, or add "
            "reviewers outside the applicants' units)")
    rows, cols = np.nonzero(allowed)
    pairs = pd.DataFrame({"applicant_id": np.asarray(applicants, dtype=object)[rows[solved]],
                          "reviewer_id": np.asarray(reviewers, dtype=object)[cols[solved]]})
    return pairs.sort_values(PAIRS, ignore_index=True)


def solve_loads(allowed: np.ndarray, held: set[tuple[str, str]], applicants: list[str],
                reviewers: list[str], per_applicant: int, levels: np.ndarray
                ) -> np.ndarray | None:
    """Which allowed pairs (in `np.nonzero(allowed)` order) the optimum takes with no
    reviewer above their `levels`; None when there is no such assignment."""
    rows, cols = np.nonzero(allowed)
    n_pairs, n_levels = len(rows), int(levels.sum())
    level_reviewer = np.repeat(np.arange(len(reviewers)), levels)
    level_rank = np.concatenate([np.arange(1, n + 1) for n in levels])
    cost = np.concatenate([np.zeros(n_pairs), 2.0 * level_rank - 1])
    equations = coo_matrix((
        np.concatenate([np.ones(2 * n_pairs), -np.ones(n_levels)]),
        (np.concatenate([rows, len(applicants) + cols, len(applicants) + level_reviewer]),
         np.concatenate([np.arange(n_pairs), np.arange(n_pairs), n_pairs + np.arange(n_levels)]))),
        shape=(len(applicants) + len(reviewers), n_pairs + n_levels))
    needed = np.concatenate([np.full(len(applicants), per_applicant), np.zeros(len(reviewers))])
    lower = np.zeros(n_pairs + n_levels)
    lower[:n_pairs] = [(applicants[a], reviewers[r]) in held
                       for a, r in zip(rows, cols, strict=True)]
    found = linprog(cost, A_eq=equations.tocsr(), b_eq=needed,
                    bounds=np.column_stack([lower, np.ones(n_pairs + n_levels)]),
                    method="highs-ds")
    return np.round(found.x[:n_pairs]).astype(bool) if found.status == 0 else None


def explain_if_short(blocked: pd.DataFrame, per_applicant: int, max_load: pd.Series) -> None:
    """Say who cannot get their reviewers, and why, before solving."""
    allowed = blocked.isna().sum(axis=1)
    short = allowed[allowed < per_applicant]
    if len(short):
        lines = [f"  - {applicant_id}: {count} of {blocked.shape[1]} may review them ("
                 + ", ".join(f"{reviewer} {why}" for reviewer, why in
                             blocked.loc[str(applicant_id)].dropna().items()) + ")"
                 for applicant_id, count in short.head(10).items()]
        raise PanelImpossible(
            f"{len(short)} applicant(s) cannot get the {per_applicant} reviewers "
            "scorecard.min_reviews asks for: the others share their unit or declared a "
            "conflict. Add reviewers to [[reviewers]] in program.toml.\n" + "\n".join(lines))
    capacity = np.minimum(blocked.isna().sum(axis=0),
                          max_load.reindex(blocked.columns).fillna(len(blocked))).sum()
    if capacity < per_applicant * len(blocked):
        raise PanelImpossible(
            f"{len(blocked)} applicants x {per_applicant} reviews = "
            f"{per_applicant * len(blocked)} reviews, but the panel's max_load allows "
            f"{int(capacity)}: raise a max_load or add reviewers")


def owed(assigned: pd.DataFrame, reviews: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The assigned pairs (applicant_id, reviewer_id) without a complete review that counts."""
    counted = live(reviews)
    done = counted[counted[keys].notna().all(axis=1)]
    given = pd.MultiIndex.from_arrays([done["applicant_id"], done["reviewer"]])
    pairs = pd.MultiIndex.from_frame(assigned[PAIRS])
    return assigned[~pairs.isin(given)][PAIRS].reset_index(drop=True)


def panel_reasons(reviews: pd.DataFrame, assigned: pd.DataFrame, blocked: pd.DataFrame,
                  sheet_reviewer: pd.Series, altered: pd.Series, words: Words) -> pd.Series:
    """Why a review row cannot count on the panel's terms (NA where it can), the weightiest
    reason only: its sheet's token was `altered`, its sheet was made for another reviewer
    (`sheet_reviewer`, whom the token names), its reviewer shares the applicant's unit or
    declared a conflict of interest, or was not assigned the applicant."""
    index, reviewer = reviews.index, reviews["reviewer"]
    named = reviews[["applicant_id", "reviewer"]].notna().all(axis=1)
    pairs = pd.MultiIndex.from_frame(reviews[["applicant_id", "reviewer"]].astype(object))
    why = pd.Series(blocked.stack(future_stack=True).reindex(pairs).to_numpy(), index=index,
                    dtype="string")
    is_assigned = pairs.isin(pd.MultiIndex.from_frame(assigned[PAIRS]))
    other_sheet = sheet_reviewer.notna() & named & sheet_reviewer.ne(reviewer)
    reasons = pd.Series(pd.NA, index=index, dtype="string")
    for applies, key, who in ((named & ~is_assigned, "review_not_assigned", reviewer),
                              (why.eq("declared"), "review_conflict_declared", reviewer),
                              (why.eq("unit"), "review_conflict_unit", reviewer),
                              (other_sheet, "review_other_sheet", sheet_reviewer),
                              (altered, "sheet_altered", "")):
        given = applies.fillna(False).astype(bool)
        reasons = reasons.mask(given, say(words, key, index, where=given, reviewer=who))
    return reasons
