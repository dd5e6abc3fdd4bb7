"""The store's schema, made and changed by migrations only, and every store error as a message
that says what to do; on SQLite and (with --store postgresql) PostgreSQL."""

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from scoring.errors import StageStopped
from stores import make_legacy, opened
from tasks import schema
from tasks.store import RunRecord, applicants, connected, metadata, publish_intake, upgrade_store
from tasks.workspace import init_workspace

NO_ROWS = pd.DataFrame(columns=["input", "source_file", "source_row", "applicant_id", "reasons"])
PEOPLE = pd.DataFrame({"applicant_id": ["A1", "A2"], "status": "invited", "reasons": "",
                       "name": ["Åse", "Bjørn"], "consent": "yes",
                       "immigrant_background": ["unknown", "no"]}).set_index("applicant_id")


def stored_people(ws) -> pd.DataFrame:
    with connected(ws) as conn:
        return pd.read_sql(select(applicants).order_by(applicants.c.applicant_id), conn)


def test_a_new_store_is_made_by_the_migrations_exactly_as_the_record_describes(ws):
    with connected(ws) as conn:
        assert schema.version(conn) == schema.head()
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_a_store_from_before_migrations_is_upgraded_in_place_with_nothing_lost(ws):
    publish_intake.fn(ws, RunRecord("r1", "intake", "c", {}), PEOPLE, NO_ROWS)
    before = stored_people(ws)
    make_legacy(ws)
    with connected(ws) as conn:
        assert schema.version(conn) == schema.BASELINE
        columns = {c["name"]: c["type"] for c in inspect(conn).get_columns("applicants")}
        assert columns["consent"].length == 8
    upgrade_store(ws)
    with connected(ws) as conn:
        assert schema.version(conn) == schema.head()
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    pd.testing.assert_frame_equal(stored_people(ws), before)


def test_upgrading_a_current_store_changes_nothing(ws):
    publish_intake.fn(ws, RunRecord("r1", "intake", "c", {}), PEOPLE, NO_ROWS)
    before = stored_people(ws)
    upgrade_store(ws)
    pd.testing.assert_frame_equal(stored_people(ws), before)


def test_a_store_newer_than_the_code_stops_with_a_message_and_is_left_alone(ws):
    with connected(ws, write=True) as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    newer = (r"schema version 9999, made by a newer version of mentoring than this one \(which "
             rf"knows versions up to {schema.head()}\); nothing was changed")
    with pytest.raises(StageStopped, match=newer):
        upgrade_store(ws)
    with connected(ws) as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"


@pytest.mark.parametrize(("url", "advice"), [
    ("not a database", "MENTORING_DATABASE_URL is not a database address"),
    ("mysql+pymysql://hr@127.0.0.1/mentoring", "names a kind of database this installation"),
    ("postgresql://hr@127.0.0.1:1/mentoring", "the driver 'psycopg2' is not installed"),
    ("postgresql+psycopg://nobody@127.0.0.1:1/gone?connect_timeout=2",
     "Check MENTORING_DATABASE_URL or what holds the database"),
])
def test_a_store_address_that_cannot_work_is_named_with_what_to_do(tmp_path, monkeypatch, url,
                                                                    advice):
    monkeypatch.setenv("MENTORING_DATABASE_URL", url)
    with pytest.raises(StageStopped, match=advice), opened(init_workspace(tmp_path / "ws")):
        pass


def test_a_table_removed_by_hand_is_named_with_what_to_do(ws):
    with connected(ws, write=True) as conn:
        conn.execute(text("DROP TABLE quarantine"))
    missing = r"quarantine.*nothing was published\. The store's tables are not what this version"
    with pytest.raises(StageStopped, match=missing):
        publish_intake.fn(ws, RunRecord("r1", "intake", "c", {}), PEOPLE, NO_ROWS)
    assert stored_people(ws).empty


def test_a_value_the_store_refuses_is_named_with_what_to_do(ws):
    if ws.store_url.startswith("sqlite"):
        pytest.skip("SQLite keeps text of any length; PostgreSQL refuses an over-long id")
    too_long = PEOPLE.rename(index={"A1": "A" * 65})
    with pytest.raises(StageStopped, match=r"too long.*nothing was published\. The store "
                                           "refused a value"):
        publish_intake.fn(ws, RunRecord("r1", "intake", "c", {}), too_long, NO_ROWS)
