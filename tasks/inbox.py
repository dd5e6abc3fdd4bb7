"""Reading what HR dropped into the inbox: application exports and reviewer sheets."""

from __future__ import annotations

import pandas as pd
from prefect import task

from scoring.applications import HEADERS, REQUIRED, mark_latest, normalise
from scoring.config import ProgramConfig
from scoring.errors import StageStopped
from scoring.scorecard import check_reviews, required_review_columns, review_headers
from tasks.sheets import read_contract_sheet, sheet_files
from tasks.workspace import Workspace, file_digest


def input_digests(ws: Workspace, *inboxes: str) -> dict[str, str]:
    """Content hash of every sheet the stage reads, recorded with its run."""
    return {ws.relative(p): file_digest(p) for name in inboxes
            for p in sheet_files(ws.inbox(name))}


@task
def read_applications(ws: Workspace) -> pd.DataFrame:
    """Every application row of every export, normalised, with the live row per id marked."""
    files = sheet_files(ws.inbox("applications"))
    if not files:
        raise StageStopped(f"no application exports (CSV or XLSX) in {ws.inbox('applications')}")
    frames = [read_contract_sheet(p, ws.relative(p), HEADERS, list(REQUIRED)) for p in files]
    raw = pd.concat(frames, ignore_index=True)
    return mark_latest(normalise(raw))


@task
def read_reviews(ws: Workspace, config: ProgramConfig, live_ids: pd.Index) -> pd.DataFrame:
    """Every first-assessment review row, checked; `reasons` says why a row does not count."""
    card = config.scorecard
    files = sheet_files(ws.inbox("reviews"))
    fields = review_headers(card.criterion_keys)
    required = required_review_columns(card.criterion_keys)
    frames = [read_contract_sheet(p, ws.relative(p), fields, required).assign(sheet_order=order)
              for order, p in enumerate(files)]
    columns = ["source_file", "source_row", "sheet_order", *fields]
    raw = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return check_reviews(raw, card.criterion_keys, card.scale, live_ids)
