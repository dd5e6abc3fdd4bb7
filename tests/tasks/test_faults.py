"""Faults a person cannot prevent: a full disk, a locked or vanished store, no ffmpeg. Each one
stops with a message and leaves what was there before."""

import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from scoring.errors import StageStopped
from stores import opened, rows, store_locked
from tasks import store
from tasks.store import RunRecord, publish_intake, runs
from tasks.video import require_ffmpeg
from tasks.workspace import init_workspace

TABLE = pd.DataFrame({"applicant_id": ["A"], "status": ["invited"], "reasons": [""]}
                     ).set_index("applicant_id")
NO_ROWS = pd.DataFrame(columns=["input", "source_file", "source_row", "applicant_id", "reasons"])


def test_a_full_disk_while_writing_an_export_keeps_the_old_file(tmp_path):
    export = tmp_path / "applicants.csv"
    export.write_text("the previous export\n")
    script = textwrap.dedent(f"""
        import resource, signal
        from pathlib import Path
        from tasks.workspace import write_atomically
        from scoring.errors import StageStopped
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        try:
            write_atomically(Path({str(export)!r}), b"x" * 100_000)
        except StageStopped as stop:
            print(stop)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert "could not write" in done.stdout and "previous version is unchanged" in done.stdout
    assert export.read_text() == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["applicants.csv"]  # no partial left


def test_a_locked_store_stops_publishing_cleanly(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "LOCK_WAIT_S", 1.0)
    with opened(init_workspace(tmp_path / "ws")) as ws:
        publish_intake.fn(ws, RunRecord("r1", "intake", "c", {}), TABLE, NO_ROWS)
        with store_locked(ws), pytest.raises(
                StageStopped, match=r"(database is locked|lock timeout).*nothing was published"):
            publish_intake.fn(ws, RunRecord("r2", "intake", "c", {}), TABLE, NO_ROWS)
    assert rows(ws, runs) == 1


def test_a_store_that_is_gone_is_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("MENTORING_DATABASE_URL",
                       "postgresql+psycopg://nobody@127.0.0.1:1/gone?connect_timeout=2")
    gone = r"the store cannot be used .*Check MENTORING_DATABASE_URL"
    with pytest.raises(StageStopped, match=gone), opened(init_workspace(tmp_path / "ws")):
        pass


def test_no_ffmpeg_on_path_is_a_set_up_message_not_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(StageStopped, match=r"ffprobe and ffmpeg not found on PATH.*make install"):
        require_ffmpeg.fn()
