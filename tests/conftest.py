import shutil
from pathlib import Path

import pytest

import flows  # noqa: F401  (Prefect's offline defaults, before anything imports Prefect)

# isort: split
from prefect.settings import PREFECT_API_URL, PREFECT_RESULTS_LOCAL_STORAGE_PATH, temporary_settings
from prefect.testing.utilities import prefect_test_harness

from stores import POSTGRES, SchemaPerWorkspace, postgres_problem
from tasks.workspace import Workspace


def pytest_addoption(parser):
    parser.addoption("--store", choices=["sqlite", "postgresql"], default="sqlite",
                     help="the store every workspace in the tests uses (default: sqlite)")


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL only what the store could change: a test marked store_independent (a
    browser, Dask's workers, Prefect's server, what a command prints before or beside the
    store) proves the same on any store, and its run on SQLite is the proof."""
    if config.getoption("store") != "postgresql":
        return
    keep, same = [], []
    for item in items:
        (same if item.get_closest_marker("store_independent") else keep).append(item)
    config.hook.pytest_deselected(items=same)
    items[:] = keep


def pytest_sessionstart(session):
    if session.config.getoption("store") == "postgresql" and (problem := postgres_problem()):
        pytest.exit(f"PostgreSQL is not reachable ({problem}), so the tests on PostgreSQL did "
                    "not run. Start it, or set MENTORING_TEST_POSTGRES_URL, to run them.",
                    returncode=0)


@pytest.fixture(scope="session", autouse=True)
def prefect_home(tmp_path_factory):
    """Prefect keeps what it writes in the session's own folder: not the developer's
    ~/.prefect, and not the one a parallel session uses."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PREFECT_HOME", str(tmp_path_factory.mktemp("prefect-home")))
        yield


@pytest.fixture(scope="session")
def prefect_api(prefect_home, tmp_path_factory):
    """One Prefect server for the session, on a database of its own: the flows the tests run
    and the `mentoring` processes they start report to it, so none of them starts the local
    server HR's stages share (flows/server.py)."""
    results = tmp_path_factory.mktemp("prefect-results")
    with temporary_settings(updates={PREFECT_RESULTS_LOCAL_STORAGE_PATH: results}), \
            prefect_test_harness(server_startup_timeout=90), pytest.MonkeyPatch.context() as patch:
        patch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())
        yield


@pytest.fixture(scope="session", autouse=True)
def workspace_stores(request):
    """Each workspace's store for this session: its own SQLite file, or with --store
    postgresql its own schema in the test database. A MENTORING_DATABASE_URL from the shell
    never reaches the tests."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("MENTORING_DATABASE_URL", raising=False)
        if request.config.getoption("store") == "sqlite":
            yield None
            return
        schemas = SchemaPerWorkspace(POSTGRES)
        patch.setattr(Workspace, "own_store_url", property(lambda ws: schemas.url(ws.root)))
        yield schemas
        schemas.drop_all()


@pytest.fixture(scope="session")
def copy_workspace(workspace_stores):
    """Copy a workspace folder and its store."""
    def copy(source: Path, target: Path) -> Workspace:
        shutil.copytree(source, target)
        if workspace_stores:
            workspace_stores.copy(source, target)
        return Workspace(target)
    return copy
