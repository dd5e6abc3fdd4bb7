"""The second assessment and the shortlist, and the shortlist that steps 3a and 3b start from."""

from __future__ import annotations

import pandas as pd
from prefect.logging import get_run_logger

from scoring.config import ProgramConfig
from scoring.errors import StageStopped
from scoring.packets import shortlist_id
from scoring.record import SHORTLISTED, Status
from scoring.shortlist import assess_videos, select_shortlist, video_scores
from tasks import task
from tasks.render import reason_texts


@task
def shortlist_applicants(step1: pd.DataFrame, files: pd.DataFrame, verdicts: pd.DataFrame,
                         reviews: pd.DataFrame, decided: pd.DataFrame,
                         config: ProgramConfig) -> pd.DataFrame:
    scores = video_scores(reviews, config)
    words = reason_texts(config.program.locale)
    table = select_shortlist(assess_videos(step1, files, verdicts, scores, config, words),
                             decided, config, words)
    get_run_logger().info("shortlisted %d of %d invited applicants",
                          int((table["status"] == Status.SHORTLISTED).sum()), len(table))
    return table


@task
def current_shortlist(table: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The shortlisted candidates as published, and the id that names this shortlist."""
    chosen = table[table["status"].isin(SHORTLISTED)]
    if chosen.empty:
        raise StageStopped("there is no shortlist yet; run `mentoring videos` first")
    return chosen, shortlist_id(list(chosen.index))
