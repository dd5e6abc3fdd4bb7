"""The reviewer panel through the real stages: `assign` gives every eligible applicant two
reviewers outside their unit and sends each reviewer a pre-filled sheet, the filled sheets count
in intake, a review the panel was not given is quarantined, new applicants are added around the
earlier assignment, and `remind` nudges only those behind, once a day."""

import email
import email.policy
import io
import json

import openpyxl
import pandas as pd
import pytest

from cli import mentoring
from factories import fill_ranking_sheet
from flows.assign import assign
from flows.intake import intake
from flows.remind import remind
from flows.runtime import run_stage
from flows.shortlist import shortlist
from scoring.errors import StageStopped
from tasks.render import reason_texts
from tasks.synthetic import write_programme
from tasks.workspace import Workspace

PANEL = """
[[reviewers]]
id = "kari"
name = "Kari Vurderer"
email = "kari@example.no"
unit = "Oslo politidistrikt"

[[reviewers]]
id = "per"
name = "Per Vurderer"
email = "per@example.no"
unit = "Kripos"

[[reviewers]]
id = "lise"
name = "Lise Vurderer"
email = "lise@example.no"
unit = "Økokrim"
conflicts = ["{conflict}"]

[[reviewers]]
id = "ola"
name = "Ola Vurderer"
email = "ola@example.no"
unit = "Politiets IT-enhet"
"""
SMALLER = {"count = 30": "count = 10", "min = 10 }": "min = 2 }", "min = 4, max = 30": "min = 0",
           "min = 5 }": "min = 1 }"}  # the example's invitation quotas, for 80 applicants
SENSITIVE = ("Fødselsdato", "Kjønn", "Innvandrerbakgrunn", "birth_date", "gender")


def letters(ws: Workspace, stage: str) -> dict[str, list[email.message.EmailMessage]]:
    """The e-mails of one stage in the outbox, by recipient address."""
    found: dict[str, list] = {}
    for path in sorted((ws.root / "outbox").glob(f"{stage}-*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        found.setdefault(message["To"], []).append(message)
    return found


def sheet_rows(path) -> tuple[list[str], list[list]]:
    rows = list(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True))
    return list(rows[1]), [list(row) for row in rows[2:]]


def fill(path, grade: int, target, reviewer: str | None = None) -> None:
    """A reviewer's reply: every criterion graded, optionally under another reviewer's name."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[2]]
    first = headers.index("Vurderer")
    for row in sheet.iter_rows(min_row=3):
        if reviewer:
            row[first].value = reviewer
        for cell in row[first + 1:first + 4]:
            cell.value = grade
    book.save(target)


@pytest.fixture(scope="module")
def panel(tmp_path_factory):
    ws = write_programme(tmp_path_factory.mktemp("panel") / "ws", applicants=80)
    for sheet in ws.inbox("reviews").iterdir():
        sheet.unlink()
    config = ws.program_file.read_text(encoding="utf-8")
    for old, new in SMALLER.items():
        config = config.replace(old, new)
    ws.program_file.write_text(config, encoding="utf-8")
    run_stage(intake, workspace=str(ws.root))  # the applications checked, none reviewed yet
    people = pd.read_csv(ws.root / "exports" / "applicants.csv", encoding="utf-8-sig")
    pending = people[(people["status"] == "pending_review") & (people["unit"] != "Økokrim")]
    conflict = pending["applicant_id"].iloc[0]
    ws.program_file.write_text(config + PANEL.format(conflict=conflict), encoding="utf-8")
    summary = run_stage(assign, workspace=str(ws.root), stage="intake")
    return ws, summary, conflict


def test_every_eligible_applicant_gets_two_reviewers_outside_their_unit(panel):
    ws, summary, conflict = panel
    units = {}
    load = {}
    for path in sorted((ws.root / "panel" / "intake").glob("*.xlsx")):
        headers, rows = sheet_rows(path)
        reviewer = rows[0][headers.index("Vurderer")]
        load[reviewer] = len(rows)
        for row in rows:
            units.setdefault(row[0], []).append((reviewer, row[headers.index("Enhet")]))
        assert not set(SENSITIVE) & {str(h) for h in headers}
    own = {"kari": "Oslo politidistrikt", "per": "Kripos", "lise": "Økokrim",
           "ola": "Politiets IT-enhet"}
    assert all(len(pairs) == 2 for pairs in units.values())
    assert all(unit != own[reviewer] for pairs in units.values() for reviewer, unit in pairs)
    assert "lise" not in [reviewer for reviewer, _ in units[conflict]]
    assert summary["counts"] == {"applicants": len(units), "reviews": 2 * len(units)}
    assert max(load.values()) - min(load.values()) <= 1, load


def test_each_reviewer_gets_their_sheet_by_email_with_whole_grades_on_the_scale(panel):
    ws = panel[0]
    sent = letters(ws, "assign-intake")
    assert sorted(sent) == ["kari@example.no", "lise@example.no", "ola@example.no",
                            "per@example.no"]
    (message,) = sent["kari@example.no"]
    body = message.get_body(("plain",)).get_content()
    assert "Digital kompetanse" in body and "fra 1 til 5" in body
    (attachment,) = message.iter_attachments()
    book = openpyxl.load_workbook(io.BytesIO(attachment.get_content()))
    (rule,) = book.worksheets[0].data_validations.dataValidation
    assert (rule.type, rule.operator, rule.formula1, rule.formula2) == ("whole", "between",
                                                                        "1", "5")
    assert "token" in [row[0] for row in book.worksheets[1].iter_rows(values_only=True)]


def test_the_filled_sheets_count_and_reviews_outside_the_assignment_do_not(panel, tmp_path):
    ws, _, conflict = panel
    sheets = sorted((ws.root / "panel" / "intake").glob("*.xlsx"))
    for path in sheets:
        fill(path, 4, ws.inbox("reviews") / path.name)
    fill(sheets[0], 1, ws.inbox("reviews") / "endret.xlsx", reviewer="per")
    pd.DataFrame({"applicant_id": [conflict], "reviewer": ["lise"], "motivation": [5],
                  "digital": [5], "communication": [5]}).to_csv(
        ws.inbox("reviews") / "lise-ekstra.csv", index=False)
    run_stage(intake, workspace=str(ws.root))
    people = pd.read_csv(ws.root / "exports" / "applicants.csv", encoding="utf-8-sig")
    scored = people[people["review_count"] == 2]
    assert len(scored) > 20 and (scored["score"] == 75.0).all()
    quarantine = pd.read_csv(ws.root / "exports" / "quarantine.csv", encoding="utf-8-sig")
    reasons = " ".join(quarantine["reasons"].astype(str))
    said = reason_texts("nb")
    assert said["review_other_sheet"].format(reviewer=sheets[0].stem.split("-")[-1]) in reasons
    assert said["review_conflict_declared"].format(reviewer="lise") in reasons


def test_new_applicants_are_added_around_the_earlier_assignment(panel):
    ws = panel[0]
    before = {path.name: sheet_rows(path)[1] for path in (ws.root / "panel" / "intake").glob(
        "*.xlsx")}
    pd.DataFrame([{"Ansattnummer": "P200001", "Navn": "Ny Søker", "E-post": "ny@example.no",
                   "Fødselsdato": "01.06.1996", "Enhet": "Kripos", "Stilling": "rådgiver",
                   "Kategori": "sivil", "Utdanning": "master", "Kjønn": "kvinne",
                   "Innvandrerbakgrunn": "nei", "Motivasjon": "Jeg vil bidra.",
                   "Samtykke": "ja", "Innsendt": "2025-02-20 10:00"}]).to_csv(
        ws.inbox("applications") / "etternøler.csv", sep=";", index=False)
    run_stage(intake, workspace=str(ws.root))
    again = run_stage(assign, workspace=str(ws.root), stage="intake")
    after = {path.name: sheet_rows(path)[1] for path in (ws.root / "panel" / "intake").glob(
        "*.xlsx")}
    grown = [name for name in after if len(after[name]) > len(before[name])]
    assert len(grown) == 2
    for name, rows in before.items():
        assert [row[0] for row in rows] == [row[0] for row in after[name]
                                            if row[0] != "P200001"]
    assert again["emails"]["sent"] == 2 and again["emails"]["skipped"] == 2


def test_status_says_which_reviewer_owes_which_review(panel):
    ws = panel[0]
    shown = mentoring("status", ws.root)
    state = json.loads(mentoring("status", ws.root, "--json").stdout)
    owing = state["waiting"]["reviews_owed"]
    assert len(owing) == 2 and all(ids == ["P200001"] for ids in owing.values())
    for reviewer in owing:
        assert f"reviewer {reviewer} owes 1 reviews: P200001" in shown.stdout


def test_remind_nudges_only_those_behind_and_only_once_a_day(panel):
    ws = panel[0]
    first = run_stage(remind, workspace=str(ws.root))
    reminded = letters(ws, "remind")
    files = sorted((ws.root / "outbox").glob("remind-*.eml"))
    assert first["counts"]["reviewers"] == 2  # the two who got the new applicant owe one review
    owed = [m for messages in reminded.values() for m in messages
            if "P200001 – Ny Søker" in m.get_body(("plain",)).get_content()]
    assert len(owed) == 2
    assert first["counts"]["applicants"] == first["emails"]["sent"] - 2
    second = run_stage(remind, workspace=str(ws.root))
    assert second["emails"]["sent"] == 0
    assert sorted((ws.root / "outbox").glob("remind-*.eml")) == files


def test_a_panel_that_cannot_cover_an_applicant_says_who_and_why(panel, copy_workspace,
                                                                  tmp_path):
    ws, _, conflict = panel
    copy = copy_workspace(ws.root, tmp_path / "ws")
    text = copy.program_file.read_text(encoding="utf-8")
    two = PANEL.format(conflict=conflict).split("[[reviewers]]")
    copy.program_file.write_text(text[:text.index("\n[[reviewers]]")] + "\n[[reviewers]]".join(
        ["", two[1], two[3]]), encoding="utf-8")
    with pytest.raises(StageStopped, match=rf"{conflict}: 1 of 2 may review them \(lise "
                                           r"declared\)"):
        run_stage(assign, workspace=str(copy.root), stage="intake")


def test_remind_nudges_the_leaders_who_have_not_ranked_the_shortlist(programme_copy):
    ws, _ = programme_copy
    run_stage(shortlist, workspace=str(ws.root))
    sheet = next((ws.root / "packets" / "L1").glob("*.xlsx"))
    fill_ranking_sheet(sheet, ws.inbox("rankings") / sheet.name)
    before = set((ws.root / "outbox").glob("remind-*.eml"))
    summary = run_stage(remind, workspace=str(ws.root))
    sent = set((ws.root / "outbox").glob("remind-*.eml")) - before
    leaders = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
               for p in sent if "-L" in p.name]
    assert summary["counts"]["leaders"] == 1
    assert summary["counts"]["applicants"] == 0  # a video no longer changes the shortlist
    assert [m["To"] for m in leaders] == ["leder2@example.no"]
    assert "/p/" in leaders[0].get_body(("plain",)).get_content()  # their own page
