"""HR's decisions log from `inbox/decisions` (CSV or XLSX, as many sheets as HR keeps)."""

from __future__ import annotations

import pandas as pd

from scoring.config import ProgramConfig
from scoring.decisions import (
    HEADERS,
    REQUIRED,
    accommodations,
    check_decisions,
    current,
    leaders_left,
)
from tasks import task
from tasks.render import reason_texts
from tasks.sheets import inbox_rows
from tasks.workspace import Workspace, load_program


@task
def read_decisions(ws: Workspace, config: ProgramConfig, known_ids: pd.Index) -> pd.DataFrame:
    """Every decision row, checked against the applicants the programme knows (`known_ids`)
    and its leaders; `reasons` says why a row does not count, and is empty for each
    applicant's (or leader's) newest."""
    raw = inbox_rows(ws, "decisions", HEADERS, REQUIRED)
    return check_decisions(raw, known_ids, every_leader(ws), reason_texts(config.program.locale))


def every_leader(ws: Workspace) -> pd.Index:
    """The leaders program.toml names, those who have left by a decision too."""
    return pd.Index([leader.id for leader in load_program(ws).leaders])


def staying(ws: Workspace, config: ProgramConfig) -> ProgramConfig:
    """The programme (`config` as program.toml has it) without the leaders HR's decisions say
    have left: every stage works with the leaders who are still in it, as if the others were
    removed from program.toml."""
    if not config.leaders:
        return config
    left = leaders_left(current(read_decisions.fn(ws, config, pd.Index([]))),
                        pd.Index([leader.id for leader in config.leaders]))
    return config.model_copy(update={"leaders": tuple(
        leader for leader in config.leaders if leader.id not in left)})


def granted_to(ws: Workspace, config: ProgramConfig, applicant_id: str) -> pd.DataFrame:
    """What HR's newest decision grants one applicant (their own page asks this)."""
    return accommodations(current(read_decisions.fn(ws, config, pd.Index([applicant_id]))))
