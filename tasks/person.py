"""Everything the programme holds about one applicant, as they may ask for it (the right of
access, GDPR article 15): the application as published, every row of theirs that did not count,
the reviews with their comments, the scores, the statuses over time, HR's decisions, the letters
sent to them and their video files."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from sqlalchemy import Table, select

from scoring.config import ProgramConfig
from scoring.record import FIELDS
from scoring.shortlist import VIDEO
from tasks.decisions import read_decisions
from tasks.render import labels, render
from tasks.scorecard import read_review_sheets
from tasks.store import connected, email_log, published, status_history, submissions, uploads
from tasks.workspace import Workspace, write_atomically


def plain(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: missing values as None, times and dates as text."""
    shown = frame.astype(object).where(frame.notna(), None)
    return [{str(key): value if value is None or isinstance(value, int | float | str | bool)
             else str(value) for key, value in row.items()}
            for row in shown.to_dict("records")]


def rows_of(ws: Workspace, table: Table, applicant_id: str, column: str = "applicant_id",
            order: str | None = None) -> pd.DataFrame:
    query = select(table).where(table.c[column] == applicant_id)
    if order:
        query = query.order_by(table.c[order])
    with connected(ws) as conn:
        return pd.read_sql(query, conn)


def person_record(ws: Workspace, config: ProgramConfig, applicant_id: str) -> dict | None:
    """All the programme holds about `applicant_id`, or None when it holds nothing."""
    table, quarantined = published(ws)
    theirs = quarantined[quarantined["applicant_id"] == applicant_id]
    if applicant_id not in table.index and theirs.empty:
        return None
    known = pd.Index([applicant_id])
    record = (table.loc[[applicant_id]].reset_index() if applicant_id in table.index
              else pd.DataFrame(columns=["applicant_id"]))
    person = record.set_index("applicant_id").reindex(known)
    reviews = read_review_sheets(ws, "intake", config, person)
    video_reviews = read_review_sheets(ws, "videos", config, person)
    decisions = read_decisions.fn(ws, config, known)
    ledger = rows_of(ws, email_log, applicant_id, "recipient_id", "sent_at")
    return {
        "applicant_id": applicant_id,
        "record": plain(record.reindex(columns=[f for f in FIELDS if f in record]))[:1],
        "not_counted": plain(theirs.drop(columns=["id"], errors="ignore")),
        "reviews": plain(reviews[reviews["applicant_id"] == applicant_id]
                         .drop(columns=["replaced"])),
        "video_reviews": plain(video_reviews[video_reviews["applicant_id"] == applicant_id]
                               .drop(columns=["replaced"])),
        "history": plain(rows_of(ws, status_history, applicant_id, order="id")
                         .drop(columns=["id"])),
        "decisions": plain(decisions[decisions["applicant_id"] == applicant_id]
                           .drop(columns=["replaced", "sheet_order"])),
        "letters": plain(ledger.drop(columns=["key", "content_hash"])),
        "letter_files": sorted(p.name for p in ws.folder("outbox").glob(f"*-{applicant_id}-*")),
        "videos": plain(rows_of(ws, submissions, applicant_id)),
        "uploads": plain(rows_of(ws, uploads, applicant_id)),
    }


SECTIONS = ("not_counted", "reviews", "video_reviews", "history", "decisions", "letters",
            "videos", "uploads")


def write_person_page(ws: Workspace, config: ProgramConfig, held: dict) -> str:
    """The record as a page HR can hand over, in the programme's language; returns its path
    within the workspace."""
    locale = config.program.locale
    t = labels(locale)
    names = {**t["columns"], **{c.key: c.label for c in (*config.scorecard.criteria, *VIDEO)}}
    page = render("person.html", locale=locale, t=t, p=t["person"], names=names, held=held,
                  sections=SECTIONS, program_name=config.program.name)
    safe = re.sub(r"[^\w.-]", "_", held["applicant_id"])
    path = ws.folder("reports") / "people" / f"{safe}.html"
    write_atomically(path, page.encode())
    return ws.relative(path)
