"""Step 3 as real flow runs: packets to leaders, ranking sheets back, mentors assigned."""

import email
import email.policy
import html
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import create_engine, func, select

from factories import fill_ranking_sheet as fill
from flows.match import match
from flows.notify import notify
from flows.rescore import rescore
from flows.runtime import run_stage
from flows.shortlist import shortlist
from readable import code_in, words
from scoring.errors import StageStopped
from scoring.rankings import sign
from tasks.packets import leader_packet
from tasks.render import labels
from tasks.status import reading_store
from tasks.store import applicants, email_log
from tasks.workspace import load_program

SENSITIVE_HEADERS = ("birth_date", "fødselsdato", "immigrant", "innvandrer", "gender", "kjønn",
                     "score", "comment", "kommentar", "reviewer", "vurderer")


@pytest.fixture(scope="module")
def shortlisted(programme_copy):
    ws, invited = programme_copy
    summary = run_stage(shortlist, workspace=str(ws.root))
    return ws, invited, summary


def texts_of(path) -> str:
    """Every readable text of a leader-facing file, including inside zips, workbooks, e-mails."""
    data = path.read_bytes()
    if path.suffix == ".eml":
        message = email.message_from_bytes(data, policy=email.policy.default)
        parts = [part.get_content() for part in message.walk() if not part.is_multipart()]
        return "\n".join(p if isinstance(p, str) else texts_of_bytes(p) for p in parts)
    return texts_of_bytes(data)


def texts_of_bytes(data: bytes) -> str:
    if data[:2] == b"PK":  # zip, xlsx
        with zipfile.ZipFile(io.BytesIO(data)) as bundle:
            return "\n".join(texts_of_bytes(bundle.read(name)) for name in bundle.namelist()
                             if not name.endswith((".mp4", ".jpg")))
    return data.decode("utf-8", errors="ignore")


def test_every_leader_gets_a_packet_and_one_letter_with_the_sheet(shortlisted):
    ws, _, summary = shortlisted
    for leader in ("L1", "L2"):
        folder = ws.root / "packets" / leader
        assert (folder / "index.html").is_file()
        assert len(list((folder / "media").glob("*.mp4"))) == 5
        assert (ws.root / "packets" / f"{leader}.zip").is_file()
        letter = email.message_from_bytes(
            next((ws.root / "outbox").glob(f"shortlist-{leader}-*.eml")).read_bytes(),
            policy=email.policy.default)
        attachments = [part.get_filename() for part in letter.iter_attachments()]
        assert attachments == [f"rangering-{leader}.xlsx"]
        assert letter.get_body(("html",)) is not None
    assert summary["emails"] == {"sent": 2, "skipped": 0}


def test_no_packet_sheet_or_letter_holds_anything_sensitive(shortlisted):
    ws, _, _ = shortlisted
    engine = create_engine(ws.store_url)
    with engine.connect() as conn:
        people = pd.read_sql(select(applicants), conn)
    secrets = set(people["email"].dropna())
    secrets |= {d.strftime(f) for d in pd.to_datetime(people["birth_date"].dropna())
                for f in ("%Y-%m-%d", "%d.%m.%Y")}
    secrets |= {f"{s:.2f}" for s in people["score"].dropna()}
    files = [*(ws.root / "packets").rglob("*"), *(ws.root / "outbox").glob("shortlist-*.eml")]
    checked = 0
    for path in files:
        if path.is_file() and path.suffix not in (".mp4", ".jpg"):
            text = texts_of(path)
            assert not [s for s in secrets if s in text], path
            assert not [h for h in SENSITIVE_HEADERS if h in text.lower()], path
            checked += 1
    assert checked >= 8


def test_the_leader_reads_the_rule_and_a_sheet_in_norwegian_that_refuses_a_rank_twice(
        shortlisted):
    ws, _, _ = shortlisted
    folder = ws.root / "packets" / "L1"
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "Ranger minst 2 av kandidatene du kan velge" in page and "Du får 2 mentorer" in page
    letter = email.message_from_bytes(
        next((ws.root / "outbox").glob("shortlist-L1-*.eml")).read_bytes(),
        policy=email.policy.default)
    assert "Ranger minst 2" in letter.get_body(("html",)).get_content()
    book = openpyxl.load_workbook(next(folder.glob("*.xlsx")))
    sheet, check = book.worksheets
    assert [c.value for c in sheet[2]] == ["Ansattnummer", "Navn", "Enhet", "Stilling",
                                           "Rangering", "Merknad"]
    assert "minst 2" in sheet["A1"].value and sheet["A1"].alignment.wrap_text
    (rule,) = sheet.data_validations.dataValidation
    assert rule.type == "custom" and "COUNTIF" in rule.formula1 and rule.showErrorMessage
    notes = [row[5].value for row in sheet.iter_rows(min_row=3)]
    assert notes == sorted(notes, key=bool)  # the candidates in conflict come last
    assert check.title == "Kontroll" and check["A2"].value == "token"


def test_a_reply_deadline_that_has_passed_stops_the_packets_before_anything_is_sent(
        after_videos, copy_workspace, tmp_path):
    ws = copy_workspace(after_videos[0], tmp_path / "ws")
    config = ws.program_file.read_text(encoding="utf-8")
    ws.program_file.write_text(re.sub(r"reply_deadline = \S+", "reply_deadline = 2025-04-25",
                                      config), encoding="utf-8")
    with pytest.raises(StageStopped, match=r"\[packets\] reply_deadline = 2025-04-25 has passed"):
        run_stage(shortlist, workspace=str(ws.root))
    assert not list((ws.root / "packets").iterdir())
    assert not list((ws.root / "outbox").glob("shortlist-*"))


def test_rerunning_the_shortlist_sends_no_packet_twice(shortlisted):
    ws, _, _ = shortlisted
    again = run_stage(shortlist, workspace=str(ws.root))
    assert again["emails"] == {"sent": 0, "skipped": 2}


@pytest.fixture(scope="module")
def matched(shortlisted):
    ws, _, _ = shortlisted
    for leader in ("L1", "L2"):
        sheet = next((ws.root / "packets" / leader).glob("*.xlsx"))
        fill(sheet, ws.inbox("rankings") / sheet.name)
    return ws, run_stage(match, workspace=str(ws.root))


def test_each_leader_gets_two_mentors_with_an_explanation(matched):
    _, summary = matched
    assert summary["counts"] == {"unmatched": 1, "matched": 4}
    pairs = pd.read_csv(summary["outputs"]["pairs_csv"], encoding="utf-8-sig")
    assert pairs.groupby("leader_id").size().to_dict() == {"L1": 2, "L2": 2}
    assert pairs["applicant_id"].is_unique
    assert pairs["explanation"].str.fullmatch(r"\d\. valg for L\d").all()
    assert set(pairs["leader_name"]) == {"Politidirektør", "Assisterende politidirektør"}
    assert pairs["name"].notna().all()
    page = Path(summary["outputs"]["report"]).read_text()
    report = html.unescape(page)
    assert "L1 (Politidirektør)" in report and "L2 (Assisterende politidirektør)" in report
    assert all(f"{row.applicant_id} ({row.name})" in report for row in pairs.itertuples())
    assert not code_in(words(page)), code_in(words(page))


@pytest.fixture
def own_copy(matched, copy_workspace, tmp_path):
    """A test's own copy of the matched programme, to add sheets to or announce from."""
    ws, _ = matched
    return copy_workspace(ws.root, tmp_path / "ws")


def test_a_sheet_edited_to_name_another_leader_is_rejected(own_copy):
    ws = own_copy
    sheet = next((ws.root / "packets" / "L1").glob("*.xlsx"))
    token = openpyxl.load_workbook(sheet).worksheets[1]["B2"].value
    fill(sheet, ws.inbox("rankings") / "forged.xlsx", token=token.replace("L1:", "L2:"))
    secret = (ws.root / ".secret").read_bytes().strip()
    fill(sheet, ws.inbox("rankings") / "replayed.xlsx", token=sign(secret, "L1", "0ldsh0rtl1st"))
    summary = run_stage(match, workspace=str(ws.root))
    rejected = pd.read_csv(summary["outputs"]["quarantine_csv"], encoding="utf-8-sig")
    reasons = rejected.set_index("source_file")["reasons"]
    assert "kontrollkode er ikke gyldig" in reasons["inbox/rankings/forged.xlsx"]
    assert "tidligere bruttoliste" in reasons["inbox/rankings/replayed.xlsx"]
    assert summary["counts"] == {"unmatched": 1, "matched": 4}  # the good sheets still count


def test_a_sheet_with_a_rank_twice_is_rejected_with_a_reason_to_send_back(own_copy):
    ws = own_copy
    sheet = next((ws.root / "packets" / "L2").glob("*.xlsx"))
    rows = [r[0].value for r in openpyxl.load_workbook(sheet).worksheets[0].iter_rows(min_row=3)
            if r[0].value and not r[5].value]
    fill(sheet, ws.inbox("rankings") / "twice.xlsx", ranks={rows[0]: 1, rows[1]: 1})
    summary = run_stage(match, workspace=str(ws.root))
    rejected = pd.read_csv(summary["outputs"]["quarantine_csv"], encoding="utf-8-sig")
    assert rejected.set_index("source_file").loc["inbox/rankings/twice.xlsx", "reasons"] == (
        f"Tallet 1 er gitt til flere kandidater ({rows[0]}, {rows[1]}); bruk hvert tall bare "
        "én gang.")
    (answer,) = (ws.root / "outbox").glob("match-L2-*.eml")
    text = email.message_from_bytes(answer.read_bytes(), policy=email.policy.default
                                    ).get_body(("plain",)).get_content()
    names = pd.read_csv(ws.root / "exports" / "shortlist.csv").set_index("applicant_id")["name"]
    assert (f"Tallet 1 er gitt til flere kandidater ({names[rows[0]]}, {names[rows[1]]}); "
            "bruk hvert tall bare én gang.") in text
    assert rows[0] not in text  # leaders know the candidates by name
    run_stage(match, workspace=str(ws.root))
    assert len(list((ws.root / "outbox").glob("match-L2-*.eml"))) == 1  # answered once


def test_announcing_tells_mentors_and_leaders_once(own_copy):
    ws = own_copy
    engine = create_engine(ws.store_url)
    count = select(func.count()).select_from(email_log).where(email_log.c.stage == "match")
    with engine.connect() as conn:
        assert conn.execute(count).scalar() == 0  # held back until HR announces
    run_stage(match, workspace=str(ws.root), announce=True)
    run_stage(match, workspace=str(ws.root), announce=True)
    with engine.connect() as conn:
        assert conn.execute(count).scalar() == 4 + 2
    engine.dispose()


def test_a_mentor_who_declines_after_the_announcement_is_replaced_and_only_those_affected_hear(
        own_copy):
    ws = own_copy
    first = run_stage(match, workspace=str(ws.root), announce=True)
    before = pd.read_csv(first["outputs"]["pairs_csv"], encoding="utf-8-sig")
    declining, partner = before.loc[before["leader_id"] == "L1", "applicant_id"]
    (ws.inbox("decisions") / "log.csv").write_text(
        "applicant_id,decision,reason,decided_by,decided_at\n"
        f"{declining},withdrawn,takket nei til å være mentor,kari@hr.no,2026-05-02\n")
    run_stage(rescore, workspace=str(ws.root))  # the nightly run leaves the shortlist as sent
    sent = {p.name for p in (ws.root / "outbox").glob("match-*.eml")}
    again = run_stage(match, workspace=str(ws.root), announce=True)
    assert again["counts"] == {"matched": 4, "withdrawn": 1}  # every sheet still counts
    after = pd.read_csv(again["outputs"]["pairs_csv"], encoding="utf-8-sig")
    kept = before[before["applicant_id"] != declining]
    assert set(zip(kept["leader_id"], kept["applicant_id"], strict=True)) <= set(
        zip(after["leader_id"], after["applicant_id"], strict=True))
    (newcomer,) = set(after["applicant_id"]) - set(before["applicant_id"])
    explanation = after.set_index("applicant_id").loc[newcomer, "explanation"]
    assert explanation.endswith(f"tar plassen etter {declining}, som gikk ut")
    told = {p.name.split("-")[1] for p in (ws.root / "outbox").glob("match-*.eml")
            if p.name not in sent}
    assert told == {"L1", newcomer, partner}  # L2 and its mentors hear nothing new
    people = pd.read_csv(ws.root / "exports" / "applicants.csv", encoding="utf-8-sig",
                         dtype={"applicant_id": str}).set_index("applicant_id")
    assert people.loc[declining, "status"] == "withdrawn"
    run_stage(notify, workspace=str(ws.root))
    (letter,) = (ws.root / "outbox").glob(f"notify-{declining}-*.eml")
    assert "trukket deg" in letter.read_text(encoding="utf-8")


def test_a_leader_who_leaves_by_a_decision_frees_their_mentors_and_the_others_keep_theirs(
        own_copy):
    ws = own_copy
    first = run_stage(match, workspace=str(ws.root), announce=True)
    before = pd.read_csv(first["outputs"]["pairs_csv"], encoding="utf-8-sig")
    (ws.inbox("decisions") / "log.csv").write_text(
        "søker-id;beslutning;begrunnelse;besluttet av;dato\n"
        "L1;trukket;ny stilling i departementet;kari@hr.no;02.05.2026\n", encoding="utf-8")
    again = run_stage(match, workspace=str(ws.root), announce=True)
    after = pd.read_csv(again["outputs"]["pairs_csv"], encoding="utf-8-sig")
    assert set(after["leader_id"]) == {"L2"}
    assert set(zip(after["applicant_id"], after["leader_id"], strict=True)) == set(
        zip(before.loc[before["leader_id"] == "L2", "applicant_id"],
            before.loc[before["leader_id"] == "L2", "leader_id"], strict=True))
    people = pd.read_csv(ws.root / "exports" / "applicants.csv", encoding="utf-8-sig")
    freed = before.loc[before["leader_id"] == "L1", "applicant_id"]
    assert (people.set_index("applicant_id").loc[freed, "status"] == "unmatched").all()
    report = (ws.root / "reports" / "match.html").read_text(encoding="utf-8")
    assert "ny stilling i departementet" in report
    with reading_store(ws):  # the leader's own link opens nothing now
        assert leader_packet(ws, load_program(ws), "L1") is None
        assert leader_packet(ws, load_program(ws), "L2") is not None


def test_notify_tells_every_settled_outcome_once_in_the_programmes_language(own_copy):
    ws = own_copy
    people = pd.read_csv(ws.root / "exports" / "applicants.csv", encoding="utf-8-sig")
    # The invitations went out today, so whoever has sent no video still has days to do so.
    settled = people[people["status"].isin(["ineligible", "not_invited", "not_shortlisted",
                                            "unmatched", "quarantined"])]
    reachable = settled[settled["email"].str.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", na=False)]
    first = run_stage(notify, workspace=str(ws.root))
    assert first["emails"] == {"sent": len(reachable), "skipped": 0}
    assert first["counts"]["unmatched"] == 1 and "video_missing" not in first["counts"]
    letters = sorted((ws.root / "outbox").glob("notify-*.eml"))
    assert {p.name.split("-")[1] for p in letters} == set(reachable["applicant_id"])
    text = letters[0].read_text(encoding="utf-8")
    assert "Vennlig hilsen" in text and "score" not in text.lower()
    # A quarantined applicant is told which of their answers to fix, as the form names them.
    fields = set(labels("nb")["fields"].values())
    quarantined = reachable.loc[reachable["status"] == "quarantined", "applicant_id"]
    assert len(quarantined)
    for applicant_id in quarantined:
        (letter,) = (ws.root / "outbox").glob(f"notify-{applicant_id}-*.eml")
        body = email.message_from_bytes(letter.read_bytes(), policy=email.policy.default)
        named = re.findall(r"^- (.+)$", body.get_body(("plain",)).get_content(), re.M)
        assert named and set(named) <= fields, (applicant_id, named)
    assert run_stage(notify, workspace=str(ws.root))["emails"] == {"sent": 0, "skipped": 0}
