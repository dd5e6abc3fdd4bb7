"""The reviewers' score sheets from the inbox, and the first assessment made from them."""

from __future__ import annotations

import pandas as pd

from scoring.config import Criterion, ProgramConfig
from scoring.errors import StageStopped
from scoring.funnel import assess
from scoring.reasons import live
from scoring.scorecard import (
    check_reviews,
    required_review_columns,
    review_headers,
    score_applicants,
    unusable,
)
from scoring.shortlist import VIDEO
from tasks import task
from tasks.render import reason_texts
from tasks.sheets import inbox_rows
from tasks.workspace import Workspace


def read_review_sheets(ws: Workspace, inbox: str, config: ProgramConfig,
                       criteria: tuple[Criterion, ...], live_ids: pd.Index,
                       unknown: str) -> pd.DataFrame:
    """Every review row of the inbox's sheets, checked; `reasons` says why a row does not count.
    Only reviews of `live_ids` count; `unknown` is the reason's key for any other id."""
    keys = [criterion.key for criterion in criteria]
    raw = inbox_rows(ws, inbox, review_headers(criteria), required_review_columns(keys))
    return check_reviews(raw, criteria, config.scorecard.scale, live_ids, unknown,
                         reason_texts(config.program.locale))


@task
def read_reviews(ws: Workspace, config: ProgramConfig, apps: pd.DataFrame) -> pd.DataFrame:
    """The first assessment's reviews; those of live applications count. Every row should be
    one: a larger share than `gates.max_quarantined_share` that is not stops the stage."""
    reviews = read_review_sheets(ws, "reviews", config, config.scorecard.criteria,
                                 pd.Index(live(apps)["applicant_id"]), "no_live_application")
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
def read_video_reviews(ws: Workspace, config: ProgramConfig,
                       verdicts: pd.DataFrame) -> pd.DataFrame:
    """The second assessment's reviews; those of accepted videos count."""
    return read_review_sheets(ws, "video_reviews", config, VIDEO, live(verdicts).index,
                              "no_accepted_video")


@task
def assess_applicants(apps: pd.DataFrame, reviews: pd.DataFrame,
                      config: ProgramConfig) -> pd.DataFrame:
    """Scores from the reviews that count, eligibility, and each applicant's step-1 status."""
    card = config.scorecard
    scores = score_applicants(reviews, card.criteria, card.scale, card.min_reviews,
                              card.disagreement)
    return assess(apps, scores, config.eligibility, config.reference_date, card.min_reviews,
                  reason_texts(config.program.locale))
