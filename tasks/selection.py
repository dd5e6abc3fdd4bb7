"""Who is asked for a video: the selection of step 1."""

from __future__ import annotations

import pandas as pd
from prefect.logging import get_run_logger

from scoring.config import ProgramConfig
from scoring.funnel import mark_selected
from scoring.record import QUALIFIED, Status
from scoring.selection import select
from tasks import task
from tasks.render import reason_texts


@task
def select_invitees(table: pd.DataFrame, config: ProgramConfig) -> pd.DataFrame:
    qualified = table[table["status"] == QUALIFIED]
    chosen = select(qualified, config.selection.invite)
    get_run_logger().info("selected %d of %d qualified applicants for a video", len(chosen),
                          len(qualified))
    return mark_selected(table, chosen, yes=Status.INVITED, no=Status.NOT_INVITED,
                         words=reason_texts(config.program.locale))
