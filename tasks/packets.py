"""Shortlist packets for leaders: a folder with HTML, videos and ranking sheet, and its zip."""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from prefect.logging import get_run_logger

from scoring.config import Leader, ProgramConfig
from scoring.packets import cards
from scoring.rankings import sign
from tasks import task
from tasks.render import labels, render
from tasks.workspace import Workspace, write_atomically

SHEET_COLUMNS = ("applicant_id", "name", "unit", "position", "rank", "note")
TOKEN_LABEL = "token"


@dataclass(frozen=True)
class Packet:
    leader: Leader
    folder: Path
    sheet: Path
    archive: Path
    available: int
    unavailable: int
    sheet_identity: str  # the token and the candidates: the same sheet whenever it is rebuilt


def ranking_sheet(candidates: list[dict], token: str, t: dict) -> bytes:
    """XLSX: one row per candidate with a drop-down rank; the token on the instructions sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = t["sheet"]["title"]
    sheet.append([t["sheet"]["help"]])
    sheet.append(list(SHEET_COLUMNS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    choices = DataValidation(type="list", allow_blank=True,
                             formula1='"' + ",".join(str(n) for n in range(1, len(candidates) + 1))
                             + '"')
    sheet.add_data_validation(choices)
    grey = PatternFill("solid", fgColor="DDDDDD")
    for row, card in enumerate(candidates, start=3):
        note = "" if card["available"] else t["sheet"]["not_available"]
        sheet.append([card["applicant_id"], card["name"], card["unit"], card["position"], None,
                      note])
        if card["available"]:
            choices.add(f"E{row}")
        else:
            for cell in sheet[row]:
                cell.fill = grey
    for column, width in zip("ABCDEF", (14, 28, 26, 22, 8, 36), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    notes = book.create_sheet(t["sheet"]["instructions"])
    notes.append([t["sheet"]["help"]])
    notes.append([TOKEN_LABEL, token])
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
        write_atomically(folder / sheet_name, ranking_sheet(candidates, token, t))
        html = render("packet.html", locale=locale, t=t, program_name=config.program.name,
                      leader_id=leader.id, leader_name=leader.name, cards=candidates,
                      sheet=sheet_name, reply_deadline=config.packets.reply_deadline)
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
