"""Purging a finished programme leaves nothing personal, in the workspace or in the store."""

import json

import pandas as pd
import pytest
from sqlalchemy import create_engine, inspect, select

from flows.match import match
from flows.runtime import run_stage
from flows.shortlist import shortlist
from scoring.errors import StageStopped
from tasks.purge import purge
from tasks.store import applicants
from tasks.workspace import load_program


@pytest.fixture(scope="module")
def finished(programme_copy):
    ws, _ = programme_copy
    run_stage(shortlist, workspace=str(ws.root))
    run_stage(match, workspace=str(ws.root))  # no sheets yet: everyone waits, which is fine
    engine = create_engine(ws.store_url)
    with engine.connect() as conn:
        people = pd.read_sql(select(applicants), conn)
    engine.dispose()
    return ws, people


def personal_values(people: pd.DataFrame) -> set[str]:
    values = set(people["name"].dropna()) | set(people["email"].dropna())
    values |= set(people["applicant_id"]) | set(people["motivation"].dropna())
    values |= {d.strftime(f) for d in pd.to_datetime(people["birth_date"].dropna())
               for f in ("%Y-%m-%d", "%d.%m.%Y")}
    return values


def test_purge_refuses_while_the_programme_is_still_running(finished):
    ws, _ = finished
    with pytest.raises(StageStopped, match="nothing was removed"):
        purge(ws, load_program(ws).program, before=pd.Timestamp("2000-01-01").date())
    assert (ws.root / "inbox" / "applications").is_dir()


def test_after_purge_no_file_and_no_store_row_holds_personal_data(finished):
    ws, people = finished
    receipt = purge(ws, load_program(ws).program)
    values = personal_values(people)
    for path in ws.root.rglob("*"):
        if path.is_file() and path.name != "mentoring.db":
            text = path.read_bytes().decode("utf-8", errors="ignore")
            assert not [v for v in values if v in text], path
    engine = create_engine(ws.store_url)
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            dump = str(conn.exec_driver_sql(f"SELECT * FROM {table}").fetchall())
            assert not [v for v in values if v in dump], table
    engine.dispose()
    if ws.store_url.startswith("sqlite"):
        raw = (ws.root / "mentoring.db").read_bytes().decode("utf-8", errors="ignore")
        assert not [v for v in values if v in raw]  # not even in free pages
    assert receipt["files_removed"]["inbox/applications"] == 2
    assert json.loads((ws.root / "purge-receipt.json").read_text()) == receipt
    assert "Omvendt mentoring" in (ws.root / "reports" / "summary.html").read_text()
