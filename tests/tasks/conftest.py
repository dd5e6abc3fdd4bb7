import pytest
from prefect.logging import disable_run_logger


@pytest.fixture(autouse=True)
def no_run_logger():
    """Tasks called bare with `.fn()` have no run to log to."""
    with disable_run_logger():
        yield
