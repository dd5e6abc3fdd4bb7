"""The assessments of steps 1 and 2 as task sequences, shared by their stage flows and by the
nightly rescoring, so that both decide exactly alike and pass the same gates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from prefect.runtime import flow_run

from scoring.config import ProgramConfig
from scoring.exports import quarantine_rows
from scoring.submissions import with_verdicts
from tasks.assessment import assess_applicants, select_invitees, shortlist_applicants
from tasks.gates import GateResult, gate_applications, gate_scored, gate_shortlist
from tasks.inbox import read_applications, read_reviews
from tasks.workspace import Workspace


@dataclass(frozen=True)
class Assessed:
    table: pd.DataFrame  # one row per applicant id the step decides on
    rejected: pd.DataFrame  # the step's quarantine rows
    gates: list[GateResult]
    files: pd.DataFrame | None = None  # step 2: every submitted file with its verdict


def gx_docs(ws: Workspace) -> Path:
    return ws.folder("reports") / "gx"


def run_id() -> str:
    return str(flow_run.get_id() or "local")


def summary(stage: str, run: str, counts: dict[str, int], outputs: dict[str, Path],
            **more: object) -> dict:
    """What a stage command prints with --json."""
    return {"run_id": run, "stage": stage, "counts": counts,
            "outputs": {name: str(path) for name, path in outputs.items()}, **more}


def assess_step1(ws: Workspace, config: ProgramConfig) -> Assessed:
    """Applications through gate 1, reviews, eligibility, scores, invitations, gate 2."""
    apps, gate1 = gate_applications(read_applications(ws), config, gx_docs(ws))
    live_ids = pd.Index(apps.loc[apps["reasons"] == "", "applicant_id"])
    reviews = read_reviews(ws, "reviews", config, config.scorecard.criterion_keys, live_ids)
    table = select_invitees(assess_applicants(apps, reviews, config), config)
    gate2 = gate_scored(table, int(apps["applicant_id"].nunique()), gx_docs(ws))
    return Assessed(table, quarantine_rows(applications=apps, reviews=reviews), [gate1, gate2])


def assess_step2(ws: Workspace, config: ProgramConfig, step1: pd.DataFrame,
                 files: pd.DataFrame, verdicts: pd.DataFrame) -> Assessed:
    """Video reviews of the accepted videos, final scores, the shortlist, gate 4."""
    accepted = pd.Index(verdicts.index[verdicts["reasons"] == ""])
    reviews = read_reviews(ws, "video_reviews", config, ["video"], accepted,
                           live="accepted video")
    table = shortlist_applicants(step1, files, verdicts, reviews, config)
    gate4 = gate_shortlist(table, config.shortlist.count, gx_docs(ws))
    submitted = with_verdicts(files, verdicts)
    rejected = quarantine_rows(videos=submitted, video_reviews=reviews)
    return Assessed(table, rejected, [gate4], submitted)
