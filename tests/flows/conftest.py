import os

import pandas as pd
import pytest

from flows.intake import intake
from flows.runtime import run_stage
from flows.videos import videos
from tasks.synthetic import DEMO_LATE, DEMO_SUBMITTED, make_clip, write_programme

SMALLER = {  # the example programme, scaled down to 80 applicants, two leaders, small clips
    "count = 30": "count = 10", "count = 16": "count = 5", "min = 10 }": "min = 2 }",
    "min = 4, max = 30": "min = 0", "min = 5 }": "min = 1 }", "min_ranked = 4": "min_ranked = 2",
    "min_seconds = 20": "min_seconds = 10", "min_height = 360": "min_height = 120",
}
VIDEO_GRADES = [5, 4, 4, 3, 3, 2, 1, 3, 3, 2]


@pytest.fixture(autouse=True, scope="session")
def prefect_server(prefect_api):
    """Every test here runs flows."""


def arrived(path, when):
    os.utime(path, (when, when))


@pytest.fixture(scope="session")
def after_videos(tmp_path_factory):
    """A programme through steps 1 and 2: 10 invited, 7 good videos, 1 black, 1 late, 1 missing.
    Returns the workspace folder (copy it before changing it), the invited ids and the summary."""
    ws = write_programme(tmp_path_factory.mktemp("after-videos") / "ws", applicants=80)
    config = ws.program_file.read_text()
    for old, new in SMALLER.items():
        config = config.replace(old, new)
    ws.program_file.write_text(config[:config.index('[[leaders]]\nid = "L3"')])
    run_stage(intake, workspace=str(ws.root))
    people = pd.read_csv(ws.root / "exports" / "applicants.csv", encoding="utf-8-sig")
    invited = sorted(people.loc[people["status"] == "invited", "applicant_id"])
    inbox = ws.inbox("videos")
    for i, applicant_id in enumerate(invited):
        if i == 6:
            make_clip(inbox / f"{applicant_id}.mp4", 12, size="160x120", rate=5, picture="black")
        elif i != 7:
            make_clip(inbox / f"{applicant_id}.mp4", 12, size="160x120", rate=5, tone=300 + 50 * i)
        if i != 7:
            arrived(inbox / f"{applicant_id}.mp4", DEMO_LATE if i == 8 else DEMO_SUBMITTED)
    pd.DataFrame({"applicant_id": invited * 2, "reviewer": ["r1"] * 10 + ["r2"] * 10,
                  "video": VIDEO_GRADES * 2}).to_csv(
        ws.inbox("video_reviews") / "videos.csv", index=False)
    summary = run_stage(videos, workspace=str(ws.root))
    return ws.root, invited, summary


@pytest.fixture(scope="module")
def programme_copy(after_videos, copy_workspace, tmp_path_factory):
    """A module's own copy of the programme after step 2."""
    root, invited, _ = after_videos
    return copy_workspace(root, tmp_path_factory.mktemp("copy") / "ws"), invited
