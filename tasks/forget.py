"""Erasing one person mid-programme (consent withdrawn: GDPR article 17). Their rows leave every
inbox sheet, their videos and media are deleted, the store forgets them, and every letter,
report, packet and review sheet that names them is removed, to be written anew without them by
the next run. The receipt names nobody."""

from __future__ import annotations

import csv
import datetime as dt
import email
import email.policy
import getpass
import hashlib
import io
import json
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
from sqlalchemy import delete, select

from scoring.applications import header_map
from scoring.config import ProgramConfig
from scoring.decisions import HEADERS as DECISION_HEADERS
from scoring.errors import StageStopped
from scoring.record import HEADERS
from tasks.exports import write_exports
from tasks.locking import stage_lock
from tasks.packets import RANKING_HEADERS
from tasks.sheets import DECLARED, DELIMITERS, decode, sheet_files
from tasks.store import (
    applicants,
    connected,
    email_log,
    match_results,
    open_store,
    packets,
    published,
    quarantine,
    ranking_sheets,
    review_assignments,
    rewrite_store,
    status_history,
    submissions,
    upgrade_store,
    uploads,
    video_results,
)
from tasks.submissions import MANIFEST, MANIFEST_HEADERS
from tasks.workspace import Workspace, write_atomically

# Each inbox's sheets, by the headers that name the applicant's id in them.
ID_COLUMNS = {"applications": HEADERS["applicant_id"], "reviews": HEADERS["applicant_id"],
              "video_reviews": HEADERS["applicant_id"],
              "decisions": DECISION_HEADERS["applicant_id"],
              "rankings": RANKING_HEADERS["applicant_id"]}
# The folders whose files are written from what the programme holds: a file that names the
# person goes, and the stage that wrote it writes it again without them.
WRITTEN = ("outbox", "reports", "packets", "panel", "exports")
# The kinds of file there that can show a person (videos and posters are named by their
# content, and theirs are deleted as theirs).
SHOWING = {".html", ".eml", ".xlsx", ".zip", ".csv", ".json", ".txt"}
# The store's tables that hold rows about one applicant, by the column that names them.
THEIRS = ((applicants, "applicant_id"), (video_results, "applicant_id"),
          (match_results, "applicant_id"), (submissions, "applicant_id"),
          (uploads, "applicant_id"), (quarantine, "applicant_id"),
          (status_history, "applicant_id"), (review_assignments, "applicant_id"),
          (email_log, "recipient_id"))
RECEIPTS = "forget-receipts"


def forget(ws: Workspace, config: ProgramConfig, applicant_id: str) -> dict:
    """Erase `applicant_id` under the programme's lock; return the receipt."""
    with open_store(ws), stage_lock(ws, "forget"):
        upgrade_store(ws)
        return forget_locked(ws, config, applicant_id)


def forget_locked(ws: Workspace, config: ProgramConfig, applicant_id: str) -> dict:
    table, quarantined = published(ws)
    theirs = quarantined[quarantined["applicant_id"] == applicant_id]
    found = table.loc[[applicant_id]] if applicant_id in table.index else theirs
    record = found.iloc[0] if len(found) else None
    removed: Counter[str] = Counter()
    for inbox, headers in ID_COLUMNS.items():
        for path in sheet_files(ws.inbox(inbox)):
            removed[f"inbox/{inbox} rows"] += drop_rows(path, headers, applicant_id)
    if record is None and not sum(removed.values()):
        raise StageStopped(f"the programme holds nothing about applicant id {applicant_id}; "
                           "nothing was removed")
    files = their_files(ws, applicant_id)
    for path in files:
        path.unlink()
        removed[f"{ws.relative(path.parent)} files"] += 1
    # A packet shows a candidate by name and by their video, whose file is named by its content.
    needles = [applicant_id, *traces(record, table), *(path.name for path in files
                                                       if path.parent == ws.folder("media"))]
    for folder in WRITTEN:
        for path in sorted(ws.folder(folder).rglob("*")):
            if path.suffix in SHOWING and path.is_file() and names_any(path, needles):
                path.unlink()
                removed[f"{folder} files"] += 1
    shown_to = [leader.id for leader in config.leaders
                if (ws.folder("packets") / leader.id).is_dir()
                and not (ws.folder("packets") / leader.id / "index.html").is_file()]
    for leader_id in shown_to:  # a packet that showed them is no packet without its page
        shutil.rmtree(ws.folder("packets") / leader_id, ignore_errors=True)
        (ws.folder("packets") / f"{leader_id}.zip").unlink(missing_ok=True)
    with connected(ws, write=True) as conn:
        for store_table, column in THEIRS:
            removed[f"store: {store_table.name}"] += conn.execute(
                delete(store_table).where(store_table.c[column] == applicant_id)).rowcount
        removed["store: ranking_sheets"] += conn.execute(delete(ranking_sheets).where(
            ranking_sheets.c.reasons.contains(applicant_id))).rowcount
        removed["store: packets"] += conn.execute(
            delete(packets).where(packets.c.leader_id.in_(shown_to))).rowcount
    rewrite_store(ws)
    now, left = published(ws)
    if len(now) or len(left):
        write_exports(ws, config, now, left)
    return write_receipt(ws, applicant_id, {k: v for k, v in removed.items() if v})


def traces(record: pd.Series | None, table: pd.DataFrame) -> list[str]:
    """What else shows the person on a page: their e-mail, and their name unless someone else
    in the programme has it too (then only their id and e-mail say it is them)."""
    if record is None:
        return []
    name, address = record.get("name"), record.get("email")
    shared = pd.notna(name) and int((table["name"] == name).sum()) > 1
    return [str(value) for value in (address, None if shared else name) if pd.notna(value)]


def drop_rows(path: Path, headers: tuple[str, ...], applicant_id: str) -> int:
    """Remove the person's rows from one sheet, keeping the rest as they were; how many."""
    if path.suffix.lower() == ".xlsx":
        return drop_xlsx_rows(path, headers, applicant_id)
    text = decode(path.read_bytes(), str(path))
    first, _, rest = text.partition("\n")
    declared = DECLARED.fullmatch(first.strip())
    body = rest if declared else text
    delimiter = declared.group(1) if declared else max(
        DELIMITERS, key=body.partition("\n")[0].count)
    rows = list(csv.reader(io.StringIO(body), delimiter=delimiter))
    column = id_column(rows[0] if rows else [], headers)
    if column is None:
        return 0
    kept = [rows[0], *(row for row in rows[1:]
                       if not (len(row) > column and same_id(row[column], applicant_id)))]
    if len(kept) == len(rows):
        return 0
    out = io.StringIO()
    if declared:
        out.write(first + "\n")
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(kept)
    write_atomically(path, out.getvalue().encode("utf-8-sig"))
    return len(rows) - len(kept)


def drop_xlsx_rows(path: Path, headers: tuple[str, ...], applicant_id: str) -> int:
    book = openpyxl.load_workbook(path)
    dropped = 0
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(max_row=10, values_only=True))
        found = next(((n, column) for n, row in enumerate(rows, start=1)
                      if (column := id_column([str(c or "") for c in row], headers)) is not None),
                     None)
        if found is None:
            continue
        header_row, column = found
        mine = [cell.row for cell in sheet.iter_cols(min_col=column + 1, max_col=column + 1,
                                                      min_row=header_row + 1).__next__()
                if cell.value is not None and same_id(str(cell.value), applicant_id)]
        for row in reversed(mine):
            sheet.delete_rows(row)
        dropped += len(mine)
    if dropped:
        buffer = io.BytesIO()
        book.save(buffer)
        write_atomically(path, buffer.getvalue())
    return dropped


def id_column(header: list[str], headers: tuple[str, ...]) -> int | None:
    mapping = header_map(header, {"applicant_id": headers})
    return header.index(next(iter(mapping))) if mapping else None


def same_id(cell: str, applicant_id: str) -> bool:
    """The cell names the applicant, also where a spreadsheet dropped leading zeros."""
    text = cell.strip()
    return text == applicant_id or (text.isdigit() and applicant_id.isdigit()
                                    and text.lstrip("0") == applicant_id.lstrip("0"))


def their_files(ws: Workspace, applicant_id: str) -> list[Path]:
    """Their videos as sent (the inbox's, by name or manifest, and the portal's uploads) and
    the normalised videos and posters made of them."""
    with connected(ws) as conn:
        names = [value for row in conn.execute(
            select(submissions.c.file, submissions.c.media, submissions.c.poster)
            .where(submissions.c.applicant_id == applicant_id)) for value in row if value]
        names += conn.execute(select(uploads.c.file).where(
            uploads.c.applicant_id == applicant_id)).scalars().all()
    inbox = ws.inbox("videos")
    named = [path for path in inbox.iterdir() if path.stem == applicant_id] \
        if inbox.is_dir() else []
    manifest = inbox / MANIFEST
    if manifest.is_file():
        rows = list(csv.DictReader(io.StringIO(decode(manifest.read_bytes(), str(manifest)))))
        files = header_map(list(rows[0]) if rows else [], MANIFEST_HEADERS)
        by = {field: column for column, field in files.items()}
        named += [inbox / row[by["file"]].strip() for row in rows
                  if "file" in by and "applicant_id" in by
                  and same_id(row[by["applicant_id"]], applicant_id)]
        drop_rows(manifest, MANIFEST_HEADERS["applicant_id"], applicant_id)
    paths = {*(ws.root / name for name in names), *named}
    return sorted(path for path in paths if path.is_file()
                  and path.resolve().is_relative_to(ws.root.resolve()))


def names_any(path: Path, needles: list[str]) -> bool:
    """Whether a file the programme wrote shows any of `needles`: in its text, in an e-mail's
    parts, or in the members of a workbook or zip."""
    data = path.read_bytes()
    if path.suffix == ".eml":
        message = email.message_from_bytes(data, policy=email.policy.default)
        parts = [payload for part in message.walk()
                 if isinstance(payload := part.get_payload(decode=True), bytes)]
        return any(contains(part, needles) for part in [data, *parts])
    return contains(data, needles)


def contains(data: bytes, needles: list[str]) -> bool:
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as bundle:
            return any(contains(bundle.read(name), needles) for name in bundle.namelist())
    text = data.decode("utf-8", errors="ignore")
    return any(needle in text for needle in needles)


def write_receipt(ws: Workspace, applicant_id: str, removed: dict[str, int]) -> dict:
    """What was removed, where; the person only as a digest HR can check an id against."""
    digest = hashlib.sha256(applicant_id.encode()).hexdigest()
    receipt = {"forgotten_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
               "forgotten_by": getpass.getuser(), "applicant_id_sha256": digest,
               "removed": removed,
               "next": "run the stages again: they write the reports, letters, packets and "
                       "review sheets that named the person anew, without them"}
    write_atomically(ws.root / RECEIPTS / f"{digest[:16]}.json",
                     json.dumps(receipt, indent=2).encode())
    return receipt
