import pytest

from stores import POSTGRES, fresh_schema, postgres_problem


@pytest.fixture(scope="session")
def postgres_server():
    problem = postgres_problem()
    if problem:
        pytest.skip(f"PostgreSQL is not reachable ({problem}); start it or set "
                    "MENTORING_TEST_POSTGRES_URL to run the PostgreSQL tests")
    return POSTGRES


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, monkeypatch):
    """Runs a test once on each store: the workspace's SQLite file, then PostgreSQL."""
    if request.param == "sqlite":
        monkeypatch.delenv("MENTORING_DATABASE_URL", raising=False)
        yield "sqlite"
        return
    url, drop = fresh_schema(request.getfixturevalue("postgres_server"))
    monkeypatch.setenv("MENTORING_DATABASE_URL", url)
    yield "postgresql"
    drop()
