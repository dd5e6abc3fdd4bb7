"""A corpus of malformed application and review files, generated here. For every one: no
traceback, a clear message naming the file or a reason per row, and every row accounted for."""

import csv
import io
from dataclasses import dataclass, field

import openpyxl
import pandas as pd
import pytest

from factories import application_row, program
from scoring.errors import StageStopped
from tasks.applications import read_applications
from tasks.gates import gate_applications
from tasks.scorecard import read_reviews
from tasks.workspace import init_workspace

ENGLISH = list(application_row(0))
NORWEGIAN = ["Ansattnummer", "Navn", "E-post", "Fødselsdato", "Enhet", "Stilling", "Kategori",
             "Utdanning", "Kjønn", "Innvandrerbakgrunn", "Motivasjon", "Samtykke", "Innsendt"]


def gated(ws):
    """The applications in the inbox through gate 1, as step 1 reads them."""
    apps, _ = read_applications.fn(ws, program())
    return gate_applications.fn(apps, program(), ws.root / "gx")


def csv_bytes(rows: list[dict], headers=None, sep=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep)
    writer.writerow(headers or ENGLISH)
    for row in rows:
        writer.writerow([row.get(h, "") for h in ENGLISH])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list], sheets: int = 1, merge: str | None = None,
               cover: list[list] | None = None) -> bytes:
    """A workbook with `rows` on its first sheet, or on a second one after a `cover` sheet."""
    book = openpyxl.Workbook()
    if cover:
        for row in cover:
            book.active.append(row)
        book.active = book.create_sheet("Svar")
    for row in rows:
        book.active.append(row)
    for n in range(1, sheets):
        book.create_sheet(f"Ark{n}").append(["noe annet"])
    if merge:
        book.active.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rows(n: int = 5, **changes) -> list[dict]:
    """n good rows; `changes` maps a row number to the fields it gets instead."""
    return [application_row(i, **changes.get(f"r{i}", {})) for i in range(100, 100 + n)]


@dataclass
class Case:
    name: str
    data: bytes
    suffix: str = ".csv"
    stop: str | None = None  # the message the stage stops with, or None: rows go through
    reasons: dict[int, str] = field(default_factory=dict)  # row index -> part of its reason
    rows: int = 5  # data rows the file holds


CASES = [
    Case("empty", b"", stop="is empty"),
    Case("only spaces", b"   \n \n", stop="is empty"),
    Case("only the header", csv_bytes([]), stop="has a header row but no rows"),
    Case("binary junk", bytes(range(256)) * 4, stop="is not a CSV file"),
    Case("a workbook named .csv", xlsx_bytes([ENGLISH]), stop="is not a CSV file"),
    Case("text named .xlsx", csv_bytes(rows()), suffix=".xlsx",
         stop="cannot be opened as an Excel workbook"),
    Case("UTF-16 with its byte order mark", csv_bytes(rows(), encoding="utf-16")),
    Case("Excel's Unicode text: UTF-16, tabs, .txt", csv_bytes(rows(), sep="\t",
                                                                encoding="utf-16"), ".txt"),
    Case("UTF-16 without its byte order mark", csv_bytes(rows(), encoding="utf-16-le"),
         stop="is not a CSV file"),
    Case("a PDF named .csv", b"%PDF-1.7\n" + bytes(range(256)), stop="it is a PDF document"),
    Case("Excel's sep= first line", b"sep=;\r\n" + csv_bytes(rows(), sep=";")),
    Case("a NUL in a cell near the top", csv_bytes(rows(r100={"name": "Ola\x00 Nordmann"}))),
    Case("a NUL in a cell further down", csv_bytes(rows(r100={"motivation": "ord " * 3000},
                                                        r103={"name": "Kari\x00 Nordmann"}))),
    Case("e-mail column missing", csv_bytes(rows(), headers=[h if h != "email" else "telefon"
                                                             for h in ENGLISH]),
         stop="required column 'email'"),
    Case("a title block above the header", xlsx_bytes(
        [["Søknader 2025"], ["Eksportert fra skjema"], [], ENGLISH,
         *[list(r.values()) for r in rows()]]), ".xlsx"),
    Case("the answers on the second sheet", xlsx_bytes(
        [ENGLISH, *[list(r.values()) for r in rows()]],
        cover=[["Om skjemaet"], ["Spørsmål", "Type"], ["Navn", "Tekst"]]), ".xlsx"),
    Case("a row with too many fields", csv_bytes(rows()) + b"A1,x,y,z,1,2,3,4,5,6,7,8,9,10,11\n",
         stop="cannot be read as CSV"),
    Case("most rows bad", csv_bytes([application_row(i, email="not-an-address")
                                     for i in range(100, 115)]), stop="failed validation"),
    Case("Norwegian headers", csv_bytes(rows(), headers=NORWEGIAN, sep=";")),
    Case("Google Forms' own names, in Norwegian", csv_bytes(rows(), headers=[
        {"email": "E-postadresse", "submitted_at": "Tidsmerke"}.get(h, h) for h in ENGLISH])),
    Case("an anonymous Microsoft Forms export: its own blank Name and Email first", xlsx_bytes(
        [["Email", "Name", *NORWEGIAN], *[["anonymous", None, *r.values()] for r in rows()]]),
        ".xlsx"),
    Case("Microsoft Forms' completion time", csv_bytes(rows(), headers=[
        {"submitted_at": "Completion time", "email": "Email address"}.get(h, h)
        for h in ENGLISH])),
    Case("headers upper case with spaces", csv_bytes(rows(), headers=[f"  {h.upper()} "
                                                                      for h in ENGLISH])),
    Case("headers in another order", pd.DataFrame(rows()).iloc[:, ::-1].to_csv(index=False)
         .encode()),
    Case("UTF-8 with BOM and semicolons", csv_bytes(rows(), sep=";", encoding="utf-8-sig")),
    Case("Windows-1252 with æøå", csv_bytes(rows(r100={"name": "Kjærsti Ødegård Åsen"}),
                                            sep=";", encoding="cp1252")),
    Case("tab separated", csv_bytes(rows(), sep="\t")),
    Case("a newline and a comma inside a quoted cell",
         csv_bytes(rows(r100={"motivation": "Linje én,\nlinje to"}))),
    Case("blank lines between rows", csv_bytes(rows()).replace(b"\r\n", b"\r\n,,,,\r\n", 2)),
    Case("a formula in the name", csv_bytes(rows(r100={"name": '=HYPERLINK("http://x","y")'}))),
    Case("a script tag in the name", csv_bytes(rows(r100={"name": "<script>alert(1)</script>"}))),
    Case("ten megabytes in one cell", csv_bytes(rows(r100={"motivation": "ord " * 2_500_000}))),
    Case("control characters", csv_bytes(rows(r100={"name": "Ola\x07 Nord\x1bmann"}))),
    Case("right-to-left text", csv_bytes(rows(r100={"name": "فاطمة الزهراء"}))),
    Case("a very long name", csv_bytes(rows(r100={"name": "Å" * 5000}))),
    Case("31 February", csv_bytes(rows(r100={"birth_date": "31.02.2000"})),
         reasons={0: "er ikke en dato"}),
    Case("a birth date in the future", csv_bytes(rows(r100={"birth_date": "2091-01-01"})),
         reasons={0: "er umulig"}),
    Case("a date with slashes", csv_bytes(rows(r100={"birth_date": "17/05/1990"})),
         reasons={0: "er ikke en dato"}),
    Case("mixed date forms", csv_bytes(rows(r100={"birth_date": "17.05.1990"},
                                            r101={"birth_date": "1990-05-17"}))),
    Case("an Excel serial date as text", csv_bytes(rows(r100={"birth_date": "34836"}))),
    Case("a missing id", csv_bytes(rows(r100={"applicant_id": ""})),
         reasons={0: "søker-ID mangler"}),
    Case("a bad e-mail", csv_bytes(rows(r100={"email": "ola(at)x.no"})),
         reasons={0: "er ikke en e-postadresse"}),
    Case("a missing name", csv_bytes(rows(r100={"name": ""})), reasons={0: "navn mangler"}),
    Case("an unknown staff category", csv_bytes(rows(r100={"staff_category": "ekstern"})),
         reasons={0: "er verken politi eller sivil"}),
    Case("consent neither yes nor no", csv_bytes(rows(r100={"consent": "kanskje"})),
         reasons={0: "er ikke ja eller nei"}),
    Case("an unknown background value", csv_bytes(rows(r100={"immigrant_background": "maybe"})),
         reasons={0: "er ikke ja, nei eller vil ikke oppgi"}),
    Case("the same id twice, the later wins", csv_bytes(rows(
        r101={"applicant_id": "A100", "submitted_at": "2025-02-20T10:00:00"},
        r100={"submitted_at": "2025-02-10T10:00:00"})), reasons={0: "erstattet av en senere"}),
    Case("the same id twice at the same time", csv_bytes(rows(
        r101={"applicant_id": "A100", "submitted_at": "2025-02-02T10:00:00"},
        r100={"submitted_at": "2025-02-02T10:00:00"})), reasons={0: "erstattet av en senere"}),
    Case("a workbook with several sheets", xlsx_bytes([ENGLISH, *[list(r.values())
                                                                  for r in rows()]], sheets=3),
         ".xlsx"),
    Case("merged cells", xlsx_bytes([ENGLISH, *[list(r.values()) for r in rows()]],
                                    merge="E2:E3"), ".xlsx", reasons={1: "enhet mangler"}),
    Case("numbers as ids and date cells", xlsx_bytes([ENGLISH, *[
        [12345 + i, *list(r.values())[1:3], pd.Timestamp("1995-05-17").to_pydatetime(),
         *list(r.values())[4:]] for i, r in enumerate(rows())]]), ".xlsx"),
    Case("a formula cell never calculated", xlsx_bytes([ENGLISH, *[
        [*list(r.values())[:4], "=A1", *list(r.values())[5:]] for r in rows(1)]]), ".xlsx",
         rows=1, reasons={0: "enhet mangler"}),
]


@pytest.fixture
def ws(tmp_path):
    ws = init_workspace(tmp_path / "ws")
    ws.inbox("applications").joinpath("good.csv").write_bytes(
        csv_bytes([application_row(i) for i in range(20)]))
    return ws


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_malformed_application_file_gets_a_message_or_reasons_and_loses_no_row(ws, case):
    bad = ws.inbox("applications") / f"bad{case.suffix}"
    bad.write_bytes(case.data)
    if case.stop:
        with pytest.raises(StageStopped, match=case.stop) as stopped:
            gated(ws)
        assert "bad" in str(stopped.value) or "rows" in str(stopped.value)
        return
    apps, _ = gated(ws)
    from_bad = apps[apps["source_file"] == f"inbox/applications/bad{case.suffix}"]
    assert len(apps) == 20 + case.rows  # every row of both files, live or quarantined
    assert len(from_bad) == case.rows
    for index, reason in case.reasons.items():
        assert reason in from_bad.iloc[index]["reasons"]
    flagged = set(case.reasons)
    assert (from_bad.iloc[[i for i in range(case.rows) if i not in flagged]]["reasons"]
            == "").all()


REVIEW_HEADER = "applicant_id,reviewer,motivation,digital,communication\n"
REVIEW_CASES = [
    ("a criterion column missing", b"applicant_id,reviewer,motivation,digital\nA1,r,3,3\n",
     "required column 'communication'", None),
    ("empty", b"", "is empty", None),
    ("only the header", REVIEW_HEADER.encode(), "has a header row but no rows", None),
    ("a word for a grade", (REVIEW_HEADER + "A1,r,fire,3,3\n").encode(), None,
     "Motivasjon «fire» er ikke et helt tall fra 1 til 5"),
    ("zero", (REVIEW_HEADER + "A1,r,0,3,3\n").encode(), None, "Motivasjon «0» er ikke"),
    ("six", (REVIEW_HEADER + "A1,r,6,3,3\n").encode(), None, "Motivasjon «6» er ikke"),
    ("a half", (REVIEW_HEADER + "A1,r,3.5,3,3\n").encode(), None, "Motivasjon «3.5» er ikke"),
    ("an unknown applicant", (REVIEW_HEADER + "X9,r,3,3,3\n").encode(), None,
     "ingen gyldig søknad med søker-ID X9"),
    ("no reviewer", (REVIEW_HEADER + "A1,,3,3,3\n").encode(), None, "vurderer mangler"),
    ("a decimal comma", (REVIEW_HEADER + 'A1,r,"4,0",3,3\n').encode(), None, ""),
    ("a blank cell", (REVIEW_HEADER + "A1,r,,3,3\n").encode(), None, ""),
    ("extra columns", b"applicant_id,reviewer,motivation,digital,communication,sum\n"
     b"A1,r,3,3,3,9\n", None, ""),
    ("a formula payload as comment", b"applicant_id,reviewer,motivation,digital,communication,"
     b"comment\nA1,r,3,3,3,=cmd|' /C calc'!A0\n", None, ""),
    ("headed with the criteria's labels and Norwegian names",
     "Søker-ID;Vurderer;Motivasjon;Digital kompetanse;Formidling;Kommentar\nA1;r;3;3;3;god\n"
     .encode(), None, ""),
    ("a label's grade out of scale", "Søker-ID;Vurderer;Motivasjon;Digital kompetanse;Formidling\n"
     "A1;r;3;9;3\n".encode(), None, "Digital kompetanse «9» er ikke et helt tall fra 1 til 5"),
]


@pytest.mark.parametrize(("name", "data", "stop", "reason"), REVIEW_CASES,
                         ids=[c[0] for c in REVIEW_CASES])
def test_a_malformed_review_sheet_gets_a_message_or_a_reason(ws, name, data, stop, reason):
    (ws.inbox("reviews") / "sheet.csv").write_bytes(data)
    (ws.inbox("reviews") / "others.csv").write_bytes(  # the rest of the panel's sheets: fine
        (REVIEW_HEADER + "A1,r2,3,3,3\nA1,r3,4,4,4\nA1,r4,2,2,2\n").encode())
    config = program()
    live_a1 = pd.DataFrame({"applicant_id": ["A1"], "reasons": [""]})
    if stop:
        with pytest.raises(StageStopped, match=stop):
            read_reviews.fn(ws, config, live_a1)
        return
    reviews = read_reviews.fn(ws, config, live_a1)
    (row,) = reviews.loc[reviews["source_file"].str.endswith("sheet.csv"), "reasons"]
    assert row == reason if reason == "" else reason in row


def test_ids_that_lost_their_leading_zeros_in_excel_still_find_their_application(ws):
    (ws.inbox("reviews") / "lagret-i-excel.csv").write_bytes(
        (REVIEW_HEADER + "5,r1,3,3,3\n5,r2,4,4,4\n").encode())
    live = pd.DataFrame({"applicant_id": ["000005", "000006"], "reasons": ["", ""]})
    reviews = read_reviews.fn(ws, program(), live)
    assert list(reviews["applicant_id"]) == ["000005", "000005"]
    assert (reviews["reasons"] == "").all()


def test_review_sheets_of_which_most_rows_cannot_count_stop_intake_saying_why(ws):
    (ws.inbox("reviews") / "annet-program.csv").write_bytes(
        (REVIEW_HEADER + "X1,r1,3,3,3\nX2,r1,3,3,3\nA1,r1,4,4,4\n").encode())
    live_a1 = pd.DataFrame({"applicant_id": ["A1"], "reasons": [""]})
    with pytest.raises(StageStopped, match=r"2 of 3 review rows \(67%\) cannot count") as stop:
        read_reviews.fn(ws, program(), live_a1)
    assert "inbox/reviews/annet-program.csv row 2: ingen gyldig søknad med søker-ID X1" \
        in str(stop.value)


@pytest.mark.parametrize("name", ["Ola\x00 Nordmann", "Ola\x0b Nordmann", "Ola\x07 Nordmann"])
def test_a_control_character_in_a_cell_is_removed_and_the_row_counts(ws, name):
    (ws.inbox("applications") / "bad.csv").write_bytes(csv_bytes(rows(r100={"name": name})))
    apps, _ = gated(ws)
    row = apps.set_index("applicant_id").loc["A100"]
    assert (row["name"], row["reasons"]) == ("Ola Nordmann", "")


def test_rows_after_a_sep_line_keep_the_row_numbers_a_spreadsheet_shows(ws):
    (ws.inbox("applications") / "bad.csv").write_bytes(
        b"sep=;\r\n" + csv_bytes(rows(r101={"email": "nei"}), sep=";"))
    apps, _ = gated(ws)
    bad = apps[apps["reasons"] != ""]
    assert list(bad["source_row"]) == [4]  # line 1 sep=, 2 the header, 3 and 4 the rows


MONTH_FIRST = {f"r{100 + i}": {"birth_date": day} for i, day in enumerate(
    ["5/17/1995", "12/24/1994", "1/2/1996", "7/30/1993", "11/5/1995"])}


@pytest.mark.parametrize(("data", "suffix", "note"), [
    (xlsx_bytes([["Email", "Name", *NORWEGIAN],
                 *[["anonymous", None, *r.values()] for r in rows()]]), ".xlsx",
     "flere kolonner kan være e-postadresse; den der flest verdier passer ble lest, ikke «Email»"),
    (csv_bytes(rows(r102={"name": "Ola\x0b Nordmann"})), ".csv",
     "usynlige kontrolltegn ble fjernet fra cellene i rad 4"),
    (csv_bytes(rows(r103={"name": "Kari\x00 Nordmann"})), ".csv",
     "usynlige kontrolltegn ble fjernet fra cellene i rad 5"),
    (csv_bytes(rows(**MONTH_FIRST)), ".csv",
     "skrevet med måneden først (M/D/ÅÅÅÅ), for eksempel «5/17/1995»"),
], ids=["a column clash", "a control character", "a NUL", "dates month first"])
def test_hr_is_told_how_an_export_was_read_where_it_matters(ws, data, suffix, note):
    (ws.inbox("applications") / f"bad{suffix}").write_bytes(data)
    _, notes = read_applications.fn(ws, program())
    (said,) = [text for text in notes if note in text]
    assert said.startswith(f"inbox/applications/bad{suffix}: ")
    assert all(text.startswith("inbox/applications/bad") for text in notes)  # good.csv: none


def test_every_sheet_of_a_workbook_with_the_answers_is_read_and_named(ws):
    book = openpyxl.Workbook()
    book.active.title = "Uke 1"
    book.active.append(ENGLISH)
    for row in rows(3):
        book.active.append(list(row.values()))
    book.create_sheet("Om skjemaet").append(["Spørsmål", "Type"])
    later = book.create_sheet("Uke 2")
    later.append(ENGLISH)
    later.append(list(application_row(200, email="ikke-en-adresse").values()))
    book.save(ws.inbox("applications") / "svar.xlsx")
    apps, _ = gated(ws)
    from_book = apps[apps["source_file"].str.startswith("inbox/applications/svar.xlsx")]
    assert sorted(set(from_book["source_file"])) == [
        "inbox/applications/svar.xlsx [Uke 1]", "inbox/applications/svar.xlsx [Uke 2]"]
    bad = from_book[from_book["reasons"] != ""]
    assert (bad["source_file"].tolist(), bad["source_row"].tolist()) == (
        ["inbox/applications/svar.xlsx [Uke 2]"], [2])  # where HR finds it
