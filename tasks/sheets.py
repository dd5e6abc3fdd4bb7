"""Reading CSV and XLSX sheets as exported by forms and spreadsheets, with clear refusals."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd

from scoring.applications import best_columns, header_map, passed_over, some_cell
from scoring.errors import StageStopped
from tasks.workspace import Workspace, file_digest

SHEET_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")
TOKEN_LABEL = "token"  # the first cell of the row that holds a sheet's signed token
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


def read_sheets(path: Path, shown: str, is_header: Callable[[list[str]], bool] = lambda row: True
                ) -> list[tuple[str, pd.DataFrame]]:
    """All cells as read (text for CSV, typed cells for XLSX) under the sheet's own headers,
    plus `source_row`: the row number a person sees in a spreadsheet; one part per sheet, with
    the name it is shown by. A CSV is one part, its header its first line. A workbook gives a
    part for every sheet with a row among its first that `is_header` accepts (a title block
    may sit above it), each shown as `file [sheet]` when there are several; with none, its
    first sheet under its first row."""
    data = path.read_bytes()
    if not data.strip():
        raise StageStopped(f"{shown} is empty; export it again or remove it")
    if path.suffix.lower() == ".xlsx":
        parts = read_xlsx(data, shown, is_header)
    else:
        parts = [(shown, *read_csv(data, shown))]
    return [(name, numbered(frame, first_row)) for name, frame, first_row in parts]


def numbered(frame: pd.DataFrame, first_row: int) -> pd.DataFrame:
    """The rows with their spreadsheet row numbers, blank rows left out."""
    frame.columns = [str(c).strip() for c in frame.columns]
    frame["source_row"] = range(first_row, len(frame) + first_row)
    return frame[~blank_rows(frame.drop(columns="source_row"))]


SPACES_ONLY = re.compile(r"\x00\s+\x00")  # a cell of only spaces, among cells set in NULs


def blank_rows(cells: pd.DataFrame) -> pd.Series:
    """Rows whose every cell is empty or only spaces. A column is stripped value by value only
    when it holds a cell of only spaces (`some_cell`)."""
    text = cells.astype("string")
    blank = text.isna() | (text == "")
    for name in text.columns:
        if some_cell(SPACES_ONLY, text[name]):
            blank[name] = text[name].str.strip().fillna("") == ""
    return blank.all(axis=1)


# Files that are surely not text, by their first bytes, and what they are.
SIGNATURES = {b"PK\x03\x04": "a workbook or another zip file (an Excel workbook must be named "
                              ".xlsx)",
              b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls); save it as .xlsx",
              b"%PDF": "a PDF document", b"\x89PNG": "a picture", b"\xff\xd8\xff": "a picture"}
GARBAGE_SHARE = 0.1  # of characters that no text has: more, and the file is binary
DECLARED = re.compile(r"sep=(.)")  # Excel's first line naming the delimiter


def read_csv(data: bytes, shown: str) -> tuple[pd.DataFrame, int]:
    """A delimited export's cells as text, and the spreadsheet row its first data row is on.
    The delimiter is the one a `sep=` first line names, else the header's most common one."""
    for signature, what in SIGNATURES.items():
        if data.startswith(signature):
            raise StageStopped(f"{shown} is not a CSV file: it is {what}")
    text = decode(data, shown)
    first_line, _, rest = text.partition("\n")
    declared = DECLARED.fullmatch(first_line.strip())
    if declared:
        text, first_line = rest, rest.partition("\n")[0]
    delimiter = declared.group(1) if declared else max(DELIMITERS, key=first_line.count)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise StageStopped(f"{shown} cannot be read as CSV: {str(exc).strip()}") from None
    return frame, 3 if declared else 2


def decode(data: bytes, shown: str) -> str:
    """UTF-16 with its byte order mark (Excel's "Unicode text"), UTF-8 (with or without BOM),
    else Windows-1252: the encodings exports come in.
    A file that is mostly not text is refused as binary."""
    encodings = ("utf-16",) if data.startswith((b"\xff\xfe", b"\xfe\xff")) else (
        "utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding).replace("\r\n", "\n")
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("utf-8", errors="replace")
        if not is_binary(text):
            raise StageStopped(f"{shown} is neither UTF-8 nor Windows-1252 text; export it as "
                               "UTF-8 CSV")
    if is_binary(text):
        raise StageStopped(f"{shown} is not a CSV file (it holds binary data; an Excel workbook "
                           "must be named .xlsx)")
    # pandas' parser ends a field at a NUL: it becomes another control character, which every
    # cell loses as it is read (and the report says where).
    return text.replace("\x00", "\x01")


def is_binary(text: str, sample: int = 65_536) -> bool:
    head = text[:sample]
    garbage = sum(ch == "\ufffd" or (ch < " " and ch not in "\t\n\r") for ch in head)
    return garbage > GARBAGE_SHARE * max(len(head), 1)


HEADER_ROWS = 10  # how far down a sheet its header row is looked for


def read_xlsx(data: bytes, shown: str, is_header: Callable[[list[str]], bool]
              ) -> list[tuple[str, pd.DataFrame, int]]:
    """Per sheet with a header row `is_header` finds: its name as shown, the cells under that
    row, and the spreadsheet row of the first."""
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object,
                               engine="openpyxl")
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        raise StageStopped(f"{shown} cannot be opened as an Excel workbook ({exc})") from None
    grids = [(name, grid) for name, grid in sheets.items() if not grid.empty] or [
        ("", pd.DataFrame([[]]))]
    found = [(name, grid, row) for name, grid in grids
             if (row := next((row for row in range(min(HEADER_ROWS, len(grid)))
                              if is_header([str(cell) for cell in grid.iloc[row]
                                             if pd.notna(cell)])), None)) is not None]
    found = found or [(*grids[0], 0)]
    return [(f"{shown} [{name}]" if len(found) > 1 else shown, under(grid, row), row + 2)
            for name, grid, row in found]


def under(grid: pd.DataFrame, row: int) -> pd.DataFrame:
    """The cells below a sheet's header `row`, named by it."""
    frame = grid.iloc[row + 1:].reset_index(drop=True)
    headers = [str(cell).strip() if pd.notna(cell) else f"column {n + 1}"
               for n, cell in enumerate(grid.iloc[row])]
    # A header given twice gets ".1", ".2" on its later columns, as pandas names them.
    frame.columns = [f"{name}.{headers[:n].count(name)}" if name in headers[:n] else name
                     for n, name in enumerate(headers)]
    return frame


@dataclass(frozen=True)
class Sheet:
    rows: pd.DataFrame  # under contract field names, with source_file and source_row
    unread: dict[str, list[str]]  # per field two columns could hold, the one(s) not read


def read_contract_sheet(path: Path, shown: str, fields: dict[str, tuple[str, ...]],
                        required: list[str]) -> Sheet:
    """A file's rows under contract field names, from each of its sheets that has the
    required columns, refusing it when none has them or they hold no rows. Columns the
    contract does not know are left out."""
    parts = read_sheets(path, shown, lambda row: set(required) <= set(header_map(row, fields)
                                                                    .values()))
    rows: list[pd.DataFrame] = []
    unread: dict[str, list[str]] = {}
    for name, frame in parts:
        cells = frame.drop(columns="source_row")
        mapping = best_columns(cells, fields)
        missing = [f for f in required if f not in mapping.values()]
        if missing:
            names = ", ".join(f"'{f}' ({' / '.join(fields[f])})" for f in missing)
            found = ", ".join(repr(c) for c in cells.columns)
            raise StageStopped(f"{name}: required column {names} is missing; the header row "
                               f"has {found or 'no columns'}")
        part = frame[[*mapping, "source_row"]].rename(columns=mapping)
        part.insert(0, "source_file", name)
        rows.append(part)
        unread |= passed_over(cells, mapping, fields)
    out = pd.concat(rows, ignore_index=True)
    if out.empty:
        raise StageStopped(f"{shown} has a header row but no rows; export it again or remove it")
    return Sheet(out, unread)


def inbox_rows(ws: Workspace, inbox: str, fields: dict[str, tuple[str, ...]],
               required: list[str]) -> pd.DataFrame:
    """Every row of an inbox's sheets under contract field names, with `sheet_order`: the
    sheet's place oldest first, so that a newer sheet's row can replace an older one's."""
    frames = [read_contract_sheet(p, ws.relative(p), fields, required).rows.assign(
        sheet_order=order) for order, p in enumerate(sheet_files(ws.inbox(inbox)))]
    columns = ["source_file", "source_row", "sheet_order", *fields]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def add_token_sheet(book: openpyxl.Workbook, title: str, note: str, token: str) -> None:
    """A sheet of its own for the signed token that says whom the workbook was made for."""
    check = book.create_sheet(title)
    check.append([note])
    check.append([TOKEN_LABEL, token])


def token_in(book: openpyxl.Workbook) -> object:
    """The token on the row `TOKEN_LABEL` starts, in any sheet; None when there is none."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            if row and len(row) > 1 and str(row[0]).strip().lower() == TOKEN_LABEL:
                return row[1]
    return None


def workbook_token(path: Path) -> object:
    """The token of an XLSX sheet in an inbox; None for a CSV, or a workbook without one."""
    if path.suffix.lower() != ".xlsx":
        return None
    try:
        return token_in(openpyxl.load_workbook(path, read_only=True, data_only=True))
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
