"""The deployments `mentoring serve` registers: the stages on demand, rescoring every night."""

from __future__ import annotations

from pathlib import Path

from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.intake import intake
from flows.match import match
from flows.notify import notify
from flows.rescore import rescore
from flows.shortlist import shortlist
from flows.videos import videos
from tasks.workspace import load_program, open_workspace


def deployments(folder: Path) -> list[RunnerDeployment]:
    """One deployment per stage, named after the programme, with the workspace as parameter;
    rescoring on `program.rescore_cron` in the programme's time zone."""
    config = load_program(open_workspace(folder))
    program = config.program
    parameters = {"workspace": str(folder.resolve())}
    on_demand = [RunnerDeployment.from_flow(flow, name=program.id, parameters=parameters,
                                            description=f"{flow.name} for {program.name}")
                 for flow in (intake, videos, shortlist, match, notify)]
    nightly = RunnerDeployment.from_flow(
        rescore, name=program.id, parameters=parameters,
        description=f"nightly rescoring, {program.name}",
        schedule=Cron(program.rescore_cron, timezone=program.timezone))
    return [*on_demand, nightly]
