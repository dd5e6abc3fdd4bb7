"""Reading the application exports HR put in the inbox."""

from __future__ import annotations

import pandas as pd

from scoring.applications import mark_latest, normalise
from scoring.errors import StageStopped
from scoring.record import HEADERS, REQUIRED
from tasks import task
from tasks.sheets import read_contract_sheet, sheet_files
from tasks.workspace import Workspace


@task
def read_applications(ws: Workspace) -> pd.DataFrame:
    """Every application row of every export, normalised, with the live row per id marked."""
    files = sheet_files(ws.inbox("applications"))
    if not files:
        raise StageStopped(f"no application exports (CSV or XLSX) in {ws.inbox('applications')}")
    frames = [read_contract_sheet(p, ws.relative(p), HEADERS, list(REQUIRED)) for p in files]
    raw = pd.concat(frames, ignore_index=True)
    return mark_latest(normalise(raw))
