"""Shortlist packets for leaders: a folder with HTML, videos and ranking sheet, and its zip."""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from prefect.logging import get_run_logger
from sqlalchemy import select

from scoring.config import Leader, ProgramConfig
from scoring.packets import cards
from scoring.rankings import sign
from scoring.record import SHORTLISTED, Status
from tasks import task
from tasks.calendar import long_date, still_ahead, today_in
from tasks.decisions import staying
from tasks.render import labels, render
from tasks.sheets import add_token_sheet
from tasks.shortlist import current_shortlist
from tasks.store import connected, published, video_results
from tasks.workspace import Workspace, write_atomically

SHEET_COLUMNS = ("applicant_id", "name", "unit", "position", "rank", "note")
# The headers a returned sheet may name its id and rank columns by: the contract's, or the
# words of either language's sheet.
RANKING_HEADERS = {field: (field, *(labels(locale)["sheet"]["columns"][field].lower()
                                    for locale in ("nb", "en")))
                   for field in ("applicant_id", "rank")}


@dataclass(frozen=True)
class Packet:
    leader: Leader
    folder: Path
    sheet: Path
    archive: Path
    available: int
    unavailable: int
    sheet_identity: str  # the token and the candidates: the same sheet whenever it is rebuilt


def sheet_rule(config: ProgramConfig) -> dict[str, int]:
    """The figures of the rule a ranking must meet, as the sheet and the pages state it."""
    return {"min_ranked": config.matching.min_ranked,
            "per_leader": config.matching.mentors_per_leader}


def ranking_sheet(candidates: list[dict], token: str, t: dict, rule: dict[str, int],
                  given: Mapping[str, int] | None = None) -> bytes:
    """XLSX in the programme's language: the rule on top, one row per candidate (those the
    leader can choose first, each with a rank cell that refuses anything but a whole number
    used once; filled in from `given` for a ranking given on the portal), and the token on a
    sheet of its own."""
    words = t["sheet"]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = words["title"]
    sheet.append([words["help"].format(**rule)])
    sheet.merge_cells("A1:F1")
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[1].height = 60
    sheet.append([words["columns"][column] for column in SHEET_COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    grey = PatternFill("solid", fgColor="DDDDDD")
    for row, card in enumerate(candidates, start=3):
        note = "" if card["available"] else words["not_available"]
        sheet.append([card["applicant_id"], card["name"], card["unit"], card["position"],
                      (given or {}).get(card["applicant_id"]), note])
        if not card["available"]:
            for cell in sheet[row]:
                cell.fill = grey
    choosable = sum(card["available"] for card in candidates)
    if choosable:
        last = 2 + choosable
        ranks = DataValidation(
            type="custom", allow_blank=True, showErrorMessage=True,
            formula1=f"AND(ISNUMBER(E3),E3=INT(E3),E3>=1,E3<={choosable},"
                     f"COUNTIF($E$3:$E${last},E3)=1)",
            errorTitle=words["rank_error_title"], error=words["rank_error"].format(
                count=choosable))
        sheet.add_data_validation(ranks)
        ranks.add(f"E3:E{last}")
    for column, width in zip("ABCDEF", (16, 28, 26, 22, 11, 36), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    add_token_sheet(book, words["token_sheet"], words["token_help"], token)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def link_or_copy(source: Path, target: Path) -> None:
    """Packets share the normalised videos: a hard link costs no space; a copy where it fails."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def zip_folder(folder: Path, archive: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for path in sorted(folder.rglob("*")):
            if path.is_file():  # videos are compressed already: stored, not deflated
                method = zipfile.ZIP_STORED if path.suffix == ".mp4" else zipfile.ZIP_DEFLATED
                bundle.write(path, path.relative_to(folder.parent), compress_type=method)
    write_atomically(archive, buffer.getvalue())


@task
def build_packets(ws: Workspace, config: ProgramConfig, shortlist: pd.DataFrame,
                  shortlist_id: str, secret: bytes) -> list[Packet]:
    """One packet per leader, built beside the old one and swapped in when complete."""
    locale = config.program.locale
    t = labels(locale)
    deadline = config.packets.reply_deadline
    reply_by = (long_date(still_ahead(deadline, "[packets] reply_deadline", today_in(config)),
                          locale) if deadline else None)
    packets = []
    for leader in config.leaders:
        candidates = cards(shortlist, leader, config.matching.conflict)
        final = ws.folder("packets") / leader.id
        folder = final.with_name(f".{leader.id}.partial")
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "media").mkdir(parents=True, mode=0o700)
        for card in candidates:
            for key in ("media", "poster"):
                source = ws.root / card[key]
                link_or_copy(source, folder / "media" / source.name)
                card[key] = f"media/{source.name}"
        sheet_name = f"{t['sheet']['file']}-{leader.id}.xlsx"
        token = sign(secret, leader.id, shortlist_id)
        rule = sheet_rule(config)
        write_atomically(folder / sheet_name, ranking_sheet(candidates, token, t, rule))
        html = render("packet.html", locale=locale, t=t, program_name=config.program.name,
                      leader_id=leader.id, leader_name=leader.name, cards=candidates,
                      sheet=sheet_name, reply_deadline=reply_by,
                      rule=t["packet"]["rule"].format(**rule))
        write_atomically(folder / "index.html", html.encode())
        if final.exists():
            old = final.with_name(f".{leader.id}.old")
            final.replace(old)
            folder.replace(final)
            shutil.rmtree(old)
        else:
            folder.replace(final)
        archive = ws.folder("packets") / f"{leader.id}.zip"
        zip_folder(final, archive)
        available = sum(card["available"] for card in candidates)
        identity = json.dumps([token, [(c["applicant_id"], c["available"]) for c in candidates]])
        packets.append(Packet(leader, final, final / sheet_name, archive, available,
                              len(candidates) - available, identity))
    get_run_logger().info("built %d packets of %d candidates", len(packets), len(shortlist))
    return packets


@dataclass(frozen=True)
class LeaderPacket:
    """What a leader's page shows: the shortlist as their packet has it."""
    leader: Leader
    cards: list[dict]
    shortlist: str


def shortlisted_media(ws: Workspace) -> set[str]:
    """The names under `media/` of the shortlisted candidates' videos and posters: all a
    leader's page shows. Read on its own, as 20 leaders starting their videos at once must
    not each wait for the whole published state."""
    query = select(video_results.c.media, video_results.c.poster).where(
        video_results.c.status == Status.SHORTLISTED)
    with connected(ws) as conn:
        return {Path(name).name for row in conn.execute(query) for name in row if name}


def leader_packet(ws: Workspace, config: ProgramConfig, leader_id: str) -> LeaderPacket | None:
    """The leader's packet from the published shortlist; None for a leader not in the
    programme (or who has left it), or before there is a shortlist."""
    leader = next((leader for leader in staying(ws, config).leaders if leader.id == leader_id),
                  None)
    table, _ = published(ws)
    if leader is None or not table["status"].isin(SHORTLISTED).any():
        return None
    chosen, made_for = current_shortlist.fn(ws, table)
    return LeaderPacket(leader, cards(chosen, leader, config.matching.conflict), made_for)
