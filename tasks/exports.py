"""Writing what HR opens in Excel: applicants, quarantine (CSV with BOM for Excel, and XLSX)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import xlsxwriter

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
from tasks.workspace import Workspace, write_atomically


def csv_bytes(frame: pd.DataFrame) -> bytes:
    # The BOM makes Excel read æøå as UTF-8.
    return frame.to_csv(index=False).encode("utf-8-sig")


EXCEL_ROWS = 1_048_576  # rows a worksheet holds, its header included
WIDEST = 60  # characters; longer text (reasons) wraps in Excel rather than widening the column


def column_widths(frame: pd.DataFrame, sample: int = 10_000) -> list[int]:
    """Widths that fit the header and most values, judged from the first rows."""
    head = frame.head(sample)
    return [min(WIDEST, max(len(str(name)),
                            int(head[name].dropna().astype(str).str.len().quantile(0.95))
                            if head[name].notna().any() else 0) + 2)
            for name in frame.columns]


def xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    """Rows streamed straight to xlsxwriter: twice as fast as `DataFrame.to_excel` at 100k rows,
    under a bold, frozen header with a filter, in columns as wide as their values. A text cell
    stays text, whatever it starts with. Rows beyond a worksheet's limit go on in more
    worksheets ("applicants 2", ...), each with the header, since xlsxwriter would drop them
    without a word."""
    buffer = io.BytesIO()
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
               "nan_inf_to_errors": True}
    cells = frame.astype(object).where(frame.notna(), None)
    per_sheet = EXCEL_ROWS - 1
    widths = column_widths(frame)
    with xlsxwriter.Workbook(buffer, options) as book:
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1})
        for part, start in enumerate(range(0, max(len(cells), 1), per_sheet), start=1):
            worksheet = book.add_worksheet(sheet if part == 1 else f"{sheet} {part}")
            for column, width in enumerate(widths):
                worksheet.set_column(column, column, width)
            worksheet.freeze_panes(1, 0)
            worksheet.write_row(0, 0, list(frame.columns), header)
            rows = cells.iloc[start:start + per_sheet]
            worksheet.autofilter(0, 0, max(len(rows), 1), max(len(frame.columns) - 1, 0))
            for number, row in enumerate(rows.itertuples(index=False), start=1):
                worksheet.write_row(number, 0, row)
    return buffer.getvalue()


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
