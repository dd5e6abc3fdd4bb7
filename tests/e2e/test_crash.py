"""SIGKILL in the middle of a stage, then a rerun: the old state or the new, never a mix, and
no row or e-mail twice. The killed stage is a `mentoring` process; the rerun is the same stage run
in this process, as the command runs it (flows/cli.py)."""

import os
import re

import pytest
from sqlalchemy import create_engine, select

from cli import kill_when
from flows.intake import intake
from flows.runtime import run_stage
from flows.videos import videos
from stores import rows
from tasks.store import applicants, email_log, runs
from tasks.synthetic import DEMO_SUBMITTED, make_clip, write_programme

IDS = 119  # 120 generated applications and a correction of one, less the row without an id
INVITED = 30


@pytest.mark.parametrize(("marker", "published"), [
    ("gate applications:", False),             # checked, not yet published
    ("Task run 'publish_intake", True),        # published, e-mails not all sent
])
def test_a_killed_intake_leaves_a_whole_state_and_a_rerun_finishes_the_job(tmp_path, marker,
                                                                            published):
    ws = write_programme(tmp_path / "ws", applicants=120)
    kill_when("intake", ws.root, marker)
    assert rows(ws, applicants) in (0, IDS) if published else rows(ws, applicants) == 0
    assert rows(ws, runs) == (1 if rows(ws, applicants) else 0)

    run_stage(intake, workspace=str(ws.root))
    assert rows(ws, applicants) == IDS
    assert rows(ws, email_log) == INVITED
    assert len(list((ws.root / "outbox").glob("intake-*.eml"))) == INVITED
    assert not list(ws.root.rglob("*.partial*"))  # no half-written file left behind
    docs = ws.root / "reports" / "gx"  # the killed run's gates too have their pages
    linked = re.findall(r'href="(validations/[^"]+)"', (docs / "index.html").read_text())
    assert len(linked) >= 3 and all((docs / page).is_file() for page in linked)


@pytest.mark.store_independent  # files and the e-mail ledger, kept whole as intake's are
def test_a_killed_videos_run_leaves_no_half_video_and_a_rerun_finishes(tmp_path):
    ws = write_programme(tmp_path / "ws", applicants=120)
    config = ws.program_file.read_text().replace("min_seconds = 20", "min_seconds = 5")
    ws.program_file.write_text(config.replace("min_height = 360", "min_height = 120"))
    run_stage(intake, workspace=str(ws.root))
    engine = create_engine(ws.store_url)
    with engine.connect() as conn:
        invited = sorted(conn.execute(select(applicants.c.applicant_id)
                                      .where(applicants.c.status == "invited")).scalars())
    engine.dispose()
    for i, applicant_id in enumerate(invited[:6]):
        make_clip(ws.inbox("videos") / f"{applicant_id}.mp4", 8, size="320x240", rate=10,
                  tone=300 + 40 * i)
        os.utime(ws.inbox("videos") / f"{applicant_id}.mp4", (DEMO_SUBMITTED, DEMO_SUBMITTED))

    kill_when("videos", ws.root, "checked 2 of 6 videos")
    run_stage(videos, workspace=str(ws.root))
    assert not list(ws.root.rglob("*.partial*"))
    assert len(list((ws.root / "media").glob("*.mp4"))) == 6  # each video once, by content
    assert rows(ws, email_log) == INVITED + 1  # the invitations, and HR's summary once
