"""Step 2 as a real Prefect flow run: videos through real ffmpeg, then the shortlist."""

import email
import email.policy
import os

import pandas as pd
import pytest
from sqlalchemy import create_engine, func, select

from flows.intake import intake
from flows.runtime import run_stage
from flows.videos import videos
from tasks.store import email_log, submissions
from tasks.synthetic import DEMO_LATE, DEMO_SUBMITTED, make_clip, write_programme

SMALLER = {  # the example programme, scaled down to 80 applicants and small test clips
    "count = 30": "count = 8", "count = 16": "count = 3", "min = 10 }": "min = 2 }",
    "min = 4, max = 30": "min = 0", "min = 5 }": "min = 1 }",
    "min_seconds = 20": "min_seconds = 10", "min_height = 360": "min_height = 120",
}


def arrived(path, when):
    os.utime(path, (when, when))


@pytest.fixture(scope="module")
def programme(tmp_path_factory):
    ws = write_programme(tmp_path_factory.mktemp("videos") / "ws", applicants=80)
    config = ws.program_file.read_text()
    for old, new in SMALLER.items():
        config = config.replace(old, new)
    ws.program_file.write_text(config)
    run_stage(intake, workspace=str(ws.root))
    people = pd.read_csv(ws.root / "exports" / "applicants.csv", encoding="utf-8-sig")
    invited = sorted(people.loc[people["status"] == "invited", "applicant_id"])
    inbox = ws.inbox("videos")
    for i, applicant_id in enumerate(invited[:5]):
        make_clip(inbox / f"{applicant_id}.mp4", 12, size="160x120", rate=5, tone=300 + 50 * i)
    make_clip(inbox / f"{invited[5]}.mp4", 12, size="160x120", rate=5, picture="black")
    make_clip(inbox / f"{invited[7]}.mp4", 12, size="160x120", rate=5, tone=900)
    for path in inbox.iterdir():
        arrived(path, DEMO_SUBMITTED)
    arrived(inbox / f"{invited[7]}.mp4", DEMO_LATE)
    pd.DataFrame({"applicant_id": invited * 2, "reviewer": ["r1"] * 8 + ["r2"] * 8,
                  "video": [5, 4, 3, 2, 1, 3, 3, 3] * 2}).to_csv(
        ws.inbox("video_reviews") / "videos.csv", index=False)
    return ws, invited, run_stage(videos, workspace=str(ws.root))


def test_every_invited_applicant_gets_a_step_2_status_with_reasons(programme):
    _, invited, summary = programme
    assert summary["counts"] == {"video_missing": 2, "video_rejected": 1, "not_shortlisted": 2,
                                 "shortlisted": 3}
    people = pd.read_csv(summary["outputs"]["applicants_csv"],
                         encoding="utf-8-sig").set_index("applicant_id")
    assert people.loc[invited[5], "reasons"] == "the picture is black"
    assert people.loc[invited[6], "reasons"] == "no video received"
    assert "arrived after the deadline" in people.loc[invited[7], "reasons"]
    assert list(people.loc[invited[:3], "status"]) == ["shortlisted"] * 3


def test_the_shortlist_export_points_to_the_normalised_videos(programme):
    ws, _, summary = programme
    shortlist = pd.read_csv(summary["outputs"]["shortlist_csv"], encoding="utf-8-sig")
    assert len(shortlist) == 3
    assert all((ws.root / path).is_file() for path in shortlist["media"])
    assert list(shortlist["final_score"]) == sorted(shortlist["final_score"], reverse=True)


def test_the_applicant_with_a_rejected_video_is_told_what_to_fix_and_hr_gets_a_summary(programme):
    ws, invited, _ = programme
    path = next((ws.root / "outbox").glob(f"videos-{invited[5]}-*.eml"))
    letter = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    body = letter.get_content()
    assert "Bildet er svart." in body
    assert "Kontroller at kameraet ikke er tildekket" in body
    summary = next((ws.root / "outbox").glob("videos-hr-*.eml")).read_bytes()
    assert b"To: hr@example.no" in summary


def test_every_file_in_the_inbox_is_recorded_exactly_once(programme):
    ws, _, _ = programme
    engine = create_engine(ws.sqlite_url)
    with engine.connect() as conn:
        files = [row.file for row in conn.execute(select(submissions.c.file))]
    assert sorted(files) == sorted(f"inbox/videos/{p.name}" for p in ws.inbox("videos").iterdir())


def test_a_rerun_skips_finished_videos_and_sends_nothing_again(programme):
    ws, _, first = programme
    media = sorted((ws.root / "media").iterdir())
    before = {p: p.stat().st_mtime_ns for p in media}
    engine = create_engine(ws.sqlite_url)
    count = select(func.count()).select_from(email_log)
    with engine.connect() as conn:
        sent = conn.execute(count).scalar()
    second = run_stage(videos, workspace=str(ws.root))
    assert second["counts"] == first["counts"]
    assert {p: p.stat().st_mtime_ns for p in sorted((ws.root / "media").iterdir())} == before
    with engine.connect() as conn:
        assert conn.execute(count).scalar() == sent
