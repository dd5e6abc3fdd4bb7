"""Two stage runs at once on one programme, as when HR runs intake while the nightly rescoring
is busy: one waits for the other, and nothing is lost or doubled."""

import pandas as pd
from sqlalchemy import create_engine, select

from cli import start
from flows.intake import intake
from flows.runtime import run_stage
from stores import rows
from tasks.store import applicants, email_log, runs
from tasks.synthetic import write_programme

IDS = 119  # 120 generated applications and a correction of one, less the row without an id


def test_intake_and_rescoring_at_once_take_turns_and_double_nothing(tmp_path):
    ws = write_programme(tmp_path / "ws", applicants=120)
    run_stage(intake, workspace=str(ws.root))

    both = [start("intake", ws.root), start("rescore", ws.root)]
    logs = [process.communicate(timeout=300)[0] for process in both]
    assert [process.returncode for process in both] == [0, 0], logs

    engine = create_engine(ws.store_url)
    with engine.connect() as conn:
        history = pd.read_sql(select(runs).order_by(runs.c.started_at), conn)
    engine.dispose()
    assert sorted(history["stage"]) == ["intake", "intake", "rescore"]
    assert (history["started_at"].iloc[1:].to_numpy()
            >= history["finished_at"].iloc[:-1].to_numpy()).all()  # one after the other
    assert rows(ws, applicants) == IDS
    assert len(list((ws.root / "outbox").glob("*.eml"))) == rows(ws, email_log)  # none twice
