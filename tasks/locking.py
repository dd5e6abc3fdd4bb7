"""One stage run at a time per programme: a second run waits for the first, or stops cleanly.

SQLite workspaces lock a file in the workspace; a PostgreSQL store (which runs on several
machines may share) takes an advisory lock in the database.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Engine

from scoring.errors import StageStopped
from tasks.store import engine_for, store_errors
from tasks.workspace import Workspace, clear_leftovers

WAIT_S = 300.0  # how long a run waits for another to finish before it gives up
POLL_S = 0.5
LOCK_KEY = int.from_bytes(hashlib.sha256(b"mentoring-stage").digest()[:8], "big", signed=True)


def busy(stage: str, holder: str) -> StageStopped:
    return StageStopped(f"another run ({holder}) is working on this programme; {stage} waited "
                        f"{WAIT_S:.0f} s and published nothing. Run it again when that run has "
                        "finished.")


@contextmanager
def stage_lock(ws: Workspace, stage: str) -> Iterator[None]:
    """Hold the programme's lock for a stage run (its store opened); on taking it, clear what a
    killed run left half-written, since no other run can be writing now."""
    engine = engine_for(ws)
    lock = (advisory_lock(engine, stage) if engine.dialect.name == "postgresql"
            else file_lock(ws, stage))
    with lock:
        clear_leftovers(ws)
        yield


def waiting(attempt) -> bool:
    """Try `attempt` until it succeeds or WAIT_S passes."""
    deadline = time.monotonic() + WAIT_S
    while not attempt():
        if time.monotonic() > deadline:
            return False
        time.sleep(POLL_S)
    return True


@contextmanager
def file_lock(ws: Workspace, stage: str) -> Iterator[None]:
    path = ws.root / ".lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    def attempt() -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    try:
        if not waiting(attempt):
            raise busy(stage, path.read_text().strip() or "unknown")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{stage}, process {os.getpid()}".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def advisory_lock(engine: Engine, stage: str) -> Iterator[None]:
    # Outside any transaction: a session "idle in transaction" for a whole run would hold back
    # the server's vacuum, and servers with idle_in_transaction_session_timeout end it.
    with store_errors(), engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        def attempt() -> bool:
            return bool(conn.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                     {"key": LOCK_KEY}).scalar())

        if not waiting(attempt):
            raise busy(stage, "a run holding the database lock")
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
