"""The assessments of steps 1 and 2 as task sequences, shared by their stage flows and by the
nightly rescoring, so that both decide exactly alike and pass the same gates."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scoring.config import ProgramConfig
from scoring.decisions import current
from tasks.applications import read_applications
from tasks.decisions import read_decisions
from tasks.exports import collect_quarantine
from tasks.gates import GateResult, docs_folder, gate_applications, gate_scored, gate_shortlist
from tasks.scorecard import assess_applicants, read_reviews, read_video_reviews
from tasks.selection import select_invitees
from tasks.shortlist import shortlist_applicants
from tasks.store import chosen_before
from tasks.submissions import submitted_files
from tasks.workspace import Workspace


@dataclass(frozen=True)
class Assessed:
    table: pd.DataFrame  # one row per applicant id the step decides on
    rejected: pd.DataFrame  # the step's quarantine rows
    gates: list[GateResult]
    decided: pd.DataFrame  # HR's decisions that count, by applicant id
    notes: list[str]  # how the inputs were read, where HR should know it


@dataclass(frozen=True)
class AssessedVideos(Assessed):
    files: pd.DataFrame  # every submitted file with its verdict


def assess_step1(ws: Workspace, config: ProgramConfig) -> Assessed:
    """Applications through gate 1, reviews, eligibility, scores, HR's decisions, invitations,
    gate 2."""
    apps, notes = read_applications(ws, config)
    apps, gate1 = gate_applications(apps, config, docs_folder(ws))
    reviews = read_reviews(ws, config, apps)
    decisions = read_decisions(ws, config, pd.Index(apps["applicant_id"].dropna().unique()))
    decided = current(decisions)
    table = select_invitees(assess_applicants(apps, reviews, config), decided,
                            chosen_before(ws, 1), config)
    gate2 = gate_scored(table, apps, docs_folder(ws))
    rejected = collect_quarantine({"applications": apps, "reviews": reviews,
                                   "decisions": decisions})
    return Assessed(table, rejected, [gate1, gate2], decided, notes)


def assess_step2(ws: Workspace, config: ProgramConfig, step1: pd.DataFrame,
                 files: pd.DataFrame, verdicts: pd.DataFrame,
                 decided: pd.DataFrame) -> AssessedVideos:
    """Video reviews of the accepted videos, final scores, HR's decisions (`decided`; step 1
    quarantines those that cannot count), the shortlist, gate 4."""
    reviews = read_video_reviews(ws, config, step1, verdicts)
    table = shortlist_applicants(step1, files, verdicts, reviews, decided,
                                 chosen_before(ws, 2), config)
    gate4 = gate_shortlist(table, config.shortlist.count, docs_folder(ws))
    submitted = submitted_files(files, verdicts)
    rejected = collect_quarantine({"videos": submitted, "video_reviews": reviews})
    return AssessedVideos(table, rejected, [gate4], decided, [], submitted)
