"""Reading the application exports HR put in the inbox."""

from __future__ import annotations

import pandas as pd

from scoring.applications import has_control, mark_latest, month_first, normalise
from scoring.config import ProgramConfig
from scoring.errors import StageStopped
from scoring.record import HEADERS, REQUIRED
from tasks import task
from tasks.render import labels
from tasks.sheets import read_contract_sheet, sheet_files
from tasks.workspace import Workspace


@task
def read_applications(ws: Workspace, config: ProgramConfig) -> tuple[pd.DataFrame, list[str]]:
    """Every application row of every export, normalised, with the live row per id marked; and
    what HR should know about how the exports were read, in the programme's language."""
    files = sheet_files(ws.inbox("applications"))
    if not files:
        raise StageStopped(f"no application exports (CSV or XLSX) in {ws.inbox('applications')}")
    t = labels(config.program.locale)
    words, notes, frames = t["input_notes"], [], []
    for path in files:
        sheet = read_contract_sheet(path, ws.relative(path), HEADERS, list(REQUIRED))
        shown, rows = ws.relative(path), sheet.rows
        for field, others in sheet.unread.items():
            notes.append(words["column_chosen"].format(
                file=shown, field=t["fields"].get(field, field),
                others=", ".join(f"«{other}»" for other in others)))
        cleaned = rows.loc[has_control(rows), "source_row"]
        if len(cleaned):
            notes.append(words["control_removed"].format(
                file=shown, rows=", ".join(map(str, cleaned.head(5)))
                + (" …" if len(cleaned) > 5 else "")))
        example = month_first(rows["birth_date"].astype("string").str.strip())
        if example:
            notes.append(words["month_first"].format(file=shown, example=example))
        frames.append(rows)
    return mark_latest(normalise(pd.concat(frames, ignore_index=True))), notes
