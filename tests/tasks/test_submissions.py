"""The videos inbox as HR fills it, from a Mac or a PC."""

import unicodedata

import pandas as pd

from tasks.submissions import list_videos

NAME = "Video fra Åse Ødegård.mp4"


def test_a_file_named_in_decomposed_unicode_is_the_one_the_manifest_lists(ws):
    inbox = ws.inbox("videos")
    (inbox / unicodedata.normalize("NFD", NAME)).write_bytes(b"video")  # as macOS writes it
    pd.DataFrame({"file": [NAME], "applicant_id": ["A1"]}).to_csv(inbox / "manifest.csv",
                                                                  index=False)
    entries = list_videos.fn(ws, "Europe/Oslo")
    assert len(entries) == 1
    assert entries.iloc[0][["claimed_id", "exists"]].tolist() == ["A1", True]
    assert (ws.root / entries.iloc[0]["file"]).is_file()
