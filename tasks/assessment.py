"""First assessment: scores, eligibility and the invitation list (the core does the deciding)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from prefect.logging import get_run_logger

from scoring.assignment import assign, mentor_statuses
from scoring.config import ProgramConfig
from scoring.errors import StageStopped
from scoring.funnel import QUALIFIED, SHORTLISTED, assess, mark_selected
from scoring.rescoring import what_moved
from scoring.scorecard import score_applicants
from scoring.selection import select
from scoring.shortlist import assess_videos, select_shortlist, video_scores
from scoring.submissions import match_submissions
from tasks import task


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


@task
def match_videos(entries: pd.DataFrame, step1: pd.DataFrame,
                 config: ProgramConfig) -> pd.DataFrame:
    """Every inbox entry with its applicant and why it is not a live submission, if it is not."""
    end = pd.Timestamp(config.video.submission_deadline + dt.timedelta(days=1),
                       tz=config.program.timezone)
    invited = step1.index[step1["status"] == "invited"]
    return match_submissions(entries, step1.index, invited, end)


@task
def shortlist_applicants(step1: pd.DataFrame, files: pd.DataFrame, verdicts: pd.DataFrame,
                         reviews: pd.DataFrame, config: ProgramConfig) -> pd.DataFrame:
    scores = video_scores(reviews, config)
    table = select_shortlist(assess_videos(step1, files, verdicts, scores, config), config)
    get_run_logger().info("shortlisted %d of %d invited applicants",
                          int((table["status"] == "shortlisted").sum()), len(table))
    return table


@task
def shortlisted_candidates(table: pd.DataFrame) -> pd.DataFrame:
    chosen = table[table["status"].isin(SHORTLISTED)]
    if chosen.empty:
        raise StageStopped("there is no shortlist yet; run `mentoring videos` first")
    return chosen


@task
def match_mentors(candidates: pd.DataFrame, ranks: pd.DataFrame, pairs_allowed: pd.DataFrame,
                  config: ProgramConfig) -> pd.DataFrame:
    """Mentors for the leaders whose sheets count; the others wait for theirs."""
    ranked_by = sorted(ranks["leader_id"].unique())
    waiting = sorted({leader.id for leader in config.leaders} - set(ranked_by))
    pairs = assign(ranks, ranked_by, list(candidates.index), pairs_allowed,
                   config.matching.mentors_per_leader)
    get_run_logger().info("matched %d mentors to %d leaders; waiting for %d", len(pairs),
                          len(ranked_by), len(waiting))
    return mentor_statuses(candidates.index, pairs, waiting)


@task
def find_moved(before: pd.DataFrame, after: pd.DataFrame, config_changed: bool,
               threshold: float) -> pd.DataFrame:
    moved = what_moved(before, after, config_changed, threshold)
    get_run_logger().info("rescoring moved %d applicants: %s", len(moved),
                          ", ".join(moved["applicant_id"]))
    return moved
