"""The videos inbox: every file and manifest entry, and whose submission each one is."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd

from scoring.config import ProgramConfig
from scoring.reasons import live
from scoring.record import Status
from scoring.submissions import match_submissions, with_verdicts
from tasks import task
from tasks.render import reason_texts
from tasks.sheets import input_digests, read_contract_sheet
from tasks.uploads import uploaded_videos
from tasks.workspace import Workspace

MANIFEST = "manifest.csv"
MANIFEST_HEADERS = {"file": ("file", "fil", "filnavn"),
                    "applicant_id": ("applicant_id", "ansattnummer"),
                    "received_at": ("received_at", "mottatt")}


@task
def list_videos(ws: Workspace, timezone: str) -> pd.DataFrame:
    """Every file in the videos inbox, every manifest entry and every video uploaded on the
    portal, with what matching needs.

    The arrival time of an upload is when the portal received it. For the inbox it is the
    manifest's `received_at` (in the programme's time zone) when given, as copying a file resets
    its modification time; else the file's modification time.
    """
    inbox = ws.inbox("videos")
    listed = pd.DataFrame(columns=["file", "applicant_id", "received_at", "source_row"])
    if (inbox / MANIFEST).is_file():
        listed = read_contract_sheet(inbox / MANIFEST, ws.relative(inbox / MANIFEST),
                                     MANIFEST_HEADERS, ["file", "applicant_id"]).rows
    # Names are compared in NFC: macOS writes "å" as "a" and a combining ring, a manifest
    # typed elsewhere as one character; both name the same file.
    on_disk = {nfc(path.name): path.name for path in sorted(inbox.iterdir())} \
        if inbox.is_dir() else {}
    rows = []
    for entry in listed.itertuples():
        name = str(entry.file).strip()
        rows.append(video_entry(inbox, on_disk.get(nfc(name), name),
                                str(entry.applicant_id).strip(),
                                getattr(entry, "received_at", None), timezone))
    named = {nfc(str(r["name"])) for r in rows}
    for key, name in on_disk.items():
        if key != MANIFEST and not key.startswith(".") and key not in named:
            rows.append(video_entry(inbox, name, nfc(Path(name).stem), None, timezone))
    entries = pd.DataFrame(rows, columns=["name", "claimed_id", "is_symlink", "outside",
                                          "exists", "size", "modified", "by_file_time"])
    entries["file"] = "inbox/videos/" + entries["name"]
    return pd.concat([entries.drop(columns="name"), uploaded_videos(ws)], ignore_index=True)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def video_entry(inbox: Path, name: str, claimed_id: str, received_at: Any,
                timezone: str) -> dict:
    path = inbox / name
    outside = not path.resolve().is_relative_to(inbox.resolve()) and not path.is_symlink()
    outside = outside or Path(name).is_absolute() or ".." in Path(name).parts
    exists = not outside and (path.is_file() or path.is_symlink())
    stat = path.lstat() if exists else None
    modified = pd.Timestamp(stat.st_mtime, unit="s", tz="UTC") if stat else pd.NaT
    by_file_time = received_at in (None, "") or pd.isna(received_at)
    if not by_file_time:
        modified = pd.Timestamp(received_at)
        modified = modified.tz_localize(timezone) if modified.tzinfo is None else modified
        modified = modified.tz_convert("UTC")
    return {"name": name, "claimed_id": claimed_id, "is_symlink": exists and path.is_symlink(),
            "outside": outside, "exists": exists, "size": stat.st_size if stat else 0,
            "modified": modified, "by_file_time": by_file_time}


@task
def submission_inputs(ws: Workspace, entries: pd.DataFrame) -> dict[str, str]:
    """What step 2 reads, for its run record: the video review sheets' hashes, and each video
    file with its arrival time."""
    arrivals = dict(zip(entries["file"], entries["modified"].astype(str), strict=True))
    return {**input_digests(ws, "video_reviews", "decisions"), **arrivals}


@task
def match_videos(entries: pd.DataFrame, step1: pd.DataFrame, deadlines: dict[str, dt.date],
                 config: ProgramConfig) -> pd.DataFrame:
    """Every inbox entry with its applicant and why it is not a live submission, if it is not;
    a file is late after its applicant's own deadline (`deadlines`), else the call's."""
    invited = step1.index[step1["status"] == Status.INVITED]
    return match_submissions(entries, step1.index, invited, config.video.submission_deadline,
                             pd.Series(deadlines, dtype=object), config.program.timezone,
                             reason_texts(config.program.locale))


@task
def live_submissions(files: pd.DataFrame) -> pd.DataFrame:
    """The files that are someone's live submission: the ones to check."""
    return live(files)


@task
def submitted_files(files: pd.DataFrame, verdicts: pd.DataFrame) -> pd.DataFrame:
    """Every inbox entry with the technical verdict of its check, if it was checked."""
    return with_verdicts(files, verdicts)
