"""Alembic's environment: migrations run on the connection the pipeline opened, inside its
transaction (tasks/store.py), or, from the `alembic` command, on MENTORING_DATABASE_URL."""

from alembic import context
from sqlalchemy import create_engine

from tasks.settings import load_settings
from tasks.store import metadata


def run(connection) -> None:
    # SQLite cannot alter a column in place: batch mode copies the table with the change.
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


opened = context.config.attributes.get("connection")
if opened is not None:
    run(opened)
else:
    url = load_settings().database_url
    if not url:
        raise SystemExit("set MENTORING_DATABASE_URL to the store to migrate")
    engine = create_engine(url)
    with engine.begin() as connection:
        run(connection)
    engine.dispose()
