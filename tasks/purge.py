"""Removing a finished programme's personal data, leaving the aggregate figures and a receipt."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import shutil

from sqlalchemy import func, select, update

from scoring.config import Program
from scoring.errors import StageStopped
from scoring.report import history
from tasks.locking import stage_lock
from tasks.render import labels, render
from tasks.store import (
    connected,
    metadata,
    open_store,
    rewrite_store,
    run_history,
    runs,
    upgrade_store,
)
from tasks.workspace import FOLDERS, INBOXES, Workspace, write_atomically

# Everything in the workspace that names or shows a person (program.toml names the leaders).
PERSONAL = [*(f"inbox/{name}" for name in INBOXES), *FOLDERS, ".secret", "program.toml"]
RECEIPT = "purge-receipt.json"
SUMMARY = "summary.html"


def personal_files(ws: Workspace) -> dict[str, int]:
    """How many files each personal folder (or file) of the workspace holds now."""
    found = {}
    for name in PERSONAL:
        path = ws.root / name
        if path.is_dir():
            found[name] = sum(1 for p in path.rglob("*") if p.is_file())
        elif path.exists():
            found[name] = 1
    return found


def personal_rows(ws: Workspace) -> dict[str, int]:
    """How many rows each table but the run history holds now."""
    with connected(ws) as conn:
        return {table.name: int(conn.execute(select(func.count()).select_from(table)).scalar()
                                or 0)
                for table in metadata.sorted_tables if table is not runs}


def purge_plan(ws: Workspace) -> dict:
    """What `purge` would remove, without removing anything."""
    with open_store(ws), stage_lock(ws, "purge"):
        upgrade_store(ws)
        return {"files_removed": personal_files(ws), "store_rows_removed": personal_rows(ws)}


def purge(ws: Workspace, program: Program, before: dt.date | None = None) -> dict:
    """Delete personal files and store rows, holding the programme's lock; keep the run
    history's counts. Returns the receipt.

    With `before`, refuse while the programme has had a run on or after that day.
    """
    with open_store(ws), stage_lock(ws, "purge"):
        upgrade_store(ws)
        return purge_locked(ws, program, before)


def purge_locked(ws: Workspace, program: Program, before: dt.date | None) -> dict:
    past = run_history(ws)
    if before is not None and len(past):
        last = past["finished_at"].max()
        if last is not None and last.date() >= before:
            raise StageStopped(f"the programme ran on {last.date()}, not before {before}; "
                               "nothing was removed")
    summary = render("summary.html", locale=program.locale, t=labels(program.locale),
                     history=history(past, program.timezone))
    removed = personal_files(ws)
    for name in removed:
        path = ws.root / name
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    rows = {}
    with connected(ws, write=True) as conn:
        for table in metadata.sorted_tables:
            if table is not runs:
                rows[table.name] = conn.execute(table.delete()).rowcount
        conn.execute(update(runs).values(input_hashes={}))  # the keys are file names
    rewrite_store(ws)
    write_atomically(ws.root / "reports" / SUMMARY, summary.encode())
    receipt = {"purged_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
               "purged_by": getpass.getuser(), "files_removed": removed,
               "store_rows_removed": rows, "kept": [f"reports/{SUMMARY}", RECEIPT,
                                                     "the store's run history (counts only)"]}
    write_atomically(ws.root / RECEIPT, json.dumps(receipt, indent=2).encode())
    return receipt
