"""A programme running when the software is upgraded: its store, made before migrations
existed, is upgraded in place by the next stage, and every stage goes on from it."""

import pandas as pd
from sqlalchemy import create_engine, select, text

from factories import fill_ranking_sheet
from flows.intake import intake
from flows.match import match
from flows.rescore import rescore
from flows.runtime import run_stage
from flows.shortlist import shortlist
from flows.videos import videos
from stores import make_legacy
from tasks import schema
from tasks.store import applicants, email_log, runs, video_results


def read(ws, table) -> pd.DataFrame:
    engine = create_engine(ws.store_url)
    with engine.connect() as conn:
        frame = pd.read_sql(select(table), conn)
    engine.dispose()
    return frame


def version(ws) -> str:
    engine = create_engine(ws.store_url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()
    return str(found)


def test_every_stage_runs_on_a_store_from_before_migrations_and_loses_nothing(
        after_videos, copy_workspace, tmp_path):
    root, _, _ = after_videos
    ws = copy_workspace(root, tmp_path / "ws")
    make_legacy(ws)
    people, results, history = read(ws, applicants), read(ws, video_results), read(ws, runs)

    run_stage(shortlist, workspace=str(ws.root))
    assert version(ws) == schema.head()
    for leader in ("L1", "L2"):
        sheet = next((ws.root / "packets" / leader).glob("*.xlsx"))
        fill_ranking_sheet(sheet, ws.inbox("rankings") / sheet.name)
    matched = run_stage(match, workspace=str(ws.root))
    assert matched["counts"]["matched"] == 4
    run_stage(rescore, workspace=str(ws.root))
    again = run_stage(intake, workspace=str(ws.root))
    run_stage(videos, workspace=str(ws.root))

    # The same inputs decide the same: every applicant and video result is as it was.
    columns = [c for c in people.columns if c != "run_id"]
    pd.testing.assert_frame_equal(read(ws, applicants)[columns].sort_values("applicant_id")
                                  .reset_index(drop=True),
                                  people[columns].sort_values("applicant_id")
                                  .reset_index(drop=True))
    # A late video stays late; the deadline it names is the one the old letters gave, as the
    # ledger before the upgrade kept no deadlines.
    after = read(ws, video_results).sort_values("applicant_id").reset_index(drop=True)
    before = results.sort_values("applicant_id").reset_index(drop=True)
    columns = [c for c in results.columns if c != "run_id"]
    undated = {"reasons": {r"\d{4}-\d\d-\d\d": "the deadline"}}
    pd.testing.assert_frame_equal(after[columns].replace(undated, regex=True),
                                  before[columns].replace(undated, regex=True))
    assert set(history["run_id"]) < set(read(ws, runs)["run_id"])
    assert again["counts"] == history.loc[history["stage"] == "intake", "counts"].iloc[-1]
    invitations = read(ws, email_log).query("stage == 'intake'")
    assert invitations["recipient_id"].is_unique  # nobody invited twice across the upgrade
