"""Who is asked for a video: the selection of step 1."""

from __future__ import annotations

import pandas as pd
from prefect.logging import get_run_logger

from scoring.config import ProgramConfig
from scoring.decisions import choose
from scoring.record import QUALIFIED, Status
from tasks import task
from tasks.render import reason_texts


@task
def select_invitees(table: pd.DataFrame, decided: pd.DataFrame, kept: pd.Index | None,
                    config: ProgramConfig) -> pd.DataFrame:
    """Who is invited to send a video, with HR's decisions (`decided`) taken into account;
    once the shortlist has gone out, those invited then (`kept`)."""
    out = choose(table, decided, config.selection.invite, yes=Status.INVITED,
                 no=Status.NOT_INVITED, words=reason_texts(config.program.locale), kept=kept)
    get_run_logger().info("selected %d of %d qualified applicants for a video",
                          int((out["status"] == Status.INVITED).sum()),
                          int((table["status"] == QUALIFIED).sum()))
    return out
