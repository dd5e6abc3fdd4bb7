"""Reading what HR dropped into the inbox: application exports and reviewer sheets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scoring.applications import HEADERS, REQUIRED, mark_latest, normalise
from scoring.config import ProgramConfig
from scoring.errors import StageStopped
from scoring.scorecard import check_reviews, required_review_columns, review_headers
from tasks import task
from tasks.sheets import read_contract_sheet, sheet_files
from tasks.workspace import Workspace, file_digest


def input_digests(ws: Workspace, *inboxes: str) -> dict[str, str]:
    """Content hash of every sheet the stage reads, recorded with its run."""
    return {ws.relative(p): file_digest(p) for name in inboxes
            for p in sheet_files(ws.inbox(name))}


@task
def read_applications(ws: Workspace) -> pd.DataFrame:
    """Every application row of every export, normalised, with the live row per id marked."""
    files = sheet_files(ws.inbox("applications"))
    if not files:
        raise StageStopped(f"no application exports (CSV or XLSX) in {ws.inbox('applications')}")
    frames = [read_contract_sheet(p, ws.relative(p), HEADERS, list(REQUIRED)) for p in files]
    raw = pd.concat(frames, ignore_index=True)
    return mark_latest(normalise(raw))


@task
def read_reviews(ws: Workspace, inbox: str, config: ProgramConfig, keys: list[str],
                 live_ids: pd.Index, live: str = "live application") -> pd.DataFrame:
    """Every review row of the inbox's sheets, checked; `reasons` says why a row does not count."""
    files = sheet_files(ws.inbox(inbox))
    fields = review_headers(keys)
    required = required_review_columns(keys)
    frames = [read_contract_sheet(p, ws.relative(p), fields, required).assign(sheet_order=order)
              for order, p in enumerate(files)]
    columns = ["source_file", "source_row", "sheet_order", *fields]
    raw = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return check_reviews(raw, keys, config.scorecard.scale, live_ids, live)


@task
def rescore_inputs(ws: Workspace, config: ProgramConfig) -> dict[str, str]:
    """Everything a rescoring reads, fingerprinted: if none of it changed, nothing can move."""
    return {**input_digests(ws, "applications", "reviews", "video_reviews"),
            "program.toml": config.fingerprint()}


MANIFEST = "manifest.csv"
MANIFEST_HEADERS = {"file": ("file", "fil", "filnavn"),
                    "applicant_id": ("applicant_id", "ansattnummer"),
                    "received_at": ("received_at", "mottatt")}


@task
def list_videos(ws: Workspace, timezone: str) -> pd.DataFrame:
    """Every file in the videos inbox and every manifest entry, with what matching needs.

    The arrival time is the manifest's `received_at` (in the programme's time zone) when given,
    as copying a file resets its modification time; else the file's modification time.
    """
    inbox = ws.inbox("videos")
    listed = pd.DataFrame(columns=["file", "applicant_id", "received_at", "source_row"])
    if (inbox / MANIFEST).is_file():
        listed = read_contract_sheet(inbox / MANIFEST, ws.relative(inbox / MANIFEST),
                                     MANIFEST_HEADERS, ["file", "applicant_id"])
    rows = []
    for entry in listed.itertuples():
        rows.append(video_entry(inbox, str(entry.file).strip(), str(entry.applicant_id).strip(),
                                getattr(entry, "received_at", None), timezone))
    named = {str(r["name"]) for r in rows}
    for path in sorted(inbox.iterdir()) if inbox.is_dir() else []:
        if path.name != MANIFEST and not path.name.startswith(".") and path.name not in named:
            rows.append(video_entry(inbox, path.name, path.stem, None, timezone))
    entries = pd.DataFrame(rows, columns=["name", "claimed_id", "is_symlink", "outside",
                                          "exists", "size", "modified"])
    entries["file"] = "inbox/videos/" + entries["name"]
    return entries.drop(columns="name")


def video_entry(inbox: Path, name: str, claimed_id: str, received_at: object,
                timezone: str) -> dict:
    path = inbox / name
    outside = not path.resolve().is_relative_to(inbox.resolve()) and not path.is_symlink()
    outside = outside or Path(name).is_absolute() or ".." in Path(name).parts
    exists = not outside and (path.is_file() or path.is_symlink())
    stat = path.lstat() if exists else None
    modified = pd.Timestamp(stat.st_mtime, unit="s", tz="UTC") if stat else pd.NaT
    if received_at not in (None, "") and pd.notna(received_at):
        modified = pd.Timestamp(received_at)
        modified = modified.tz_localize(timezone) if modified.tzinfo is None else modified
        modified = modified.tz_convert("UTC")
    return {"name": name, "claimed_id": claimed_id, "is_symlink": exists and path.is_symlink(),
            "outside": outside, "exists": exists, "size": stat.st_size if stat else 0,
            "modified": modified}
