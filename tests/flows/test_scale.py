"""Scale-out: the whole of step 1 on PostgreSQL, and step 2's videos on a Dask cluster."""

import shutil

import pandas as pd
import pytest

from flows.intake import intake
from flows.runtime import run_stage
from flows.videos import videos
from stores import fresh_schema
from tasks.synthetic import write_programme


@pytest.fixture(scope="module")
def on_postgres(postgres_server, tmp_path_factory):
    """Intake twice with the store on PostgreSQL; the setting lasts only as long as the runs,
    so that no other fixture builds its programme there."""
    url, drop = fresh_schema(postgres_server)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("MENTORING_DATABASE_URL", url)
            ws = write_programme(tmp_path_factory.mktemp("pg") / "ws", applicants=150)
            first = run_stage(intake, workspace=str(ws.root))
            second = run_stage(intake, workspace=str(ws.root))
    finally:
        drop()
    return ws, first, second


def test_intake_on_postgresql_accounts_for_every_row_and_reruns_cleanly(on_postgres):
    ws, first, second = on_postgres
    people = pd.read_csv(first["outputs"]["applicants_csv"], encoding="utf-8-sig")
    quarantine = pd.read_csv(first["outputs"]["quarantine_csv"], encoding="utf-8-sig")
    rows = (len(pd.read_csv(ws.inbox("applications") / "skjema-eksport.csv", sep=";"))
            + len(pd.read_excel(ws.inbox("applications") / "sene-soknader.xlsx")))
    live = people[people["status"] != "quarantined"]
    assert len(live) + (quarantine["input"] == "applications").sum() == rows
    assert second["counts"] == first["counts"]
    assert not (ws.root / "mentoring.db").exists()  # the store really was PostgreSQL


def test_videos_on_a_two_worker_dask_cluster_get_the_same_verdicts(programme_copy, tmp_path):
    ws, _ = programme_copy
    threaded = pd.read_csv(ws.root / "exports" / "applicants.csv", encoding="utf-8-sig")
    shutil.rmtree(ws.root / "media")  # decode again, in the Dask workers
    (ws.root / "media").mkdir()
    config = ws.program_file.read_text()
    ws.program_file.write_text(config.replace("max_megabytes = 500",
                                              'max_megabytes = 500\nrunner = "dask"'))
    summary = run_stage(videos, workspace=str(ws.root))
    on_dask = pd.read_csv(summary["outputs"]["applicants_csv"], encoding="utf-8-sig")
    columns = ["applicant_id", "status", "reasons", "final_score"]
    pd.testing.assert_frame_equal(on_dask[columns], threaded[columns])
    assert len(list((ws.root / "media").glob("*.mp4"))) == summary["counts"]["shortlisted"] + 2
