"""SIGKILL in the middle of a stage, then a rerun: the old state or the new, never a mix, and
no row or e-mail twice."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from tasks.store import applicants, email_log, runs
from tasks.synthetic import write_programme

MENTORING = Path(sys.executable).with_name("mentoring")
IDS = 119  # 120 generated applications and a correction of one, less the row without an id
INVITED = 30


def count(ws, table) -> int:
    engine = create_engine(ws.sqlite_url)
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(table)).scalar()
    engine.dispose()
    return n


def kill_when(ws, marker: str) -> None:
    """Start intake and SIGKILL it as soon as its log shows `marker`."""
    process = subprocess.Popen([str(MENTORING), "intake", str(ws.root)], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    for line in process.stdout:
        if marker in line or time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait()
    assert process.returncode == -signal.SIGKILL, "intake finished before it could be killed"


@pytest.mark.parametrize(("marker", "published"), [
    ("gate applications:", False),             # checked, not yet published
    ("Task run 'publish_intake", True),        # published, e-mails not all sent
])
def test_a_killed_intake_leaves_a_whole_state_and_a_rerun_finishes_the_job(tmp_path, marker,
                                                                            published):
    ws = write_programme(tmp_path / "ws", applicants=120)
    kill_when(ws, marker)
    if (ws.root / "mentoring.db").exists():
        assert count(ws, applicants) in (0, IDS) if published else count(ws, applicants) == 0
        assert count(ws, runs) == (1 if count(ws, applicants) else 0)

    done = subprocess.run([str(MENTORING), "intake", str(ws.root)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert count(ws, applicants) == IDS
    assert count(ws, email_log) == INVITED
    assert len(list((ws.root / "outbox").glob("intake-*.eml"))) == INVITED
    assert not list(ws.root.rglob("*.partial*"))  # no half-written file left behind
