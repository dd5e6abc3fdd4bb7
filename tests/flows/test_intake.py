"""Step 1 as a real Prefect flow run on a generated programme."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy import create_engine, func, select

from flows.intake import intake
from flows.runtime import run_stage
from scoring.errors import StageStopped
from tasks.store import applicants, email_log, runs
from tasks.synthetic import write_programme


@pytest.fixture(scope="module")
def programme(tmp_path_factory):
    ws = write_programme(tmp_path_factory.mktemp("programme") / "ws", applicants=200)
    first = run_stage(intake, workspace=str(ws.root))
    return ws, first


def input_rows(ws) -> int:
    total = 0
    for path in (ws.root / "inbox" / "applications").iterdir():
        if path.suffix == ".csv":
            total += len(pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig"))
        else:
            total += len(pd.read_excel(path))
    return total


def published(ws) -> pd.DataFrame:
    engine = create_engine(ws.store_url)
    with engine.connect() as conn:
        return pd.read_sql(select(applicants).order_by(applicants.c.applicant_id), conn)


def test_every_application_row_is_a_live_applicant_or_quarantined_exactly_once(programme):
    ws, summary = programme
    people = pd.read_csv(summary["outputs"]["applicants_csv"], encoding="utf-8-sig")
    quarantine = pd.read_csv(summary["outputs"]["quarantine_csv"], encoding="utf-8-sig")
    live = people[people["status"] != "quarantined"]
    bad_apps = quarantine[quarantine["input"] == "applications"]
    assert len(live) + len(bad_apps) == input_rows(ws)
    assert not bad_apps.duplicated(["source_file", "source_row"]).any()
    assert (quarantine["reasons"].str.len() > 0).all()
    assert people["applicant_id"].is_unique


def test_exactly_the_configured_number_are_invited_within_the_quotas(programme):
    _, summary = programme
    people = pd.read_csv(summary["outputs"]["applicants_csv"], encoding="utf-8-sig")
    invited = people[people["status"] == "invited"]
    assert len(invited) == summary["counts"]["invited"] == 30
    assert (invited["staff_category"] == "civilian").sum() >= 10
    assert (invited["staff_category"] == "operational").sum() >= 10


def test_the_invited_get_one_invitation_each_in_the_outbox(programme):
    ws, summary = programme
    letters = list((ws.root / "outbox").glob("intake-*.eml"))
    assert len(letters) == summary["counts"]["invited"]
    assert "Omvendt mentoring" in letters[0].read_text()


def test_the_report_names_the_funnel_and_the_quarantine_in_norwegian(programme):
    _, summary = programme
    html = Path(summary["outputs"]["report"]).read_text(encoding="utf-8")
    assert "Trakten" in html and "invitert til video" in html
    assert "31.02.1995" in html  # the broken birth date, shown with its reason


def test_a_rerun_with_the_same_inputs_changes_and_duplicates_nothing(programme):
    ws, first = programme
    before = published(ws)
    letters_before = sorted(p.name for p in (ws.root / "outbox").iterdir())
    second = run_stage(intake, workspace=str(ws.root))
    assert second["counts"] == first["counts"]
    pd.testing.assert_frame_equal(published(ws).drop(columns="run_id"),
                                  before.drop(columns="run_id"))
    assert sorted(p.name for p in (ws.root / "outbox").iterdir()) == letters_before
    engine = create_engine(ws.store_url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(email_log)).scalar() == 30
        assert conn.execute(select(func.count()).select_from(runs)).scalar() >= 2


def test_a_file_missing_a_required_column_stops_intake_and_publishes_nothing(
        programme, copy_workspace, tmp_path):
    ws, _ = programme
    copy = copy_workspace(ws.root, tmp_path / "ws")
    before = published(copy)
    (copy.inbox("applications") / "extra.csv").write_text(
        "Ansattnummer;Navn\nP9;Ola\n", encoding="utf-8")
    with pytest.raises(StageStopped, match=r"extra\.csv: required column 'email'"):
        run_stage(intake, workspace=str(copy.root))
    pd.testing.assert_frame_equal(published(copy), before)


def test_quotas_that_cannot_be_met_stop_intake_saying_which(programme, copy_workspace,
                                                            tmp_path):
    ws, _ = programme
    copy = copy_workspace(ws.root, tmp_path / "ws").root
    config = (copy / "program.toml").read_text()
    (copy / "program.toml").write_text(config.replace(
        'value = "yes",         min = 4, max = 30', 'value = "yes",         min = 29'))
    with pytest.raises(StageStopped, match=r"immigrant_background=yes needs at least 29"):
        run_stage(intake, workspace=str(copy))


def test_a_rerun_another_day_tells_nobody_twice_though_the_deadline_it_would_give_moved(
        programme, copy_workspace, tmp_path):
    ws, first = programme
    copy = copy_workspace(ws.root, tmp_path / "ws")
    config = copy.program_file.read_text()
    copy.program_file.write_text(config.replace("grace_days = 3", "grace_days = 5"))
    letters = sorted(p.name for p in (copy.root / "outbox").iterdir())
    again = run_stage(intake, workspace=str(copy.root))
    assert again["counts"] == first["counts"]
    assert sorted(p.name for p in (copy.root / "outbox").iterdir()) == letters


def test_each_invitation_gives_a_deadline_that_is_still_ahead(programme):
    ws, _ = programme
    letter = next((ws.root / "outbox").glob("intake-*.eml")).read_text(encoding="utf-8")
    today = dt.datetime.now(ZoneInfo("Europe/Oslo")).date()
    due = today + dt.timedelta(days=3)  # the example's call deadline has passed
    months = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
              "september", "oktober", "november", "desember")
    assert f"innen {due.day}. {months[due.month - 1]} {due.year}" in letter


def test_a_nul_in_a_cell_reaches_no_store_and_sinks_no_file(programme, copy_workspace, tmp_path):
    ws, first = programme
    copy = copy_workspace(ws.root, tmp_path / "ws")
    export = next(copy.inbox("applications").glob("*.csv"))
    data = export.read_bytes()
    data = data.replace("Sæther".encode(), "Sæ\x00ther".encode(), 1)
    export.write_bytes(data)
    again = run_stage(intake, workspace=str(copy.root))
    assert again["counts"] == first["counts"]
    names = published(copy)["name"].dropna()
    assert not names.str.contains("\x00").any() and names.str.contains("Sæther").any()
