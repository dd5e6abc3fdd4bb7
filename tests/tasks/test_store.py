"""The store, on SQLite and (with --store postgresql) PostgreSQL: a transaction a stage,
nothing twice, one run at once."""

import threading
import time

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from scoring.errors import StageStopped
from stores import rows
from tasks import locking
from tasks.email import Letter, send_letters
from tasks.store import RunRecord, applicants, publish_intake, quarantine, runs


def table(*ids: str, status: str = "invited") -> pd.DataFrame:
    return pd.DataFrame({"applicant_id": list(ids), "status": status, "reasons": "",
                         "score": 50.0}).set_index("applicant_id")


NO_ROWS = pd.DataFrame(columns=["input", "source_file", "source_row", "applicant_id", "reasons"])


def run(n: int) -> RunRecord:
    return RunRecord(f"run{n}", "intake", "cfg", {})


def test_publishing_again_replaces_and_duplicates_nothing(ws):
    assert publish_intake.fn(ws, run(1), table("A", "B"), NO_ROWS) == {"invited": 2}
    publish_intake.fn(ws, run(2), table("A", "B"), NO_ROWS)
    assert rows(ws, applicants) == 2
    assert rows(ws, runs) == 2


def test_a_publish_that_fails_midway_leaves_the_previous_state(ws):
    publish_intake.fn(ws, run(1), table("A", "B"), NO_ROWS)
    broken = NO_ROWS.copy()
    broken.loc[0] = ["applications", None, 2, "C", "bad"]  # source_file may not be empty
    refused = r"(?i)the store cannot be used \(.*null.*\); nothing was published\. The store"
    with pytest.raises(StageStopped, match=refused):
        publish_intake.fn(ws, run(2), table("C"), broken)
    assert rows(ws, applicants) == 2
    assert rows(ws, quarantine) == 0
    assert rows(ws, runs) == 1


def test_the_email_ledger_sends_each_letter_once(ws, monkeypatch):
    monkeypatch.delenv("MENTORING_SMTP_HOST", raising=False)
    letters = [Letter("A", "a@example.no", "Hei", "Tekst")]
    assert send_letters.fn(ws, "intake", "r1", letters, "hr@example.no")["sent"] == 1
    assert send_letters.fn(ws, "intake", "r2", letters, "hr@example.no")["sent"] == 0


def test_a_second_run_waits_for_the_first_and_then_goes_on(ws):
    order = []
    holding = threading.Event()

    def first():
        with locking.stage_lock(ws, "rescore"):
            order.append("first starts")
            holding.set()
            time.sleep(1.0)
            order.append("first ends")

    worker = threading.Thread(target=first)
    worker.start()
    assert holding.wait(timeout=30)
    with locking.stage_lock(ws, "intake"):
        order.append("second runs")
    worker.join()
    assert order == ["first starts", "first ends", "second runs"]


def test_a_run_that_waits_too_long_stops_cleanly(ws, monkeypatch):
    monkeypatch.setattr(locking, "WAIT_S", 0.5)
    busy = r"another run .* is working on this programme; intake waited 0 s"
    with (locking.stage_lock(ws, "rescore"), pytest.raises(StageStopped, match=busy),
          locking.stage_lock(ws, "intake")):
        pass


def test_a_run_holds_its_postgresql_lock_outside_any_transaction(ws):
    """A session idle in a transaction for a whole run holds back vacuum, and servers with an
    idle_in_transaction_session_timeout would end it, and the lock with it."""
    if not ws.store_url.startswith("postgresql"):
        pytest.skip("the advisory lock is PostgreSQL's; this run's store is SQLite")
    engine = create_engine(ws.store_url)
    with locking.stage_lock(ws, "rescore"), engine.connect() as conn:
        states = conn.execute(text(
            "SELECT state FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND query LIKE 'SELECT pg_try_advisory_lock%'")).all()
    engine.dispose()
    assert [state for (state,) in states] == ["idle"]
