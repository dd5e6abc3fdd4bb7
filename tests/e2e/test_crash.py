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
from tasks.synthetic import DEMO_SUBMITTED, make_clip, write_programme

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


def test_a_killed_videos_run_leaves_no_half_video_and_a_rerun_finishes(tmp_path):
    ws = write_programme(tmp_path / "ws", applicants=120)
    config = ws.program_file.read_text().replace("min_seconds = 20", "min_seconds = 5")
    ws.program_file.write_text(config.replace("min_height = 360", "min_height = 120"))
    subprocess.run([str(MENTORING), "intake", str(ws.root)], check=True, capture_output=True,
                   timeout=300)
    engine = create_engine(ws.sqlite_url)
    with engine.connect() as conn:
        invited = sorted(conn.execute(select(applicants.c.applicant_id)
                                      .where(applicants.c.status == "invited")).scalars())
    engine.dispose()
    for i, applicant_id in enumerate(invited[:6]):
        make_clip(ws.inbox("videos") / f"{applicant_id}.mp4", 8, size="320x240", rate=10,
                  tone=300 + 40 * i)
        os.utime(ws.inbox("videos") / f"{applicant_id}.mp4", (DEMO_SUBMITTED, DEMO_SUBMITTED))

    process = subprocess.Popen([str(MENTORING), "videos", str(ws.root)], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    for line in process.stdout:
        if "checked 2 of 6 videos" in line:
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait()
    assert process.returncode == -signal.SIGKILL

    done = subprocess.run([str(MENTORING), "videos", str(ws.root), "--json"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert not list(ws.root.rglob("*.partial*"))
    assert len(list((ws.root / "media").glob("*.mp4"))) == 6  # each video once, by content
    assert count(ws, email_log) == INVITED + 1  # the invitations, and HR's summary once
