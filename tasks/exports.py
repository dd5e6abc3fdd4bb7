"""Writing what HR opens in Excel: applicants, quarantine (CSV with BOM for Excel, and XLSX)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scoring.config import ProgramConfig
from scoring.exports import (
    applicants_export,
    pairs_export,
    quarantine_export,
    quarantine_rows,
    shortlist_export,
)
from scoring.record import SHORTLISTED, Status
from tasks import task
from tasks.store import published
from tasks.workbook import xlsx_bytes
from tasks.workspace import Workspace, write_atomically


def csv_bytes(frame: pd.DataFrame) -> bytes:
    # The BOM makes Excel read æøå as UTF-8.
    return frame.to_csv(index=False).encode("utf-8-sig")


@task
def load_published(ws: Workspace) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Where every applicant stands after all published stages, and the whole quarantine."""
    return published(ws)


@task
def collect_quarantine(inputs: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every row of the named inputs that did not become a live record, with where it came
    from and why: what the stage publishes as its quarantine."""
    return quarantine_rows(**inputs)


@task
def write_exports(ws: Workspace, config: ProgramConfig, table: pd.DataFrame,
                  quarantined: pd.DataFrame) -> dict[str, Path]:
    folder = ws.folder("exports")
    people = applicants_export(table)
    rows = quarantine_export(quarantined)
    outputs = {
        "applicants_csv": (folder / "applicants.csv", csv_bytes(people)),
        "applicants_xlsx": (folder / "applicants.xlsx", xlsx_bytes(people, "applicants")),
        "quarantine_csv": (folder / "quarantine.csv", csv_bytes(rows)),
    }
    if table["status"].isin(SHORTLISTED).any():
        outputs["shortlist_csv"] = (folder / "shortlist.csv",
                                    csv_bytes(shortlist_export(table)))
    if (table["status"] == Status.MATCHED).any():
        pairs = pairs_export(table, {leader.id: leader.name for leader in config.leaders})
        outputs["pairs_csv"] = (folder / "pairs.csv", csv_bytes(pairs))
        outputs["pairs_xlsx"] = (folder / "pairs.xlsx", xlsx_bytes(pairs, "pairs"))
    for path, data in outputs.values():
        write_atomically(path, data)
    return {name: path for name, (path, _) in outputs.items()}
