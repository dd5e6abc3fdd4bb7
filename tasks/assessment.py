"""First assessment: scores, eligibility and the invitation list (the core does the deciding)."""

from __future__ import annotations

import pandas as pd
from prefect import task
from prefect.logging import get_run_logger

from scoring.config import ProgramConfig
from scoring.funnel import QUALIFIED, assess, mark_selected
from scoring.scorecard import score_applicants
from scoring.selection import select


@task
def assess_applicants(apps: pd.DataFrame, reviews: pd.DataFrame,
                      config: ProgramConfig) -> pd.DataFrame:
    card = config.scorecard
    live_reviews = reviews[reviews["reasons"] == ""]
    scores = score_applicants(live_reviews, card.criteria, card.scale, card.min_reviews,
                              card.disagreement)
    return assess(apps, scores, config.eligibility, config.reference_date, card.min_reviews)


@task
def select_invitees(table: pd.DataFrame, config: ProgramConfig) -> pd.DataFrame:
    rule = config.selection.invite
    chosen = select(table[table["status"] == QUALIFIED], rule)
    get_run_logger().info("selected %d of %d qualified applicants for a video", len(chosen),
                          int((table["status"] == QUALIFIED).sum()))
    return mark_selected(table, chosen, yes="invited", no="not_invited")
