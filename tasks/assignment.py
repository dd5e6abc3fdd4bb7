"""Step 3b's decision: which mentors each leader gets."""

from __future__ import annotations

import pandas as pd
from prefect.logging import get_run_logger
from sqlalchemy import select

from scoring.assignment import assign, mentor_statuses
from scoring.config import ProgramConfig
from scoring.decisions import ENDS, take_out
from scoring.packets import allowed
from scoring.record import Status
from tasks import task
from tasks.render import reason_texts
from tasks.store import connected, email_log
from tasks.workspace import Workspace


@task
def conflicts_of_interest(candidates: pd.DataFrame, config: ProgramConfig) -> pd.DataFrame:
    """Leader x candidate: False where a `[matching] conflict` rules the pair out."""
    return allowed(candidates, config.leaders, config.matching.conflict)


@task
def announced_pairs(ws: Workspace) -> pd.DataFrame:
    """The pairs `match --announce` has told (leader_id, applicant_id): each mentor's newest
    announcement, read from the ledger."""
    query = (select(email_log.c.recipient_id, email_log.c.outcome)
             .where(email_log.c.outcome.like(f"{Status.MATCHED}:%"))
             .order_by(email_log.c.sent_at))
    with connected(ws) as conn:
        told = pd.read_sql(query, conn).drop_duplicates("recipient_id", keep="last")
    return pd.DataFrame({"leader_id": told["outcome"].str.split(":").str[1],
                         "applicant_id": told["recipient_id"]})


@task
def match_mentors(candidates: pd.DataFrame, ranks: pd.DataFrame, pairs_allowed: pd.DataFrame,
                  decided: pd.DataFrame, announced: pd.DataFrame,
                  config: ProgramConfig) -> pd.DataFrame:
    """Mentors for the leaders whose sheets count; the others wait for theirs. A candidate who
    withdrew or whom HR excluded (`decided`) is left out; every `announced` pair that still
    holds is kept, and only the places the others left are filled."""
    ranked_by = sorted(ranks["leader_id"].unique())
    waiting = sorted({leader.id for leader in config.leaders} - set(ranked_by))
    words = reason_texts(config.program.locale)
    staying = candidates.index.difference(decided.index[decided["decision"].isin(ENDS)])
    pairs = assign(ranks, ranked_by, list(staying), pairs_allowed,
                   config.matching.mentors_per_leader, words, fixed=announced)
    get_run_logger().info("matched %d mentors to %d leaders; waiting for %d", len(pairs),
                          len(ranked_by), len(waiting))
    return take_out(mentor_statuses(candidates.index, pairs, waiting, words), decided, words)
