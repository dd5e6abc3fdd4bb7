import pytest
from prefect.logging import disable_run_logger

from stores import opened
from tasks.workspace import init_workspace


@pytest.fixture(autouse=True)
def no_run_logger():
    """Tasks called bare with `.fn()` have no run to log to."""
    with disable_run_logger():
        yield


@pytest.fixture
def ws(tmp_path):
    """A new workspace with its store open at this code's schema, as a stage has it."""
    with opened(init_workspace(tmp_path / "ws")) as ws:
        yield ws
