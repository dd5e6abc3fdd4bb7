"""Nightly rescoring, the deployments, the status, and what Prefect's UI gets to see."""

import asyncio
from pathlib import Path

import pandas as pd
import pytest
from prefect.client.orchestration import get_client
from prefect.logging.handlers import APILogHandler
from sqlalchemy import create_engine, select

from flows.deployments import deployments
from flows.rescore import rescore
from flows.runtime import run_stage
from readable import code_in, words
from tasks.schema import head
from tasks.status import programme_status, reading_store
from tasks.store import applicants
from tasks.workspace import load_program

STEP1_OUT = ("not_invited", "pending_review", "ineligible")
STEP2 = ("video_missing", "video_rejected", "pending_review", "not_shortlisted", "shortlisted")


def statuses(ws) -> pd.Series:
    people = pd.read_csv(ws.root / "exports" / "applicants.csv", encoding="utf-8-sig")
    return people.set_index("applicant_id")["status"]


@pytest.fixture(scope="module")
def rescored(programme_copy):
    ws, _ = programme_copy
    baseline = run_stage(rescore, workspace=str(ws.root))
    before = statuses(ws)
    pending = sorted(before.index[before == "pending_review"])[:3]
    pd.DataFrame({"applicant_id": pending, "reviewer": "sen.vurderer", "motivation": 5,
                  "digital": 5, "communication": 5}).to_csv(
        ws.inbox("reviews") / "sen-vurdering.csv", index=False)
    config = ws.program_file.read_text()
    ws.program_file.write_text(config.replace(
        '{ key = "communication", label = "Formidling",         weight = 2 }',
        '{ key = "communication", label = "Formidling",         weight = 6 }'))
    after = run_stage(rescore, workspace=str(ws.root))
    return ws, baseline, before, statuses(ws), pending, after


def test_a_first_rescoring_of_unchanged_inputs_moves_nobody(rescored):
    _, baseline, *_ = rescored
    assert baseline["recomputed"] is True
    assert baseline["moved"] == []


def test_the_diff_names_exactly_the_applicants_who_moved(rescored):
    _, _, before, after, pending, summary = rescored
    moved = pd.DataFrame(summary["moved"]).set_index("applicant_id")
    changed = after.index[before.reindex(after.index) != after]
    assert set(moved.index[moved["from"] != moved["to"]]) == set(changed)
    for applicant_id in changed:
        assert moved.loc[applicant_id, "from"] == before[applicant_id]
        assert moved.loc[applicant_id, "to"] == after[applicant_id]
    late = [a for a in pending if a in moved.index]
    assert late, "a late review of a pending applicant must show"
    assert all("fullstendige vurderinger 1 → 2" in moved.loc[a, "why"] for a in late)


def test_the_rescoring_report_reads_wholly_in_norwegian(rescored):
    *_, summary = rescored
    text = words(Path(summary["outputs"]["report"]).read_text())
    assert not code_in(text), code_in(text)
    assert "Endringer siden forrige kjøring" in text


def test_hr_is_told_and_nobody_else(rescored):
    ws, *_ = rescored
    letters = sorted((ws.root / "outbox").glob("rescore-*.eml"))
    assert [p.name.split("-")[1] for p in letters] == ["hr"]


def test_a_second_rescoring_with_nothing_changed_does_no_work(rescored):
    ws, *_ = rescored
    report = ws.root / "reports" / "rescore.html"
    written = report.stat().st_mtime_ns
    again = run_stage(rescore, workspace=str(ws.root))
    assert again["recomputed"] is False
    assert again["moved"] == []
    assert report.stat().st_mtime_ns == written


def test_status_says_what_is_waiting(rescored, programme_copy):
    ws, _, _, _, _, summary = rescored
    _, invited = programme_copy
    with reading_store(ws) as schema:
        state = programme_status(ws, load_program(ws), schema)
    assert set(state["stages"]) >= {"intake", "videos", "rescore"}
    assert state["schema"] == head()
    # In the programme, one invited applicant sent nothing and one sent a video too late.
    assert state["waiting"]["videos"] == 2
    assert set(statuses(ws).index[statuses(ws) == "video_missing"]) == {invited[7], invited[8]}
    newly_invited = [m for m in summary["moved"] if m["from"] in STEP1_OUT and m["to"] in STEP2]
    assert state["waiting"]["emails"] == len(newly_invited)  # rescoring never e-mails them


def test_artifacts_show_ids_and_counts_but_no_personal_data(rescored):
    ws, *_ = rescored
    people = pd.read_csv(ws.root / "exports" / "applicants.csv", encoding="utf-8-sig")

    async def read():
        async with get_client() as client:
            return await client.read_artifacts()

    artifacts = asyncio.run(read())
    text = "\n".join(str(a.data) for a in artifacts)
    assert "shortlist" in {a.key for a in artifacts}
    assert not [v for v in [*people["name"].dropna(), *people["email"].dropna()] if v in text]


def test_the_deployments_run_each_stage_and_rescore_at_two_in_oslo(programme_copy):
    ws, _ = programme_copy
    served = {d.flow_name: d for d in deployments(ws.root)}
    assert set(served) == {"intake", "videos", "shortlist", "match", "notify", "rescore"}
    assert all(d.parameters == {"workspace": str(ws.root)} for d in served.values())
    (nightly,) = served["rescore"].schedules
    assert (nightly.schedule.cron, nightly.schedule.timezone) == ("0 2 * * *", "Europe/Oslo")
    assert not served["intake"].schedules


def test_no_log_line_of_any_run_names_an_applicant(rescored):
    ws, *_ = rescored
    people = pd.read_csv(ws.root / "exports" / "applicants.csv", encoding="utf-8-sig")
    engine = create_engine(ws.store_url)
    with engine.connect() as conn:
        stored = pd.read_sql(select(applicants.c.birth_date, applicants.c.motivation), conn)
    engine.dispose()
    secrets = {*people["name"].dropna(), *people["email"].dropna(),
               *stored["motivation"].dropna(), *stored["birth_date"].dropna().astype(str)}

    async def read() -> list[str]:
        await APILogHandler.aflush()  # logs reach the API in batches
        lines: list[str] = []
        async with get_client() as client:
            while page := await client.read_logs(offset=len(lines), limit=200):
                lines += [log.message for log in page]
        return lines

    lines = asyncio.run(read())
    for stage in ("intake", "videos", "rescore"):  # the check saw every stage's logs
        assert any(f"for flow '{stage}'" in line for line in lines), stage
    assert not [s for s in secrets if any(s in line for line in lines)]


def test_every_file_in_the_workspace_is_for_the_owner_only(rescored):
    ws, *_ = rescored
    loose = [p for p in ws.root.rglob("*") if p.stat().st_mode & 0o077 and not p.is_symlink()]
    assert loose == []
