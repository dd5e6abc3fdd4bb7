"""The store's schema version: the Alembic migrations in tasks/migrations, applied in place.

A store made before migrations existed has the tables of the first revision and no version
table; it is taken to be at that revision and upgraded from there.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from scoring.errors import StageStopped

MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001"  # the schema every version before migrations made
FIRST_TABLE = "runs"  # present in every store ever made


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@cache
def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    """The schema version this code reads and writes."""
    return str(scripts().get_current_head())


def version(conn: Connection) -> str | None:
    """The store's schema version; None for a store with no tables yet."""
    current = MigrationContext.configure(conn).get_current_revision()
    if current is None and inspect(conn).has_table(FIRST_TABLE):
        return BASELINE
    return current


def newer_than_code(current: str) -> StageStopped:
    return StageStopped(
        f"the store has schema version {current}, made by a newer version of mentoring than "
        f"this one (which knows versions up to {head()}); nothing was changed. Run the newer "
        "version, or ask whoever upgraded it.")


def known(revision: str) -> bool:
    try:
        return scripts().get_revision(revision) is not None
    except CommandError:
        return False


def upgrade(conn: Connection) -> tuple[str | None, str]:
    """Bring the store on `conn` (in a transaction the caller commits) to this code's schema;
    returns the versions before and after. Call it only while holding the stage lock."""
    current = version(conn)
    if current == head():
        return current, current
    if current is not None and not known(current):
        raise newer_than_code(current)
    config = alembic_config(conn)
    if current == BASELINE and MigrationContext.configure(conn).get_current_revision() is None:
        command.stamp(config, BASELINE)
    command.upgrade(config, "head")
    return current, head()


def require_current(conn: Connection) -> str | None:
    """The store's version when this code can read it as it is, else None (it needs an upgrade);
    a store newer than the code stops here."""
    current = version(conn)
    if current is not None and not known(current):
        raise newer_than_code(current)
    return current if current == head() else None
