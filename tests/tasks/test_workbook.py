"""The XLSX workbooks HR opens in Excel: every row, and text that stays text."""

import io

import openpyxl
import pandas as pd

from tasks import workbook


def sheets(data: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def test_a_cell_that_looks_like_a_formula_stays_text():
    frame = pd.DataFrame({"applicant_id": ["P1"], "reasons": ['=HYPERLINK("x")']})
    book = openpyxl.load_workbook(io.BytesIO(workbook.xlsx_bytes(frame, "applicants")))
    cell = book["applicants"]["B2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("x")', "s")  # "f" would be a formula


def test_rows_beyond_a_worksheet_go_on_in_the_next_with_the_header(monkeypatch):
    monkeypatch.setattr(workbook, "EXCEL_ROWS", 3)  # a header and two rows per worksheet
    frame = pd.DataFrame({"applicant_id": [f"P{i}" for i in range(5)], "score": range(5)})
    written = sheets(workbook.xlsx_bytes(frame, "applicants"))
    assert list(written) == ["applicants", "applicants 2", "applicants 3"]
    assert all(rows[0] == ("applicant_id", "score") for rows in written.values())
    assert [row[0] for rows in written.values() for row in rows[1:]] == [
        f"P{i}" for i in range(5)]


def test_a_worksheet_written_a_few_rows_at_a_time_reads_back_whole(monkeypatch):
    monkeypatch.setattr(workbook, "ROWS_AT_ONCE", 2)
    frame = pd.DataFrame({"applicant_id": [f"P{i}" for i in range(5)], "score": range(5)})
    assert sheets(workbook.xlsx_bytes(frame, "applicants"))["applicants"] == [
        ("applicant_id", "score"), *[(f"P{i}", i) for i in range(5)]]


def test_the_header_is_bold_frozen_and_filtered_and_the_columns_fit_their_values():
    frame = pd.DataFrame({"applicant_id": ["P1", "P2"], "name": ["Åse Ødegård", "Ola"],
                          "reasons": ["x" * 200, "kort"]})
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.xlsx_bytes(frame, "applicants")))[
        "applicants"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"
    widths = {c: sheet.column_dimensions[c].width for c in "ABC"}
    assert widths["A"] >= len("applicant_id") and widths["B"] >= len("Åse Ødegård")
    assert widths["C"] <= workbook.WIDEST + 3  # long reasons wrap rather than widen


def test_text_reads_back_as_written_and_numbers_as_numbers():
    frame = pd.DataFrame({"reasons": pd.array(["a & b <i>", None, " Ødegård "], dtype="string"),
                          "score": [72.5, None, 100.0],
                          "review_count": pd.array([3, None, 1], dtype="Int64")})
    rows = sheets(workbook.xlsx_bytes(frame, "applicants"))["applicants"]
    assert rows == [("reasons", "score", "review_count"), ("a & b <i>", 72.5, 3),
                    (None, None, None), (" Ødegård ", 100.0, 1)]
