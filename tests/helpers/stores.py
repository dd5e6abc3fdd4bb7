"""The store under test: SQLite files, or PostgreSQL with a schema per workspace.

`make test` runs the tests twice, side by side: on each workspace's own SQLite file, and with
`--store postgresql`, where each workspace gets a schema of its own in the test database, as
each programme in production gets a database of its own (docs/deploy.md).
"""

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, func, inspect, select, text

from tasks import schema
from tasks.store import metadata, open_store, upgrade_store
from tasks.workspace import Workspace

# CI points this at a throwaway database (.ci/run); locally the machine's PostgreSQL, if any.
POSTGRES = os.environ.get("MENTORING_TEST_POSTGRES_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def postgres_problem() -> str | None:
    try:
        engine = create_engine(POSTGRES, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:  # any reason it cannot be used is a reason to skip
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    return None


class SchemaPerWorkspace:
    """A PostgreSQL schema for each workspace folder, made on first use."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.admin = create_engine(server)
        self.schemas: dict[Path, str] = {}

    def url(self, root: Path) -> str:
        root = Path(root).resolve()
        if root not in self.schemas:
            self.schemas[root] = f"t_{uuid.uuid4().hex[:12]}"
            with self.admin.begin() as conn:
                conn.execute(text(f"CREATE SCHEMA {self.schemas[root]}"))
        return f"{self.server}?options=-csearch_path%3D{self.schemas[root]}"

    def copy(self, source: Path, target: Path) -> None:
        """Give `target` a copy of `source`'s store, as copying a folder copies its SQLite file."""
        origin, copy = create_engine(self.url(source)), create_engine(self.url(target))
        with origin.connect() as read, copy.begin() as write:
            schema.upgrade(write)
            for table in metadata.sorted_tables:
                rows = read.execute(select(table)).mappings().all()
                if rows:
                    write.execute(table.insert(), [dict(row) for row in rows])
                for column in table.primary_key.columns:
                    if column.autoincrement is True:  # go on numbering after the copied rows
                        write.execute(text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', "
                            f"'{column.name}'), (SELECT max({column.name}) FROM {table.name}))"))
        origin.dispose()
        copy.dispose()

    def drop_all(self) -> None:
        with self.admin.begin() as conn:
            for schema in self.schemas.values():
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        self.admin.dispose()


def cli_env(root: Path) -> dict[str, str]:
    """The environment for a `mentoring` process on `root`: the store this session gives it."""
    url = Workspace(Path(root)).own_store_url
    return {**os.environ, "MENTORING_DATABASE_URL": url}


def rows(ws: Workspace, table) -> int:
    """How many rows `table` holds in the workspace's store (0 before the store is made)."""
    engine = create_engine(ws.store_url)
    try:
        if not inspect(engine).has_table(table.name):
            return 0
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(table)).scalar()
    finally:
        engine.dispose()


@contextmanager
def opened(ws: Workspace) -> Iterator[Workspace]:
    """The workspace with its store open and at this code's schema, as a stage has it."""
    with open_store(ws):
        upgrade_store(ws)
        yield ws


def make_legacy(ws: Workspace) -> None:
    """Turn the workspace's store into one as every version before migrations left it: the
    first revision's tables (what `metadata.create_all` made then), no version table, and the
    rows it had."""
    engine = create_engine(ws.store_url)
    with engine.begin() as conn:
        command.downgrade(schema.alembic_config(conn), schema.BASELINE)
        conn.execute(text("DROP TABLE alembic_version"))
    engine.dispose()


@contextmanager
def store_locked(ws: Workspace) -> Iterator[None]:
    """Another session holding the store's write lock: a SQLite transaction, or an exclusive
    PostgreSQL table lock."""
    url = ws.store_url
    if url.startswith("sqlite"):
        holder = sqlite3.connect(ws.root / "mentoring.db", timeout=0)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            holder.rollback()
            holder.close()
        return
    engine = create_engine(url)
    try:
        with engine.connect() as conn:  # the lock lasts until the connection rolls back
            conn.execute(text("LOCK TABLE applicants IN ACCESS EXCLUSIVE MODE"))
            yield
    finally:
        engine.dispose()
