"""What arrives through the portal: videos streamed to disk under the size limit, filed with the
time the server received them and listed for the videos stage beside the videos inbox; and the
sheets HR uploads into an inbox."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from python_multipart import MultipartParser
from python_multipart.multipart import parse_options_header
from sqlalchemy import insert, select

from scoring.errors import StageStopped
from tasks.rankings import read_ranking_workbook
from tasks.sheets import SHEET_SUFFIXES, read_sheets
from tasks.store import connected, uploads
from tasks.workspace import Workspace, partial_path, write_atomically

FOLDER = "uploads"  # in workspace.FOLDERS


class UploadRefused(Exception):
    """The upload is not a video we can keep: `code` is `too_large` or `empty`."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Upload:
    file: str  # relative to the workspace
    digest: str
    received_at: dt.datetime


async def receive_video(ws: Workspace, applicant_id: str, content_type: str,
                        body: AsyncIterator[bytes], max_bytes: int) -> Upload:
    """Stream a form's file to `uploads/`, refusing it as soon as it passes `max_bytes`; the
    name the sender's device gave it is never used. Then file it for the videos stage."""
    received_at = dt.datetime.now(dt.UTC)
    target = ws.folder(FOLDER) / f"{applicant_id}-{received_at:%Y%m%dT%H%M%S%fZ}"
    partial = partial_path(target)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256()
    size = 0
    in_file = False
    disposition = b""

    with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        def header_value(data: bytes, start: int, end: int) -> None:
            nonlocal disposition
            disposition += data[start:end]

        def headers_finished() -> None:
            nonlocal in_file, disposition
            in_file = b"filename=" in disposition.lower()
            disposition = b""

        def part_data(data: bytes, start: int, end: int) -> None:
            nonlocal size
            if not in_file:
                return
            size += end - start
            if size > max_bytes:
                raise UploadRefused("too_large")
            out.write(data[start:end])
            digest.update(data[start:end])

        _, options = parse_options_header(content_type)
        parser = MultipartParser(options.get(b"boundary", b"-"), {
            "on_header_value": header_value, "on_headers_finished": headers_finished,
            "on_part_data": part_data})
        try:
            async for chunk in body:
                parser.write(chunk)
            parser.finalize()
            if size == 0:
                raise UploadRefused("empty")
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    partial.replace(target)
    upload = Upload(ws.relative(target), digest.hexdigest(), received_at)
    with connected(ws, write=True) as conn:
        conn.execute(insert(uploads).values(file=upload.file, applicant_id=applicant_id,
                                            received_at=received_at, size=size,
                                            content_hash=upload.digest))
    return upload


def latest_upload(ws: Workspace, applicant_id: str) -> Upload | None:
    """The applicant's newest upload still on disk: the one that counts."""
    query = (select(uploads.c.file, uploads.c.content_hash, uploads.c.received_at)
             .where(uploads.c.applicant_id == applicant_id)
             .order_by(uploads.c.received_at.desc()))
    with connected(ws) as conn:
        for file, digest, received_at in conn.execute(query):
            if (ws.root / file).is_file():
                return Upload(file, digest, pd.Timestamp(received_at, tz="UTC")
                              if received_at.tzinfo is None else received_at)
    return None


def uploaded_videos(ws: Workspace) -> pd.DataFrame:
    """Every upload as an inbox entry (see scoring.submissions.match_submissions): its arrival
    is the time the server received it."""
    with connected(ws) as conn:
        listed = pd.read_sql(select(uploads), conn)
    paths = [ws.root / file for file in listed["file"]]
    return pd.DataFrame({
        "file": listed["file"], "claimed_id": listed["applicant_id"], "is_symlink": False,
        "outside": False, "exists": [path.is_file() for path in paths], "size": listed["size"],
        "modified": pd.to_datetime(listed["received_at"], utc=True), "by_file_time": False})


class InboxRefused(Exception):
    """A file HR uploaded is not one the stages can read; the message says why."""


SAFE_NAME = re.compile(r"[^\w .()-]")


def file_into_inbox(ws: Workspace, inbox: str, sent_as: str, data: bytes) -> str:
    """Put a sheet HR uploaded into an inbox, whole, once it reads as the stages will read it;
    else leave nothing and say why. Only the last part of the sent name is kept, made safe."""
    name = SAFE_NAME.sub("_", Path(sent_as).name).strip(" .")
    allowed = (".xlsx",) if inbox == "rankings" else SHEET_SUFFIXES
    if Path(name).suffix.lower() not in allowed:
        raise InboxRefused(f"only {', '.join(allowed)} files go into this inbox")
    target = ws.inbox(inbox) / name
    partial = partial_path(target)
    write_atomically(partial, data)
    try:
        if inbox == "rankings":
            read_ranking_workbook(partial)
        else:
            read_sheets(partial, name)
    except (StageStopped, ValueError, KeyError, OSError, zipfile.BadZipFile) as problem:
        partial.unlink(missing_ok=True)
        raise InboxRefused(str(problem)) from None
    partial.replace(target)
    return name
