"""The HR report: one HTML page per stage run, in the programme's language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from scoring import report
from scoring.config import ProgramConfig
from scoring.record import SHORTLISTED, STEP2, Status
from tasks import task
from tasks.gates import GateResult
from tasks.render import labels, render
from tasks.status import waiting
from tasks.store import run_history
from tasks.workspace import Workspace, write_atomically

ROWS_SHOWN = 200  # longer lists are in the exports


@dataclass(frozen=True)
class Focus:
    """What a stage's report looks at: who it chooses, from which pool, by which score. From
    step 2 on, the pool is those whose video was accepted."""
    chosen: str
    pool: tuple[str, ...]
    score: str

    def pooled(self, table: pd.DataFrame) -> pd.Series:
        within = table["status"].isin(self.pool)
        return within if self.score == "score" else within & table["media"].notna()


STEP1 = Focus(Status.INVITED, (Status.PENDING_REVIEW, Status.NOT_INVITED, Status.INVITED),
              "score")
FOCUS = {
    "intake": STEP1,
    "rescore": STEP1,
    "videos": Focus(Status.SHORTLISTED, STEP2, "final_score"),
    "match": Focus(Status.MATCHED, SHORTLISTED, "final_score"),
}


@task
def write_report(ws: Workspace, config: ProgramConfig, run_id: str, stage: str,
                 table: pd.DataFrame, quarantined: pd.DataFrame, gates: list[GateResult],
                 emails: dict[str, int], videos: pd.DataFrame | None = None,
                 rankings: pd.DataFrame | None = None, moved: pd.DataFrame | None = None,
                 decided: pd.DataFrame | None = None, notes: list[str] | None = None) -> Path:
    """`table` is every applicant as published; `videos`, for step 2, every checked video;
    `rankings`, for step 3, every ranking sheet; `moved`, for rescoring, who moved and why;
    `decided`, for the steps that read them, HR's decisions that count; `notes`, how the
    inputs were read where HR should know it."""
    focus = FOCUS[stage]
    pool = focus.pooled(table)
    history = run_history(ws)
    quotas = config.selection.invite.quota if focus is STEP1 else config.shortlist.quota
    flagged = table[table["disagreement"].notna()].reset_index()
    problems = (videos["problems"].dropna().str.split(",").explode().value_counts()
                if videos is not None else pd.Series(dtype=int))
    t = labels(config.program.locale)
    html = render(
        "report.html",
        locale=config.program.locale,
        t=t,
        program_name=config.program.name,
        stage=stage,
        run_id=run_id,
        generated=dt.datetime.now(ZoneInfo(config.program.timezone)).strftime("%Y-%m-%d %H:%M"),
        funnel=report.funnel(table),
        people=report.people(table),
        quarantine_total=len(quarantined),
        waiting=waiting(ws, config, table, set(history["stage"])),
        leaders={leader.id: leader.name for leader in config.leaders},
        reviewers={reviewer.id: reviewer.name for reviewer in config.reviewers},
        score_label=focus.score,
        histogram=report.score_histogram(table.loc[pool, focus.score]),
        chosen=focus.chosen,
        composition=report.composition(table, pool, focus.chosen, quotas),
        disagreements=flagged[["applicant_id", "disagreement"]].to_dict("records"),
        video_problems=[{"problem": p, "count": int(n)} for p, n in problems.items() if p],
        pairs=report.pairs(table),
        moved=[] if moved is None else moved.to_dict("records"),
        notes=notes or [],
        decisions=None if decided is None else report.decisions(decided, table,
                                                                t["decision_kinds"]),
        history=report.history(history, config.program.timezone),
        sheets=[] if rankings is None else rankings.to_dict("records"),
        quarantine=quarantined.astype(object).where(quarantined.notna(), None).to_dict("records"),
        gates=[readable(gate, t) for gate in gates],
        emails=emails,
        limit=ROWS_SHOWN,
    )
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    write_atomically(ws.folder("reports") / "history" / f"{stage}-{stamp}.html", html.encode())
    latest = ws.folder("reports") / f"{stage}.html"
    write_atomically(latest, html.encode())
    return latest


def readable(gate: GateResult, t: dict) -> dict:
    """A gate as HR reads it: its name, and what each check makes sure of, in their words."""
    return {"name": t["gate_names"][gate.name], "checks": [
        {**check, "text": t["checks"][check["type"]].format(
            column=", ".join(t["columns"].get(c, c) for c in check["columns"]))}
        for check in gate.checks]}
