"""Prefect artifacts a person reads in the UI: ids, counts and links only, never personal data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
)

from scoring.record import SHORTLISTED
from tasks import task

# What the UI may show of a shortlisted candidate: no name, e-mail or sensitive attribute.
SHORTLIST_FIELDS = ("applicant_id", "status", "final_score", "leader_id", "leader_rank")


@task
def publish_artifacts(stage: str, run_id: str, counts: dict[str, int], table: pd.DataFrame,
                      outputs: dict[str, Path], base_url: str) -> None:
    """The funnel, the shortlist by id, and links to the report (on HR's pages of the portal
    when there is one: a browser will not open a file:// link from a web page) and Data
    Docs."""
    lines = [f"# {stage}: where the applicants stand", "", "| status | applicants |", "|---|---:|"]
    lines += [f"| {status} | {n} |" for status, n in counts.items()]
    lines += ["", "Outputs:", *[f"- {name}: `{path}`" for name, path in outputs.items()]]
    create_markdown_artifact(key=f"{stage}-funnel", markdown="\n".join(lines),
                             description=f"{stage} run {run_id}")
    chosen = table[table["status"].isin(SHORTLISTED)].reset_index()
    if not chosen.empty:
        rows = chosen.reindex(columns=list(SHORTLIST_FIELDS)).astype(object)
        create_table_artifact(key="shortlist", table={
            column: rows[column].where(rows[column].notna(), None).tolist()
            for column in SHORTLIST_FIELDS}, description="the current shortlist, by id")
    for name in ("report", "data_docs"):
        if name in outputs:
            create_link_artifact(key=f"{stage}-{name.replace('_', '-')}",
                                 link=link_to(Path(outputs[name]), base_url),
                                 link_text=f"{stage} {name.replace('_', ' ')}")


def link_to(path: Path, base_url: str) -> str:
    if base_url and path.parent.name == "reports":
        return f"{base_url}/hr/files/reports/{path.name}"
    return path.resolve().as_uri()
