"""Prefect artifacts a person reads in the UI: ids and counts only, never personal data."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.artifacts import create_markdown_artifact


@task
def publish_funnel(stage: str, run_id: str, counts: dict[str, int],
                   outputs: dict[str, Path]) -> None:
    lines = [f"# {stage}: where the applicants stand", "", "| status | applicants |", "|---|---:|"]
    lines += [f"| {status} | {n} |" for status, n in counts.items()]
    lines += ["", "Outputs:", *[f"- {name}: `{path}`" for name, path in outputs.items()]]
    create_markdown_artifact(key=f"{stage}-funnel", markdown="\n".join(lines),
                             description=f"{stage} run {run_id}")
