"""HR's decisions log from `inbox/decisions` (CSV or XLSX, as many sheets as HR keeps)."""

from __future__ import annotations

import pandas as pd

from scoring.config import ProgramConfig
from scoring.decisions import HEADERS, REQUIRED, accommodations, check_decisions, current
from tasks import task
from tasks.render import reason_texts
from tasks.sheets import inbox_rows
from tasks.workspace import Workspace


@task
def read_decisions(ws: Workspace, config: ProgramConfig, known_ids: pd.Index) -> pd.DataFrame:
    """Every decision row, checked against the applicants the programme knows (`known_ids`);
    `reasons` says why a row does not count, and is empty for each applicant's newest."""
    raw = inbox_rows(ws, "decisions", HEADERS, REQUIRED)
    return check_decisions(raw, known_ids, reason_texts(config.program.locale))


def granted_to(ws: Workspace, config: ProgramConfig, applicant_id: str) -> pd.DataFrame:
    """What HR's newest decision grants one applicant (their own page asks this)."""
    return accommodations(current(read_decisions.fn(ws, config, pd.Index([applicant_id]))))
