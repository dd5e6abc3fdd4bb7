"""Nightly rescoring's own work: what it reads, and what moved."""

from __future__ import annotations

import pandas as pd
from prefect.logging import get_run_logger

from scoring.config import ProgramConfig
from scoring.rescoring import what_moved
from tasks import task
from tasks.render import reason_texts
from tasks.sheets import input_digests
from tasks.workspace import Workspace


@task
def rescore_inputs(ws: Workspace, config: ProgramConfig) -> dict[str, str]:
    """Everything a rescoring reads, fingerprinted: if none of it changed, nothing can move."""
    return {**input_digests(ws, "applications", "reviews", "video_reviews", "decisions"),
            "program.toml": config.fingerprint()}


@task
def find_moved(before: pd.DataFrame, after: pd.DataFrame, previous: dict | None,
               config_hash: str, config: ProgramConfig) -> pd.DataFrame:
    """Who moved since the last published state; a score that moved with no new review is put
    down to program.toml when it changed since the last rescoring (`previous`)."""
    config_changed = previous is not None and previous["config_hash"] != config_hash
    moved = what_moved(before, after, config_changed, config.program.rescore_threshold,
                       reason_texts(config.program.locale))
    get_run_logger().info("rescoring moved %d applicants: %s", len(moved),
                          ", ".join(moved["applicant_id"]))
    return moved
