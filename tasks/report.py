"""The HR report: one HTML page per stage run, in the programme's language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from prefect import task

from scoring import report
from scoring.config import ProgramConfig
from tasks.gates import GateResult
from tasks.render import labels, render
from tasks.workspace import Workspace, write_atomically

ROWS_SHOWN = 200  # longer lists are in the exports


@task
def write_report(ws: Workspace, config: ProgramConfig, run_id: str, stage: str,
                 table: pd.DataFrame, quarantined: pd.DataFrame, gates: list[GateResult],
                 emails: dict[str, int]) -> Path:
    flagged = table[table["disagreement"].notna()].reset_index()
    html = render(
        "report.html",
        locale=config.program.locale,
        t=labels(config.program.locale),
        program_name=config.program.name,
        stage=stage,
        run_id=run_id,
        generated=dt.datetime.now(dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M"),
        funnel=report.funnel(table, ("quarantined", "ineligible", "pending_review",
                                     "not_invited", "invited")),
        quarantine_total=len(quarantined),
        histogram=report.score_histogram(table["score"]),
        composition=report.composition(table, "invited", config.selection.invite.quota),
        disagreements=flagged[["applicant_id", "disagreement"]].to_dict("records"),
        quarantine=quarantined.astype(object).where(quarantined.notna(), None).to_dict("records"),
        gates=gates,
        emails=emails,
        limit=ROWS_SHOWN,
    )
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    write_atomically(ws.folder("reports") / "history" / f"{stage}-{stamp}.html", html.encode())
    latest = ws.folder("reports") / f"{stage}.html"
    write_atomically(latest, html.encode())
    return latest
