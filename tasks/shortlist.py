"""The second assessment and the shortlist, and the shortlist that steps 3a and 3b start from."""

from __future__ import annotations

import pandas as pd
from prefect.logging import get_run_logger

from scoring.config import ProgramConfig
from scoring.errors import StageStopped
from scoring.packets import shortlist_id
from scoring.record import Status
from scoring.shortlist import assess_videos, select_shortlist, video_scores
from tasks import task
from tasks.render import reason_texts
from tasks.store import shortlisted_ids
from tasks.workspace import Workspace


@task
def shortlist_applicants(step1: pd.DataFrame, files: pd.DataFrame, verdicts: pd.DataFrame,
                         reviews: pd.DataFrame, decided: pd.DataFrame,
                         kept: pd.Index | None, config: ProgramConfig) -> pd.DataFrame:
    scores = video_scores(reviews, config)
    words = reason_texts(config.program.locale)
    table = select_shortlist(assess_videos(step1, files, verdicts, scores, config, words),
                             decided, kept, config, words)
    get_run_logger().info("shortlisted %d of %d invited applicants",
                          int((table["status"] == Status.SHORTLISTED).sum()), len(table))
    return table


@task
def current_shortlist(ws: Workspace, table: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The candidates step 2 shortlisted, where they stand now (`table`: the published state),
    and the id that names this shortlist. One who has left since the shortlist went to the
    leaders stays on it, so that their packets and sheets still hold."""
    chosen = table.loc[table.index.intersection(shortlisted_ids(ws))]
    if chosen.empty:
        raise StageStopped("there is no shortlist yet; run `mentoring videos` first")
    return chosen, shortlist_id(list(chosen.index))
