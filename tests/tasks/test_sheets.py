"""Real files in the encodings, delimiters and shapes that form exports come in."""

import re

import openpyxl
import pandas as pd
import pytest

from scoring.errors import StageStopped
from scoring.record import HEADERS, REQUIRED
from tasks.sheets import read_contract_sheet

HEADER = "Ansattnummer;Navn;E-post;Fødselsdato;Enhet;Kategori;Samtykke"
ROW = "P1;Åse Ødegård;ase@example.no;17.05.1995;Økokrim;sivil;ja"


def read(path):
    return read_contract_sheet(path, path.name, HEADERS, list(REQUIRED)).rows


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8", ";"), ("utf-8-sig", ";"), ("cp1252", ";"), ("utf-8", ","), ("cp1252", "\t")])
def test_csv_in_any_accepted_encoding_and_delimiter_reads_the_same(tmp_path, encoding, delimiter):
    path = tmp_path / "export.csv"
    text = f"{HEADER}\n{ROW}\n".replace(";", delimiter)
    path.write_bytes(text.encode(encoding))
    frame = read(path)
    assert frame.loc[0, "name"] == "Åse Ødegård"
    assert frame.loc[0, "unit"] == "Økokrim"
    assert frame.loc[0, "source_row"] == 2


def test_xlsx_under_a_title_block_keeps_the_row_numbers_excel_shows(tmp_path):
    path = tmp_path / "export.xlsx"
    book = openpyxl.Workbook()
    for row in (["Søknader til omvendt mentoring"], [], HEADER.split(";"), ROW.split(";")):
        book.active.append(row)
    book.save(path)
    frame = read(path)
    assert frame.loc[0, "name"] == "Åse Ødegård"
    assert frame.loc[0, "source_row"] == 4


def test_xlsx_with_english_headers_and_date_cells(tmp_path):
    path = tmp_path / "export.xlsx"
    pd.DataFrame({"Applicant_ID": ["P1"], "Name": ["Ola"], "Email": ["o@x.no"],
                  "Birth_date": [pd.Timestamp("1995-05-17")], "Unit": ["Kripos"],
                  "Staff_category": ["civilian"], "Consent": ["yes"]}).to_excel(path, index=False)
    frame = read(path)
    assert frame.loc[0, "birth_date"] == pd.Timestamp("1995-05-17")


def test_row_numbers_match_the_spreadsheet_even_after_blank_lines(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(f"{HEADER}\n{ROW}\n;;;;;;\n ;\t;;  ;;;\n{ROW.replace('P1', 'P2')}\n",
                    encoding="utf-8")
    assert list(read(path)["source_row"]) == [2, 5]  # a row of only spaces is blank too


@pytest.mark.parametrize(("content", "message"), [
    (b"", "is empty"),
    (f"{HEADER}\n".encode(), "has a header row but no rows"),
    (b"PK\x03\x04\x00\x00binary", "is not a CSV file"),
    (b"\x00\x01\x02\x03", "is not a CSV file"),
    ("Ansattnummer;Navn;Enhet;Kategori;Samtykke;Fødselsdato\nP1;Ola;K;sivil;ja;1.1.1990\n"
     .encode(),
     "required column 'email' (email / e-mail / e-post / epost / email address / "
     "e-postadresse) is missing"),
])
def test_unreadable_files_stop_with_a_message_naming_the_file(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(StageStopped, match=re.escape(message)) as stopped:
        read(path)
    assert "bad.csv" in str(stopped.value)


def test_a_broken_workbook_is_refused_clearly(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(StageStopped, match=r"bad\.xlsx cannot be opened as an Excel workbook"):
        read(path)
