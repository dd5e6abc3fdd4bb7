"""An XLSX workbook of a frame, as HR opens it in Excel: written as SpreadsheetML a column at a
time, with numpy's C string functions, rather than a cell at a time in Python."""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

EXCEL_ROWS = 1_048_576  # rows a worksheet holds, its header included
WIDEST = 60  # characters; longer text (reasons) wraps in Excel rather than widening the column


def column_widths(frame: pd.DataFrame, sample: int = 10_000) -> list[int]:
    """Widths that fit the header and most values, judged from the first rows."""
    head = frame.head(sample)
    return [min(WIDEST, max(len(str(name)),
                            int(head[name].dropna().astype(str).str.len().quantile(0.95))
                            if head[name].notna().any() else 0) + 2)
            for name in frame.columns]


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Style 1: the header, bold on light blue over a thin line.
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/>'
    '</font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="3"><fill>'
    '<patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/></patternFill></fill>'
    '</fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/>'
    '</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" '
    'applyFont="1" applyFill="1" applyBorder="1"/></cellXfs><cellStyles count="1">'
    '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # no XML document holds these


# A cell is `<c r="B7` + how it goes on: its type and value, or nothing (a blank).
TEXT = ('" t="inlineStr"><is><t xml:space="preserve">', "</t></is></c>")  # text, kept as is
NUMBER = ('"><v>', "</v></c>")
BLANK = '"/>'


def escaped(texts: np.ndarray) -> np.ndarray:
    """Text as XML holds it: what no XML document may hold left out (reading removed it
    already), and XML's escapes made, in numpy's C string functions, only where needed."""
    whole = "".join(texts)
    if NOT_XML.search(whole):
        texts = np.array([NOT_XML.sub("", text) for text in texts], dtype=object)
    for character, escape_as in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        if character in whole:
            texts = np.strings.replace(texts.astype(np.dtypes.StringDType()), character,
                                       escape_as).astype(object)
    return texts


def sheet_rows(frame: pd.DataFrame, first: int) -> str:
    """The rows' XML, the first on spreadsheet row `first`, laid out as a grid of pieces (a
    row's start and number; per column the cell's reference, its row number, type, value and
    end; the row's end) and joined once, row after row. A text cell is written in itself, so
    whatever it starts with it stays text."""
    width = 5
    grid = np.empty((len(frame), width * len(frame.columns) + 4), dtype=object)
    numbers = np.arange(first, len(frame) + first).astype(str).astype(object)
    grid[:, 0], grid[:, 1], grid[:, 2], grid[:, -1] = '<row r="', numbers, '">', "</row>"
    for number, name in enumerate(frame.columns):
        column = frame[name]
        present = column.notna().to_numpy()
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            (start, end), values = NUMBER, np.array(
                [repr(v) if p else "" for v, p in zip(column.astype(object), present,
                                                         strict=True)], dtype=object)
        else:
            start, end = TEXT
            values = escaped(column.astype("string").fillna("").to_numpy(dtype=object))
        first = 3 + width * number
        grid[:, first] = f'<c r="{get_column_letter(number + 1)}'
        grid[:, first + 1] = numbers
        grid[:, first + 2:first + 5] = (BLANK, "", "")
        grid[present, first + 2] = start
        grid[:, first + 3] = values
        grid[present, first + 4] = end
    return "".join(grid.ravel().tolist())


ROWS_AT_ONCE = 50_000  # a worksheet's rows are made and written this many at a time


def worksheet_xml(frame: pd.DataFrame, widths: list[int]) -> list[bytes]:
    """One worksheet, in pieces of UTF-8: the header (style 1) frozen above a filter, the
    columns as wide as given, the rows `ROWS_AT_ONCE` at a time. Made whole, a worksheet of a
    million rows took 4 GB as text."""
    area = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    columns = "".join(f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
                      for n, width in enumerate(widths, start=1))
    start, end = TEXT
    header = "".join(f'<c r="{get_column_letter(n)}1" s="1{start}{escape(str(name))}{end}'
                     for n, name in enumerate(frame.columns, start=1))
    head = (f'{DECLARATION}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONS}">'
            f'<dimension ref="{area}"/><sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{columns}</cols>'
            f'<sheetData><row r="1">{header}</row>')
    rows = [sheet_rows(frame.iloc[at:at + ROWS_AT_ONCE], at + 2).encode("utf-8")
            for at in range(0, len(frame), ROWS_AT_ONCE)]
    tail = f'</sheetData><autoFilter ref="{area}"/></worksheet>'
    return [head.encode("utf-8"), *rows, tail.encode("utf-8")]


def xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    """A workbook of the frame under a bold, frozen header with a filter, in columns as wide as
    their values, written as SpreadsheetML a column at a time: xlsxwriter's Python per cell
    took 8 of the 35 seconds of step 1 on 100k applicants. Rows beyond a worksheet's limit
    go on in more worksheets ("applicants 2", ...), each with the header."""
    per_sheet = EXCEL_ROWS - 1
    widths = column_widths(frame)
    parts = [frame.iloc[start:start + per_sheet]
             for start in range(0, max(len(frame), 1), per_sheet)]
    names = [escape(sheet if n == 1 else f"{sheet} {n}") for n in range(1, len(parts) + 1)]
    sheets = "".join(f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>'
                     for n, name in enumerate(names, start=1))
    last = get_column_letter(len(frame.columns))
    in_formulas = ["'" + name.replace("'", "''") + "'" for name in names]
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"{quoted}!$A$1:${last}${len(part) + 1}</definedName>"
        for n, (quoted, part) in enumerate(zip(in_formulas, parts, strict=True)))
    relations = "".join(
        f'<Relationship Id="rId{n}" Type="{RELATIONS}/worksheet" '
        f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(parts) + 1))
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, len(parts) + 1))
    files = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"'
            f"/>{overrides}</Types>"),
        "_rels/.rels": (
            f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
            f'Type="{RELATIONS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONS}"><sheets>{sheets}'
                            f"</sheets><definedNames>{filters}</definedNames></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PACKAGE}">{relations}<Relationship Id="rId0" '
            f'Type="{RELATIONS}/styles" Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": STYLES,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, xml in files.items():
            book.writestr(name, (DECLARATION + xml).encode("utf-8"))
        for n, part in enumerate(parts, start=1):
            pieces = worksheet_xml(part, widths)
            large = sum(map(len, pieces)) > zipfile.ZIP64_LIMIT
            with book.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=large) as out:
                for piece in pieces:
                    out.write(piece)
    return buffer.getvalue()
