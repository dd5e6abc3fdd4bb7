"""HR's decisions through the real stages: a withdrawal frees a place that the next best takes,
an include goes first, an accommodation holds for its applicant alone, and every bad row of the
log is quarantined with its file, row and reason."""

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine, select

from cli import mentoring
from flows.intake import intake
from flows.notify import notify
from flows.runtime import run_stage
from flows.videos import videos
from readable import code_in, words
from tasks.store import applicants

LATER = dt.date.today() + dt.timedelta(days=40)  # after the late video's own file time


def people(ws) -> pd.DataFrame:
    return pd.read_csv(ws.root / "exports" / "applicants.csv", encoding="utf-8-sig",
                       dtype={"applicant_id": str}).set_index("applicant_id")


def outbox(ws, stage: str) -> set[str]:
    return {p.name for p in (ws.root / "outbox").glob(f"{stage}-*.eml")}


@pytest.fixture(scope="module")
def decided(programme_copy):
    """The programme after step 2, then a decisions log: the best shortlisted applicant
    withdraws, HR includes the lowest-scored accepted video, and gives the late video's sender
    a later deadline; two rows are wrong. Then videos, intake and notify run again."""
    ws, invited = programme_copy
    before = people(ws)
    shortlisted = before.index[before["status"] == "shortlisted"]
    leaving = before.loc[shortlisted, "final_score"].idxmax()
    passed = before[before["status"] == "not_shortlisted"]["final_score"].idxmin()
    late = invited[8]
    pd.DataFrame([
        [leaving, "trukket", "flytter utenlands", "kari@hr.no", "03.03.2026", ""],
        [passed, "include", "sterk i digital kompetanse", "kari@hr.no", "2026-03-04", ""],
        [late, "accommodate", "syk i fristperioden", "kari@hr.no", "2026-03-05",
         LATER.isoformat()],
        ["999999", "withdrawn", "", "kari@hr.no", "2026-03-05", ""],
        [invited[0], "exclude", "", "kari@hr.no", "2026-03-05", ""],
    ], columns=["søker-id", "beslutning", "begrunnelse", "besluttet av", "dato", "frist"]).to_csv(
        ws.inbox("decisions") / "beslutninger.csv", sep=";", index=False)
    invitations = outbox(ws, "intake")
    step2 = run_stage(videos, workspace=str(ws.root))
    after_videos = people(ws)
    step1 = run_stage(intake, workspace=str(ws.root))
    told = run_stage(notify, workspace=str(ws.root))
    return {"ws": ws, "before": before, "after_videos": after_videos, "after": people(ws),
            "leaving": leaving, "passed": passed, "late": late, "invitations": invitations,
            "step2": step2, "step1": step1, "told": told}


def test_a_withdrawal_after_the_shortlist_frees_its_place_for_the_next_best(decided):
    now, before = decided["after_videos"], decided["before"]
    leaving, passed = decided["leaving"], decided["passed"]
    assert now.loc[leaving, "status"] == "withdrawn"
    assert now.loc[leaving, "reasons"] == "trakk seg 2026-03-03: flytter utenlands"
    shortlisted = set(now.index[now["status"] == "shortlisted"])
    assert len(shortlisted) == 5
    kept = set(before.index[before["status"] == "shortlisted"]) - {leaving}
    assert shortlisted == kept | {passed}  # HR's include takes the freed place


def test_an_include_goes_first_and_says_so(decided):
    now, passed = decided["after_videos"], decided["passed"]
    assert now.loc[passed, "status"] == "shortlisted"
    assert now.loc[passed, "reasons"].startswith(
        "satt fram av HR 2026-03-04: sterk i digital kompetanse; valgt ut")


def test_a_later_deadline_counts_a_late_video_and_its_sender_is_told(decided):
    ws, late = decided["ws"], decided["late"]
    assert decided["before"].loc[late, "status"] == "video_missing"
    assert decided["after_videos"].loc[late, "status"] in ("shortlisted", "not_shortlisted")
    (letter,) = (ws.root / "outbox").glob(f"videos-{late}-*.eml")
    text = letter.read_text(encoding="utf-8")
    assert "tilrettelegging" in text and f"{LATER.year}" in text


def test_the_next_intake_invites_one_newcomer_in_place_of_the_withdrawn(decided):
    ws, before = decided["ws"], decided["before"]
    with create_engine(ws.store_url).connect() as conn:
        step1 = pd.read_sql(select(applicants), conn).set_index("applicant_id")
    assert step1.loc[decided["leaving"], "status"] == "withdrawn"
    assert (step1["status"] == "invited").sum() == 10  # every place of step 1 is taken again
    newcomers = outbox(ws, "intake") - decided["invitations"]
    (newcomer,) = {name.split("-")[1] for name in newcomers}  # only the newcomer is written to
    assert step1.loc[newcomer, "status"] == "invited"
    assert before.loc[newcomer, "status"] == "not_invited"


def test_every_bad_decision_is_quarantined_with_its_row_and_reason(decided):
    ws = decided["ws"]
    quarantine = pd.read_csv(ws.root / "exports" / "quarantine.csv", encoding="utf-8-sig")
    rows = quarantine[quarantine["input"] == "decisions"].sort_values("source_row")
    assert rows["source_file"].eq("inbox/decisions/beslutninger.csv").all()
    assert rows["source_row"].tolist() == [5, 6]
    assert rows["reasons"].tolist() == ["ingen søknad med søker-ID 999999",
                                        "å ta ut en søker krever en begrunnelse"]


def test_the_report_lists_the_decisions_and_the_one_who_withdrew_hears_back(decided):
    ws, leaving = decided["ws"], decided["leaving"]
    report = Path(decided["step1"]["outputs"]["report"]).read_text(encoding="utf-8")
    assert "HRs beslutninger" in report and "flytter utenlands" in report
    assert "tilrettelagt, frist" in report
    (letter,) = (ws.root / "outbox").glob(f"notify-{leaving}-*.eml")
    assert "trukket deg" in letter.read_text(encoding="utf-8")


def test_person_hands_over_all_the_programme_holds_about_one_applicant_and_no_one_else(decided):
    ws, leaving, before = decided["ws"], decided["leaving"], decided["before"]
    done = mentoring("person", ws.root, leaving, "--json")
    assert done.returncode == 0, done.stderr
    held = json.loads(done.stdout)
    assert held["record"][0]["name"] == before.loc[leaving, "name"]
    assert held["record"][0]["birth_date"]  # their own data, sensitive fields too
    assert [row["status"] for row in held["history"]] == ["invited", "shortlisted", "withdrawn"]
    assert held["history"][-1]["reasons"] == "trakk seg 2026-03-03: flytter utenlands"
    counted = [row["reason"] for row in held["decisions"] if not row["reasons"]]
    assert counted == ["flytter utenlands"]  # and any of theirs that did not count, with why
    assert {row["reviewer"] for row in held["reviews"]} and len(held["video_reviews"]) == 2
    assert {"invited", "withdrawn"} <= {row["outcome"] for row in held["letters"]}
    assert held["videos"] and all(row["applicant_id"] == leaving for row in held["videos"])
    page = (ws.root / held["page"]).read_text(encoding="utf-8")
    others = before.drop(index=leaving)
    others = others[others["name"] != before.loc[leaving, "name"]]  # the same name, another person
    for text in (done.stdout, page):
        assert not [name for name in others["name"] if name in text]
        assert not [email for email in others["email"].dropna() if email in text]
    assert not code_in(words(page)), code_in(words(page))
    unknown = mentoring("person", ws.root, "X000000")
    assert unknown.returncode == 1 and "nothing about applicant id X000000" in unknown.stderr
