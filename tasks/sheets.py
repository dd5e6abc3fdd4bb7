"""Reading CSV and XLSX sheets as exported by forms and spreadsheets, with clear refusals."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from scoring.applications import header_map
from scoring.errors import StageStopped
from tasks.workspace import Workspace, file_digest

SHEET_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")
DELIMITERS = (",", ";", "\t")


def sheet_files(folder: Path) -> list[Path]:
    """Sheets in a folder, oldest first (then by name), so that newer sheets override older."""
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir()
             if p.is_file() and not p.name.startswith((".", "~$"))
             and p.suffix.lower() in SHEET_SUFFIXES]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))


def input_digests(ws: Workspace, *inboxes: str) -> dict[str, str]:
    """Content hash of every sheet the stage reads, recorded with its run."""
    return {ws.relative(p): file_digest(p) for name in inboxes
            for p in sheet_files(ws.inbox(name))}


def read_sheet(path: Path, shown: str) -> pd.DataFrame:
    """All cells of the first sheet as read (text for CSV, typed cells for XLSX) under the
    sheet's own headers, plus `source_row`: the row number a person sees in a spreadsheet."""
    data = path.read_bytes()
    if not data.strip():
        raise StageStopped(f"{shown} is empty; export it again or remove it")
    frame = read_xlsx(data, shown) if path.suffix.lower() == ".xlsx" else read_csv(data, shown)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame["source_row"] = range(2, len(frame) + 2)
    cells = frame.drop(columns="source_row")
    blank = cells.isna() | cells.astype("string").apply(lambda c: c.str.strip() == "")
    return frame[~blank.all(axis=1)]


def read_csv(data: bytes, shown: str) -> pd.DataFrame:
    if b"\x00" in data[:8192] or data[:4] == b"PK\x03\x04":
        raise StageStopped(f"{shown} is not a CSV file (it holds binary data; an Excel workbook "
                           "must be named .xlsx)")
    text = decode(data, shown)
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    try:
        return pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                           skip_blank_lines=False, engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise StageStopped(f"{shown} cannot be read as CSV: {str(exc).strip()}") from None


def decode(data: bytes, shown: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, the two encodings form exports use."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding).replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue
    raise StageStopped(f"{shown} is neither UTF-8 nor Windows-1252 text; export it as UTF-8 CSV")


def read_xlsx(data: bytes, shown: str) -> pd.DataFrame:
    try:
        return pd.read_excel(io.BytesIO(data), sheet_name=0, dtype=object, engine="openpyxl")
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        raise StageStopped(f"{shown} cannot be opened as an Excel workbook ({exc})") from None


def read_contract_sheet(path: Path, shown: str, fields: dict[str, tuple[str, ...]],
                        required: list[str]) -> pd.DataFrame:
    """One sheet under contract field names, refusing it when a required column is missing or
    it has no rows. Columns the contract does not know are left out."""
    frame = read_sheet(path, shown)
    mapping = header_map([c for c in frame.columns if c != "source_row"], fields)
    missing = [f for f in required if f not in mapping.values()]
    if missing:
        names = ", ".join(f"'{f}' ({' / '.join(fields[f])})" for f in missing)
        found = ", ".join(repr(c) for c in frame.columns if c != "source_row")
        raise StageStopped(f"{shown}: required column {names} is missing; the header row has "
                           f"{found or 'no columns'}")
    if frame.empty:
        raise StageStopped(f"{shown} has a header row but no rows; export it again or remove it")
    out = frame[[*mapping, "source_row"]].rename(columns=mapping)
    out.insert(0, "source_file", shown)
    return out
