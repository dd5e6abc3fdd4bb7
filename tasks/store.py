"""The store (SQLAlchemy Core): one schema for SQLite and PostgreSQL, one transaction a stage."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    make_url,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import (
    ArgumentError,
    DataError,
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
    ProgrammingError,
    SQLAlchemyError,
)
from sqlalchemy.types import TypeEngine

from scoring.errors import StageStopped
from scoring.funnel import combine_stages, status_counts
from scoring.record import FIELDS, OUTCOME, Status, stored
from scoring.submissions import verdicts_of
from tasks import schema, task
from tasks.workspace import Workspace

if TYPE_CHECKING:
    from tasks.packets import Packet

LOCK_WAIT_S = 30.0  # how long a write waits for a lock someone else holds on the store

metadata = MetaData()

runs = Table(
    "runs", metadata,
    Column("run_id", String(64), primary_key=True),
    Column("stage", String(32), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("config_hash", String(64), nullable=False),
    Column("input_hashes", JSON, nullable=False),
    Column("counts", JSON, nullable=False),
    Column("status", String(16), nullable=False),
)

# How each kind of record field is stored.
SQL_TYPES: dict[str, TypeEngine[Any]] = {
    "id": String(64), "status": String(32), "choice": String(32), "text": Text(),
    "date": Date(), "timestamp": DateTime(), "number": Float(), "count": Integer()}


def record_table(name: str, step: int) -> Table:
    """A step's table, built from the record: its outcome, what it decides, and its run."""
    return Table(
        name, metadata,
        *(Column(field, SQL_TYPES[FIELDS[field].kind], primary_key=field == "applicant_id",
                 nullable=field not in OUTCOME) for field in stored(step)),
        Column("run_id", String(64), nullable=False),
    )


applicants = record_table("applicants", 1)
video_results = record_table("video_results", 2)
submissions = Table(
    "submissions", metadata,
    Column("file", Text, primary_key=True),
    Column("applicant_id", String(64)),
    Column("reasons", Text, nullable=False),
    Column("content_hash", String(64)),
    Column("problems", Text),
    Column("verdict", Text),
    Column("duration_s", Float),
    Column("media", Text),
    Column("poster", Text),
    Column("run_id", String(64), nullable=False),
)

# Videos received on the portal: the server's own arrival time, never a file's.
uploads = Table(
    "uploads", metadata,
    Column("file", Text, primary_key=True),
    Column("applicant_id", String(64), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("content_hash", String(64), nullable=False),
)

match_results = record_table("match_results", 3)

ranking_sheets = Table(
    "ranking_sheets", metadata,
    Column("file", Text, primary_key=True),
    Column("leader_id", String(64)),
    Column("reasons", Text, nullable=False),
    Column("run_id", String(64), nullable=False),
)

packets = Table(
    "packets", metadata,
    Column("leader_id", String(64), primary_key=True),
    Column("shortlist_id", String(32), nullable=False),
    Column("folder", Text, nullable=False),
    Column("run_id", String(64), nullable=False),
)

# Each applicant's statuses over time, append-only: a row whenever status or reasons change.
status_history = Table(
    "status_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("applicant_id", String(64), nullable=False, index=True),
    Column("status", String(32), nullable=False),
    Column("reasons", Text, nullable=False),
    Column("stage", String(32), nullable=False),
    Column("run_id", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Who reviews whom (`mentoring assign`), per stage: the panel's current assignment.
review_assignments = Table(
    "review_assignments", metadata,
    Column("stage", String(32), primary_key=True),
    Column("applicant_id", String(64), primary_key=True),
    Column("reviewer_id", String(64), primary_key=True),
    Column("run_id", String(64), nullable=False),
)

quarantine = Table(
    "quarantine", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("stage", String(32), nullable=False),
    Column("input", String(32), nullable=False),
    Column("source_file", Text, nullable=False),
    Column("source_row", Integer, nullable=False),
    Column("applicant_id", String(64)),
    Column("reasons", Text, nullable=False),
    Column("run_id", String(64), nullable=False),
)

email_log = Table(
    "email_log", metadata,
    Column("key", String(64), primary_key=True),  # stage + recipient + content hash
    Column("stage", String(32), nullable=False),
    Column("recipient_id", String(64), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("transport", String(16), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False),
    Column("run_id", String(64), nullable=False),
    Column("outcome", String(64)),  # what the letter told, when it tells an applicant one
    Column("deadline", Date),  # the video deadline the letter gave
)


_opened: dict[str, Engine] = {}


@contextmanager
def open_store(ws: Workspace) -> Iterator[Engine]:
    """The workspace's store for one command: one engine, opened here and closed at the end;
    every store call of the command goes through it. Inside a process that has it open already
    (the portal running a stage), it is that engine, left open."""
    url = ws.store_url
    if url in _opened:
        yield _opened[url]
        return
    with store_errors():
        engine = make_engine(url)
    _opened[url] = engine
    try:
        yield engine
    finally:
        del _opened[url]
        engine.dispose()


def make_engine(url: str) -> Engine:
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return create_engine(url, connect_args={"timeout": LOCK_WAIT_S})
    if backend != "postgresql":
        raise NoSuchModuleError(f"{backend} is neither SQLite nor PostgreSQL")
    try:
        engine = create_engine(url)
    except ImportError as missing:
        raise NoSuchModuleError(f"the driver {missing.name!r} is not installed") from None
    event.listen(engine, "connect", wait_for_locks_at_most)
    return engine


def engine_for(ws: Workspace) -> Engine:
    try:
        return _opened[ws.store_url]
    except KeyError:
        raise RuntimeError("the store is used before it was opened (open_store)") from None


@contextmanager
def connected(ws: Workspace, write: bool = False) -> Iterator[Connection]:
    """A connection to the opened store, in a transaction when writing; a store error becomes
    a message that says what to do."""
    engine = engine_for(ws)
    with store_errors(), (engine.begin() if write else engine.connect()) as conn:
        yield conn


def upgrade_store(ws: Workspace) -> None:
    """Bring the store to this code's schema, in one transaction. Only under the stage lock."""
    with connected(ws, write=True) as conn:
        before, after = schema.upgrade(conn)
    if before is not None and before != after:
        logging.getLogger("mentoring").warning("the store was upgraded from schema version %s "
                                               "to %s", before, after)


def schema_version(ws: Workspace) -> str | None:
    """The store's schema version when this code can read it as it is, else None."""
    with connected(ws) as conn:
        return schema.require_current(conn)


def wait_for_locks_at_most(dbapi_connection, _record) -> None:
    """Give up on a row or table lock another session holds after LOCK_WAIT_S, as SQLite does,
    rather than wait for ever. Set outside a transaction, so that a rollback keeps it."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{LOCK_WAIT_S * 1000:.0f}ms'")
    dbapi_connection.autocommit = autocommit


# What to do about each kind of store error; the first matching class wins.
ADVICE: tuple[tuple[type[Exception], str], ...] = (
    (NoSuchModuleError, "MENTORING_DATABASE_URL names a kind of database this installation "
                        "cannot reach; use sqlite:/// or postgresql+psycopg://"),
    (ArgumentError, "MENTORING_DATABASE_URL is not a database address (e.g. "
                    "postgresql+psycopg://user@host/db); correct it, then run again"),
    (IntegrityError, "the store refused rows that break its rules; the store may have been "
                     "changed by hand. Run the stage again; if it fails the same way, restore "
                     "the store from a backup and report the run id"),
    (DataError, "the store refused a value; run `mentoring status`, then the stage again, "
                "and report the run id if it fails the same way"),
    (ProgrammingError, "the store's tables are not what this version expects, or its user "
                       "lacks rights; check the database user's rights and that no table "
                       "was changed by hand"),
    (SQLAlchemyError, "check MENTORING_DATABASE_URL or what holds the database, then run "
                      "again"),
)


def store_problem(exc: SQLAlchemyError) -> StageStopped:
    orig = getattr(exc, "orig", None)
    reason = str(orig or exc).strip().splitlines()[0]
    # SQLite says of a table or column that is not there what PostgreSQL says with its own class.
    if reason.startswith(("no such table", "no such column")):
        exc = ProgrammingError(None, None, orig or exc)
    advice = next(text for kind, text in ADVICE if isinstance(exc, kind))
    return StageStopped(f"the store cannot be used ({reason}); nothing was published. "
                        f"{advice[0].upper()}{advice[1:]}.")


@contextmanager
def store_errors() -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as exc:
        raise store_problem(exc) from None


@dataclass
class RunRecord:
    run_id: str
    stage: str
    config_hash: str
    input_hashes: dict[str, str]
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


def columns_of(frame: pd.DataFrame, table: Table) -> tuple[list[str], list[list]]:
    """The frame's columns as the table stores them, as plain Python values (NA -> None),
    column by column: half the time of `DataFrame.to_dict("records")`. A column the table
    lacks is an error, never dropped: a field added to the record needs its migration."""
    unknown = [name for name in frame.columns if name not in table.c]
    if unknown:
        raise ValueError(f"the store's {table.name} table has no column {', '.join(unknown)}; "
                         "add the field to scoring/record.py with a migration")
    names, columns = [], []
    for spec in table.columns:
        if spec.name not in frame.columns:
            continue
        column = frame[spec.name]
        if isinstance(spec.type, Date):
            column = pd.to_datetime(column).dt.date
        elif isinstance(spec.type, Integer):  # counts with gaps come as floats; COPY wants 1
            column = column.astype("Int64")
        names.append(spec.name)
        columns.append(column.astype(object).where(column.notna(), None).tolist())
    return names, columns


def insert_run(conn, run: RunRecord, counts: dict[str, int], status: str = "published") -> None:
    conn.execute(runs.insert().values(
        run_id=run.run_id, stage=run.stage, started_at=run.started_at,
        finished_at=dt.datetime.now(dt.UTC), config_hash=run.config_hash,
        input_hashes=run.input_hashes, counts=json.loads(json.dumps(counts)),
        status=status))


def replace_rows(conn, table: Table, frame: pd.DataFrame, run_id: str, **where: str) -> None:
    """Delete the table's rows (of one stage, when `where` says so) and insert the frame's."""
    delete = table.delete()
    for column, value in where.items():
        delete = delete.where(table.c[column] == value)
    conn.execute(delete)
    insert_rows(conn, table, frame.assign(run_id=run_id, **where))


def insert_rows(conn, table: Table, frame: pd.DataFrame) -> None:
    """The frame's rows added to the table in bulk: COPY on PostgreSQL; on SQLite one
    `executemany` of the driver's own, its values made as SQLAlchemy would make them (its
    INSERT of a dict per row took 3.2 s for 100k applicants, this 1.7 s)."""
    names, columns = columns_of(frame, table)
    if not names or not columns[0]:
        return
    if conn.dialect.name == "postgresql":
        copy_rows(conn, table, names, zip(*columns, strict=True))
        return
    for number, name in enumerate(names):
        make = table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        if make and isinstance(table.c[name].type, Date | DateTime):
            # Each distinct time is made once: a run's rows share their times.
            made = {value: make(value) for value in set(columns[number])}
            columns[number] = [made[value] for value in columns[number]]
        elif make:
            columns[number] = [make(value) for value in columns[number]]
    command = (f"INSERT INTO {table.name} ({', '.join(names)}) "
               f"VALUES ({', '.join('?' * len(names))})")
    conn.exec_driver_sql(command, list(zip(*columns, strict=True)))


def copy_rows(conn, table: Table, names: list[str], rows: Iterable[tuple]) -> None:
    """PostgreSQL's bulk path, COPY, inside the stage's transaction: four times as fast as an
    INSERT per row (1 s for 200k applicants instead of 4)."""
    command = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
    driver_error = conn.dialect.loaded_dbapi.Error
    try:
        with conn.connection.driver_connection.cursor() as cursor, cursor.copy(command) as copy:
            for row in rows:
                copy.write_row(row)
    except driver_error as exc:  # the driver's own error, as SQLAlchemy would have wrapped it
        raise DBAPIError.instance(command, None, exc, driver_error) from None


def publish(ws: Workspace, run: RunRecord, counted: pd.DataFrame,
            *changes: tuple[Table, pd.DataFrame, dict[str, str]]) -> dict[str, int]:
    """Replace each table's rows (where the dict says, e.g. this stage's quarantine) with the
    frame's, and add the run row with the statuses of `counted`, in one transaction: readers
    see the previous state or this one, never a mix, and a crash leaves the previous one.
    Returns the counts recorded."""
    counts = status_counts(counted)
    with connected(ws, write=True) as conn:
        for table, frame, where in changes:
            replace_rows(conn, table, frame, run.run_id, **where)
        record_moves(conn, run)
        insert_run(conn, run, counts)
    return counts


def record_moves(conn, run: RunRecord) -> None:
    """Add to each applicant's history the status and reasons they now have where these differ
    from the last recorded, reading the published state back in the transaction that changed
    it."""
    steps = [pd.read_sql(select(t.c.applicant_id, t.c.status, t.c.reasons), conn)
             .set_index("applicant_id") for t in (applicants, video_results, match_results)]
    now = combine_stages(*steps)[["status", "reasons"]]
    recorded = select(status_history.c.applicant_id, status_history.c.status,
                      status_history.c.reasons).order_by(status_history.c.id)
    last = (pd.read_sql(recorded, conn).drop_duplicates("applicant_id", keep="last")
            .set_index("applicant_id").reindex(now.index))
    moved = now[now["status"].ne(last["status"]) | now["reasons"].ne(last["reasons"])]
    insert_rows(conn, status_history, moved.reset_index().assign(
        stage=run.stage, run_id=run.run_id, at=dt.datetime.now(dt.UTC)))


def kept(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """What of a stage's working frame the table keeps: the columns it declares (a step's
    table declares the record's `stored` fields); the rest was worked out along the way."""
    return frame.reindex(columns=[c.name for c in table.columns if c.name in frame])


def step_rows(table: pd.DataFrame, step: int) -> pd.DataFrame:
    """A step's table as stored: one row per applicant with the record's fields for the step."""
    return table.reset_index().reindex(columns=list(stored(step)))


@task
def publish_intake(ws: Workspace, run: RunRecord, table: pd.DataFrame,
                   quarantined: pd.DataFrame) -> dict[str, int]:
    """Step 1's statuses and the stage's quarantine; returns the counts recorded with the run."""
    return publish(ws, run, table, (applicants, step_rows(table, 1), {}),
                   (quarantine, kept(quarantined, quarantine), {"stage": run.stage}))


@task
def publish_videos(ws: Workspace, run: RunRecord, table: pd.DataFrame, files: pd.DataFrame,
                   quarantined: pd.DataFrame) -> dict[str, int]:
    """Step 2's results, every submitted file and the stage's quarantine; returns the counts."""
    return publish(ws, run, table, (video_results, step_rows(table, 2), {}),
                   (submissions, kept(files, submissions), {}),
                   (quarantine, kept(quarantined, quarantine), {"stage": run.stage}))


@task
def publish_packets(ws: Workspace, run: RunRecord, built: list[Packet], shortlist: str,
                    table: pd.DataFrame) -> dict[str, int]:
    """Which packet folder each leader has, for which shortlist; the counts are everyone's."""
    rows = pd.DataFrame({"leader_id": [p.leader.id for p in built], "shortlist_id": shortlist,
                         "folder": [ws.relative(p.folder) for p in built]})
    return publish(ws, run, table, (packets, rows, {}))


@task
def publish_match(ws: Workspace, run: RunRecord, table: pd.DataFrame, sheets: pd.DataFrame,
                  quarantined: pd.DataFrame) -> dict[str, int]:
    """Step 3's statuses and pairs, every ranking sheet, and the stage's quarantine."""
    return publish(ws, run, table, (match_results, step_rows(table, 3), {}),
                   (ranking_sheets, kept(sheets, ranking_sheets), {}),
                   (quarantine, kept(quarantined, quarantine), {"stage": run.stage}))


@task
def publish_rescore(ws: Workspace, run: RunRecord, step1: pd.DataFrame, rejected1: pd.DataFrame,
                    step2: pd.DataFrame | None = None, files: pd.DataFrame | None = None,
                    rejected2: pd.DataFrame | None = None) -> None:
    """Steps 1 and 2 as rescored, replacing what their stages published, in one transaction."""
    changes = [(applicants, step_rows(step1, 1), {}),
               (quarantine, kept(rejected1, quarantine), {"stage": "intake"})]
    if step2 is not None and files is not None and rejected2 is not None:
        changes += [(video_results, step_rows(step2, 2), {}),
                    (submissions, kept(files, submissions), {}),
                    (quarantine, kept(rejected2, quarantine), {"stage": "videos"})]
    publish(ws, run, step1, *changes)


def rewrite_store(ws: Workspace) -> None:
    """Rewrite the store's files once personal rows are deleted: until then they linger on
    disk (SQLite's free pages, PostgreSQL's dead tuples)."""
    engine = engine_for(ws)
    vacuum = ("VACUUM" if engine.dialect.name == "sqlite" else
              "VACUUM FULL " + ", ".join(table.name for table in metadata.sorted_tables))
    with store_errors(), engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text(vacuum))


@task
def record_run(ws: Workspace, run: RunRecord, counts: dict[str, int], status: str) -> None:
    """A run that published nothing: a rescoring with nothing new, reminders sent."""
    with connected(ws, write=True) as conn:
        insert_run(conn, run, counts, status=status)


@task
def load_verdicts(ws: Workspace) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Step 2's published record: every file as matched, and the verdicts of the live ones."""
    rows = read_table(ws, submissions)
    return rows[["file", "applicant_id", "reasons"]], verdicts_of(rows)


@task
def last_rescore(ws: Workspace) -> dict | None:
    """The latest rescoring run (its input fingerprints) with the config hash that last
    published step 1, or None before the first rescoring."""
    history = run_history(ws)
    rescored = history[history["stage"] == "rescore"]
    if rescored.empty:
        return None
    publishers = history[history["stage"].isin(["intake", "rescore"])
                         & (history["status"] == "published")]
    return {"input_hashes": rescored["input_hashes"].iloc[-1],
            "config_hash": publishers["config_hash"].iloc[-1]}


def run_history(ws: Workspace) -> pd.DataFrame:
    """Every stage run, oldest first: stage, times, status, counts and input fingerprints."""
    return read_table(ws, runs).sort_values("started_at", kind="stable").reset_index(drop=True)


def read_tables(ws: Workspace, *tables: Table) -> list[pd.DataFrame]:
    """The tables' rows, read through one connection."""
    with connected(ws) as conn:
        return [pd.read_sql(table.select(), conn) for table in tables]


def read_table(ws: Workspace, table: Table) -> pd.DataFrame:
    return read_tables(ws, table)[0]


def published(ws: Workspace) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The combined published state, one row per applicant id, and the whole quarantine."""
    *steps, rows = read_tables(ws, applicants, video_results, match_results, quarantine)
    return combine_stages(*(step.set_index("applicant_id") for step in steps)), rows


@task
def chosen_before(ws: Workspace, step: int) -> pd.Index | None:
    """Once the shortlist has gone to the leaders (its packets are published), whom the step
    chose: step 1 invited, step 2 shortlisted; from then on neither chooses anew. None
    before."""
    table, chosen = {1: (applicants, Status.INVITED), 2: (video_results, Status.SHORTLISTED)}[step]
    with connected(ws) as conn:
        if conn.execute(select(packets.c.leader_id).limit(1)).first() is None:
            return None
        query = select(table.c.applicant_id).where(table.c.status == chosen)
        return pd.Index(conn.execute(query).scalars().all(), dtype=object)


def shortlisted_ids(ws: Workspace) -> pd.Index:
    """Who step 2 put on the shortlist, as published."""
    query = select(video_results.c.applicant_id).where(
        video_results.c.status == Status.SHORTLISTED)
    with connected(ws) as conn:
        return pd.Index(conn.execute(query).scalars().all(), dtype=object)


STEP1_MISSING = "step 1 has not been published yet; run `mentoring intake` first"


@task
def require_step1(ws: Workspace) -> None:
    """Stop unless step 1 has been published, without reading it: rescoring starts from its
    inputs, not from its table."""
    with connected(ws) as conn:
        found = conn.execute(select(applicants.c.applicant_id).limit(1)).first()
    if found is None:
        raise StageStopped(STEP1_MISSING)


@task
def load_step1(ws: Workspace) -> pd.DataFrame:
    """Step 1's published applicants, which step 2 starts from."""
    step1 = read_table(ws, applicants).set_index("applicant_id")
    if step1.empty:
        raise StageStopped(STEP1_MISSING)
    step1["birth_date"] = pd.to_datetime(step1["birth_date"])
    return step1


def applicant(ws: Workspace, applicant_id: str) -> dict[str, Any] | None:
    """One applicant's published step 1 row, or None for an id nobody has."""
    query = applicants.select().where(applicants.c.applicant_id == applicant_id)
    with connected(ws) as conn:
        row = conn.execute(query).mappings().first()
    return dict(row) if row else None
