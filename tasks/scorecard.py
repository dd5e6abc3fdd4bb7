"""The reviewers' score sheets from the inbox, and the first assessment made from them."""

from __future__ import annotations

import pandas as pd

from scoring.config import ProgramConfig
from scoring.errors import StageStopped
from scoring.funnel import assess
from scoring.panel import conflicts, owed, panel_reasons, sheet_made_for
from scoring.reasons import Words, live
from scoring.scorecard import (
    check_reviews,
    required_review_columns,
    review_headers,
    review_keys,
    score_applicants,
    unusable,
)
from tasks import task
from tasks.panel import INBOX, criteria_of, made_for, read_assignments, to_review
from tasks.render import reason_texts
from tasks.settings import load_settings
from tasks.sheets import inbox_rows, sheet_files, workbook_token
from tasks.workspace import Workspace, signing_secret

# The reason given to a review of someone the stage does not review.
UNKNOWN = {"intake": "no_live_application", "videos": "no_accepted_video"}


def read_review_sheets(ws: Workspace, stage: str, config: ProgramConfig,
                       people: pd.DataFrame) -> pd.DataFrame:
    """Every review row of the stage's inbox, checked; `reasons` says why a row does not count.
    Only reviews of `people` (by applicant id, with their unit) count. Once the panel is
    assigned, a review counts only from a reviewer assigned the applicant, on a sheet made for
    them or one of HR's own."""
    criteria = criteria_of(config, stage)
    keys = [criterion.key for criterion in criteria]
    words = reason_texts(config.program.locale)
    raw = inbox_rows(ws, INBOX[stage], review_headers(criteria), required_review_columns(keys))
    return check_reviews(raw, criteria, config.scorecard.scale, people.index, UNKNOWN[stage],
                         words, panel_terms(ws, stage, config, raw, people, words))


def panel_terms(ws: Workspace, stage: str, config: ProgramConfig, raw: pd.DataFrame,
                people: pd.DataFrame, words: Words) -> pd.Series | None:
    """Why each review row cannot count on the panel's terms (see `panel_reasons`); None
    before the panel is assigned for `stage`."""
    assigned = read_assignments(ws, stage) if config.reviewers else pd.DataFrame()
    if assigned.empty:
        return None
    secret = signing_secret(ws, load_settings().secret)
    signed = [sheet_made_for(secret, workbook_token(path), made_for(stage))
              for path in sheet_files(ws.inbox(INBOX[stage]))]
    made_by = pd.DataFrame([signed[order] for order in raw["sheet_order"]],
                           columns=["reviewer", "altered"], index=raw.index)
    return panel_reasons(review_keys(raw, people.index), assigned,
                         conflicts(people, config.reviewers),
                         made_by["reviewer"].astype("string"), made_by["altered"], words)


@task
def read_reviews(ws: Workspace, config: ProgramConfig, apps: pd.DataFrame) -> pd.DataFrame:
    """The first assessment's reviews; those of live applications count. Every row should be
    one: a larger share than `gates.max_quarantined_share` that is not stops the stage."""
    reviews = read_review_sheets(ws, "intake", config, live(apps).set_index("applicant_id"))
    bad = reviews[unusable(reviews)]
    share, limit = len(bad) / max(len(reviews), 1), config.gates.max_quarantined_share
    if share > limit:
        examples = "\n".join(f"  - {row.source_file} row {row.source_row}: {row.reasons}"
                             for row in bad.head(3).itertuples())
        raise StageStopped(
            f"{len(bad)} of {len(reviews)} review rows ({share:.0%}) cannot count, more than the "
            f"limit of {limit:.0%} (gates.max_quarantined_share): is every sheet in "
            "inbox/reviews for this programme, with the applications' own ids? Nothing was "
            f"published. For example:\n{examples}")
    return reviews


@task
def read_video_reviews(ws: Workspace, config: ProgramConfig, step1: pd.DataFrame,
                       verdicts: pd.DataFrame) -> pd.DataFrame:
    """The second assessment's reviews; those of accepted videos count."""
    return read_review_sheets(ws, "videos", config, step1.loc[live(verdicts).index])


@task
def assess_applicants(apps: pd.DataFrame, reviews: pd.DataFrame,
                      config: ProgramConfig) -> pd.DataFrame:
    """Scores from the reviews that count, eligibility, and each applicant's step-1 status."""
    card = config.scorecard
    scores = score_applicants(reviews, card.criteria, card.scale, card.min_reviews,
                              card.disagreement)
    return assess(apps, scores, config.eligibility, config.reference_date, card.min_reviews,
                  reason_texts(config.program.locale))


def reviews_owed(ws: Workspace, config: ProgramConfig) -> pd.DataFrame:
    """Per stage the panel is assigned for, each review a reviewer owes of someone the stage
    still reviews: stage, applicant_id, name, reviewer_id."""
    parts = []
    for stage in INBOX:
        assigned = read_assignments(ws, stage) if config.reviewers else pd.DataFrame()
        if assigned.empty:
            continue
        people = to_review.fn(ws, config, stage)
        reviews = read_review_sheets(ws, stage, config, people)
        behind = owed(assigned[assigned["applicant_id"].isin(people.index)], reviews,
                      [c.key for c in criteria_of(config, stage)])
        parts.append(behind.assign(stage=stage, name=people["name"].reindex(
            behind["applicant_id"]).to_numpy()))
    columns = ["stage", "applicant_id", "name", "reviewer_id"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(
        columns=columns)
