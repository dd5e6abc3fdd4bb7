import datetime as dt

import pandas as pd

from scoring.submissions import match_submissions
from tasks.render import reason_texts

DEADLINE = dt.date(2025, 4, 1)


def entry(file: str, claimed: str, when: str = "2025-03-20 12:00", **flags) -> dict:
    return {"file": f"inbox/videos/{file}", "claimed_id": claimed, "is_symlink": False,
            "outside": False, "exists": True, "size": 1000,
            "modified": pd.Timestamp(when, tz="UTC"), "by_file_time": False, **flags}


def matched(*entries: dict, own: dict[str, dt.date] | None = None) -> pd.Series:
    frame = match_submissions(pd.DataFrame(list(entries)), pd.Index(["A1", "A2", "B9"]),
                              pd.Index(["A1", "A2"]), DEADLINE,
                              pd.Series(own or {}, dtype=object), "Europe/Oslo",
                              reason_texts("en"))
    return frame.set_index("file")["reasons"]


def test_every_file_gets_one_verdict_with_a_reason():
    reasons = matched(
        entry("A1.mp4", "A1"),
        entry("a1 gammel.mp4", "a1", when="2025-03-01 08:00"),
        entry("B9.mp4", "B9"),
        entry("hvem.mp4", "hvem"),
        entry("A2.mp4", "A2", when="2025-04-02 08:00"),
        entry("lenke.mp4", "A2", is_symlink=True),
        entry("../../etc/passwd", "A2", outside=True, exists=False),
    )
    assert reasons.to_dict() == {
        "inbox/videos/A1.mp4": "",
        "inbox/videos/a1 gammel.mp4": "superseded by a newer video, inbox/videos/A1.mp4",
        "inbox/videos/B9.mp4": "applicant B9 was not invited to send a video",
        "inbox/videos/hvem.mp4": "the name is not a known applicant id (name the file by the "
                                 "id, or list it in manifest.csv)",
        "inbox/videos/A2.mp4": "arrived after the deadline, 2025-04-01",
        "inbox/videos/lenke.mp4": "is a symbolic link; copy the video itself into the inbox",
        "inbox/videos/../../etc/passwd": "points outside the videos inbox",
    }


def test_a_video_counts_until_the_applicants_own_deadline_as_the_letters_gave_it():
    reasons = matched(entry("A1.mp4", "A1", when="2025-04-05 20:00"),
                      entry("A2.mp4", "A2", when="2025-04-05 20:00"),
                      own={"A1": dt.date(2025, 4, 5), "A2": dt.date(2025, 4, 4)})
    assert reasons.to_dict() == {"inbox/videos/A1.mp4": "",
                                 "inbox/videos/A2.mp4": "arrived after the deadline, 2025-04-04"}


def test_a_file_late_only_by_its_own_time_says_how_to_give_the_real_arrival():
    reasons = matched(entry("A1.mp4", "A1", when="2025-04-03 08:00", by_file_time=True))
    assert reasons["inbox/videos/A1.mp4"] == (
        "arrived after the deadline, 2025-04-01, by the file's own time; if it came earlier, "
        "give the time as received_at in manifest.csv")
