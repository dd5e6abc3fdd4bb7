"""PostgreSQL for the tests: where it is, whether it answers, and a fresh schema per use."""

import os
import uuid
from collections.abc import Callable

from sqlalchemy import create_engine, text

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


def fresh_schema(server: str) -> tuple[str, Callable[[], None]]:
    """A new schema in the test database and a store URL that uses it, with its clean-up."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(server)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))

    def drop() -> None:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()

    return f"{server}?options=-csearch_path%3D{schema}", drop
