"""Reading a returned ranking sheet, whichever language its headers are in."""

import openpyxl
import pytest

from tasks.rankings import read_ranking_workbook


@pytest.mark.parametrize("headers", [
    ("applicant_id", "name", "unit", "position", "rank", "note"),  # sheets sent before 0003
    ("Ansattnummer", "Navn", "Enhet", "Stilling", "Rangering", "Merknad"),
    ("Employee number", "Name", "Unit", "Position", "Rank", "Note"),
], ids=["contract", "nb", "en"])
def test_a_returned_sheet_is_read_under_its_own_headers_with_its_token(tmp_path, headers):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Skriv 1, 2, 3 …"])
    sheet.append(list(headers))
    sheet.append(["A1", "Åse", "Kripos", "rådgiver", 1, None])
    sheet.append(["A2", "Ola", "Kripos", "rådgiver", None, None])
    check = book.create_sheet("Kontroll")
    check.append(["Ikke endre dette arket."])
    check.append(["token", "L1:abc:xyz"])
    book.save(tmp_path / "sheet.xlsx")
    rows, token = read_ranking_workbook(tmp_path / "sheet.xlsx")
    assert list(rows["applicant_id"]) == ["A1", "A2"]
    assert rows["rank"].iloc[0] == 1 and rows["rank"].isna().iloc[1]
    assert token == "L1:abc:xyz"
