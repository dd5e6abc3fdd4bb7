"""Step 3b's decision: which mentors each leader gets."""

from __future__ import annotations

import pandas as pd
from prefect.logging import get_run_logger

from scoring.assignment import assign, mentor_statuses
from scoring.config import ProgramConfig
from scoring.packets import allowed
from tasks import task
from tasks.render import reason_texts


@task
def conflicts_of_interest(candidates: pd.DataFrame, config: ProgramConfig) -> pd.DataFrame:
    """Leader x candidate: False where a `[matching] conflict` rules the pair out."""
    return allowed(candidates, config.leaders, config.matching.conflict)


@task
def match_mentors(candidates: pd.DataFrame, ranks: pd.DataFrame, pairs_allowed: pd.DataFrame,
                  config: ProgramConfig) -> pd.DataFrame:
    """Mentors for the leaders whose sheets count; the others wait for theirs."""
    ranked_by = sorted(ranks["leader_id"].unique())
    waiting = sorted({leader.id for leader in config.leaders} - set(ranked_by))
    words = reason_texts(config.program.locale)
    pairs = assign(ranks, ranked_by, list(candidates.index), pairs_allowed,
                   config.matching.mentors_per_leader, words)
    get_run_logger().info("matched %d mentors to %d leaders; waiting for %d", len(pairs),
                          len(ranked_by), len(waiting))
    return mentor_statuses(candidates.index, pairs, waiting, words)
