"""Step 2 as a real Prefect flow run: videos through real ffmpeg, then the shortlist."""

import email
import email.policy

import pandas as pd
import pytest
from sqlalchemy import create_engine, func, select

from flows.runtime import run_stage
from flows.videos import videos
from tasks.store import email_log, submissions
from tasks.workspace import Workspace


@pytest.fixture(scope="module")
def programme(after_videos):
    root, invited, summary = after_videos
    return Workspace(root), invited, summary


def test_every_invited_applicant_gets_a_step_2_status_with_reasons(programme):
    _, invited, summary = programme
    assert summary["counts"] == {"video_missing": 2, "video_rejected": 1, "not_shortlisted": 2,
                                 "shortlisted": 5}
    people = pd.read_csv(summary["outputs"]["applicants_csv"],
                         encoding="utf-8-sig").set_index("applicant_id")
    assert people.loc[invited[6], "reasons"] == "bildet er svart"
    assert people.loc[invited[7], "reasons"] == "ingen video mottatt"
    assert "kom etter fristen" in people.loc[invited[8], "reasons"]
    assert people.loc[invited[0], "status"] == "shortlisted"


def test_the_shortlist_export_points_to_the_normalised_videos(programme):
    ws, _, summary = programme
    shortlist = pd.read_csv(summary["outputs"]["shortlist_csv"], encoding="utf-8-sig")
    assert len(shortlist) == 5
    assert all((ws.root / path).is_file() for path in shortlist["media"])
    assert list(shortlist["final_score"]) == sorted(shortlist["final_score"], reverse=True)


def test_the_applicant_with_a_rejected_video_is_told_what_to_fix_and_hr_gets_a_summary(programme):
    ws, invited, _ = programme
    path = next((ws.root / "outbox").glob(f"videos-{invited[6]}-*.eml"))
    letter = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    body = letter.get_content()
    assert "Bildet er svart." in body
    assert "Kontroller at kameraet ikke er tildekket" in body
    summary = next((ws.root / "outbox").glob("videos-hr-*.eml")).read_bytes()
    assert b"To: hr@example.no" in summary


def test_every_file_in_the_inbox_is_recorded_exactly_once(programme):
    ws, _, _ = programme
    engine = create_engine(ws.store_url)
    with engine.connect() as conn:
        files = [row.file for row in conn.execute(select(submissions.c.file))]
    assert sorted(files) == sorted(f"inbox/videos/{p.name}" for p in ws.inbox("videos").iterdir())


def test_a_rerun_skips_finished_videos_and_sends_nothing_again(programme):
    ws, _, first = programme
    media = sorted((ws.root / "media").iterdir())
    before = {p: p.stat().st_mtime_ns for p in media}
    engine = create_engine(ws.store_url)
    count = select(func.count()).select_from(email_log)
    with engine.connect() as conn:
        sent = conn.execute(count).scalar()
    second = run_stage(videos, workspace=str(ws.root))
    assert second["counts"] == first["counts"]
    assert {p: p.stat().st_mtime_ns for p in sorted((ws.root / "media").iterdir())} == before
    with engine.connect() as conn:
        assert conn.execute(count).scalar() == sent
