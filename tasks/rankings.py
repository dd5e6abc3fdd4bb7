"""Reading the ranking sheets leaders send back, and checking each one on its own."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

from scoring.applications import header_map
from scoring.config import ProgramConfig
from scoring.rankings import check_ranks, describe_ranks, newest_sheets, sign, verify
from scoring.reasons import live
from tasks import task
from tasks.packets import RANKING_HEADERS, ranking_sheet, sheet_rule
from tasks.render import labels
from tasks.sheets import sheet_files, token_in
from tasks.store import ranking_sheets, read_table
from tasks.workspace import Workspace, file_digest, write_atomically

HEADER_ROWS = 5  # instructions may stand above the header row
PORTAL = "web"  # in the name of a sheet filed for a ranking given on the portal


def read_ranking_workbook(path: Path) -> tuple[pd.DataFrame, object]:
    """The rows under the header row that names the id and rank columns (in either language,
    or as the contract's `applicant_id` and `rank`), and the token cell."""
    book = openpyxl.load_workbook(path, data_only=True)
    token = token_in(book)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    for number, row in enumerate(rows[:HEADER_ROWS]):
        headers = [str(cell) if cell is not None else "" for cell in row]
        mapping = header_map(headers, RANKING_HEADERS)
        if set(mapping.values()) == set(RANKING_HEADERS):
            frame = pd.DataFrame(rows[number + 1:], columns=headers)
            frame = frame[list(mapping)].rename(columns=mapping)
            frame["applicant_id"] = frame["applicant_id"].astype("string").str.strip()
            return frame[frame["applicant_id"].notna()], token
    raise ValueError("no header row with the columns applicant_id and rank")


@task
def read_rankings(ws: Workspace, secret: bytes, shortlist: str, pairs_allowed: pd.DataFrame,
                  config: ProgramConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(ranks of the sheets that count: leader_id, applicant_id, rank; every sheet: file,
    leader_id, reasons, the problems of its ranks for the letter back, its content hash, and
    where it came from for the quarantine). A leader's newer valid sheet replaces the older.
    `pairs_allowed` is leader x shortlisted candidate."""
    leaders, shortlisted = set(pairs_allowed.index), set(pairs_allowed.columns)
    available = {leader: set(row.index[row]) for leader, row in pairs_allowed.iterrows()}
    sheets, ranks = [], []
    words = labels(config.program.locale)
    for path in sheet_files(ws.inbox("rankings")):
        sheet: dict[str, Any] = {"file": ws.relative(path), "leader_id": None, "problems": [],
                 "digest": file_digest(path)}
        try:
            rows, token = read_ranking_workbook(path)
        except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
            sheets.append({**sheet, "reasons": words["reason_texts"]["sheet_unreadable"].format(
                error=exc)})
            continue
        leader_id, problem = verify(secret, token, shortlist, leaders, words["reason_texts"])
        if leader_id is None:
            sheets.append({**sheet, "reasons": problem})
            continue
        ranked, problems = check_ranks(rows, available[leader_id], shortlisted,
                                       config.matching.min_ranked)
        sheets.append({**sheet, "leader_id": leader_id, "problems": problems,
                       "reasons": describe_ranks(problems, words["rank_problems"])})
        if not problems:
            ranks.append(ranked.assign(leader_id=leader_id, file=sheet["file"]))
    columns = ["leader_id", "applicant_id", "rank", "file"]
    return newest_sheets(pd.DataFrame(sheets, columns=["file", "leader_id", "reasons",
                                                       "problems", "digest"]),
                         pd.concat(ranks, ignore_index=True) if ranks
                         else pd.DataFrame(columns=columns))


def file_ranking(ws: Workspace, config: ProgramConfig, leader_id: str, candidates: list[dict],
                 shortlist: str, secret: bytes, ranks: dict[str, int]) -> Path:
    """A ranking given on the portal, filed in the rankings inbox as the sheet the leader
    could have sent back: `match` reads it by the same rules, and the newest sheet counts."""
    t = labels(config.program.locale)
    received = dt.datetime.now(dt.UTC)
    path = ws.inbox("rankings") / (f"{t['sheet']['file']}-{leader_id}-{PORTAL}-"
                                   f"{received:%Y%m%dT%H%M%S%fZ}.xlsx")
    write_atomically(path, ranking_sheet(candidates, sign(secret, leader_id, shortlist), t,
                                         sheet_rule(config), ranks))
    return path


def filed_ranking(ws: Workspace, leader_id: str) -> tuple[dict[str, int], dt.datetime] | None:
    """The leader's newest ranking given on the portal, and when it came."""
    filed = [path for path in sheet_files(ws.inbox("rankings"))
             if f"-{leader_id}-{PORTAL}-" in path.name]
    if not filed:
        return None
    rows, _ = read_ranking_workbook(filed[-1])
    ranked = rows.dropna(subset=["rank"])
    received = dt.datetime.fromtimestamp(filed[-1].stat().st_mtime, dt.UTC)
    return dict(zip(ranked["applicant_id"], ranked["rank"].astype(int), strict=True)), received


def awaited_rankings(ws: Workspace, config: ProgramConfig) -> list[str]:
    """The leaders no ranking sheet counts for yet."""
    counted = set(live(read_table(ws, ranking_sheets))["leader_id"])
    return sorted({leader.id for leader in config.leaders} - counted)
