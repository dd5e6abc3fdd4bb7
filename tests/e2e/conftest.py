import pytest


@pytest.fixture(autouse=True, scope="session")
def prefect_server(prefect_api):
    """Every test here starts `mentoring` processes that run flows."""
