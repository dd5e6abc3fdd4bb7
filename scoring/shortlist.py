"""Second assessment: video verdicts and video reviews -> final score -> the shortlist."""

from __future__ import annotations

import pandas as pd

from scoring.config import Criterion, ProgramConfig
from scoring.decisions import choose
from scoring.reasons import Words, is_live, say
from scoring.record import QUALIFIED, Status
from scoring.scorecard import score_applicants

VIDEO = (Criterion(key="video", label="Video", weight=1),)


def video_scores(reviews: pd.DataFrame, config: ProgramConfig) -> pd.DataFrame:
    card = config.scorecard
    return score_applicants(reviews, VIDEO, card.scale, card.min_reviews, card.disagreement)


def assess_videos(step1: pd.DataFrame, submissions: pd.DataFrame, verdicts: pd.DataFrame,
                  scores: pd.DataFrame, config: ProgramConfig, words: Words) -> pd.DataFrame:
    """One row per invited applicant: `video_missing`, `video_rejected`, `pending_review` or
    qualified with `video_score` and `final_score`.

    `verdicts` is indexed by applicant id (live submissions only) with `reasons` (empty when the
    video passed the technical checks).
    """
    invited = step1[step1["status"] == Status.INVITED].copy()
    invited["reasons"] = invited["reasons"].astype("string")
    turned_away = submissions[~is_live(submissions) & submissions["applicant_id"].notna()]
    why_missing = (turned_away["file"] + ": " + turned_away["reasons"]).groupby(
        turned_away["applicant_id"]).agg("; ".join)

    has_video = invited.index.isin(verdicts.index)
    invited.loc[~has_video, "status"] = Status.VIDEO_MISSING
    invited.loc[~has_video, "reasons"] = why_missing.reindex(
        invited.index[~has_video]).fillna(words["no_video_received"]).to_numpy()

    checked = verdicts.reindex(invited.index)
    rejected = has_video & ~is_live(checked).to_numpy()
    invited.loc[rejected, "status"] = Status.VIDEO_REJECTED
    invited.loc[rejected, "reasons"] = checked.loc[rejected, "reasons"].to_numpy()

    accepted = has_video & ~rejected
    invited["media"] = checked["media"].where(accepted)
    invited["poster"] = checked["poster"].where(accepted)
    scored = scores.reindex(invited.index)
    invited["video_score"] = scored["score"].where(accepted)
    invited["video_review_count"] = scored["review_count"].fillna(0).astype("int64")
    weight = config.shortlist.video_weight
    invited["final_score"] = ((1 - weight) * invited["score"]
                              + weight * invited["video_score"]).round(2)
    pending = accepted & invited["video_score"].isna()
    invited.loc[pending, "status"] = Status.PENDING_REVIEW
    invited.loc[pending, "reasons"] = say(words, "video_reviews_missing",
                                          invited.index[pending],
                                          count=invited["video_review_count"],
                                          needed=config.scorecard.min_reviews)
    ready = accepted & invited["video_score"].notna()
    invited.loc[ready, "status"] = QUALIFIED
    return invited


def select_shortlist(videos: pd.DataFrame, decided: pd.DataFrame, kept: pd.Index | None,
                     config: ProgramConfig, words: Words) -> pd.DataFrame:
    """The shortlist, with HR's decisions (`decided`) taken into account; once it has gone to
    the leaders, the one they have (`kept`)."""
    return choose(videos, decided, config.shortlist, yes=Status.SHORTLISTED,
                  no=Status.NOT_SHORTLISTED, words=words, by="final_score", kept=kept)
