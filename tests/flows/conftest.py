import pytest
from prefect.settings import PREFECT_RESULTS_LOCAL_STORAGE_PATH, temporary_settings
from prefect.testing.utilities import prefect_test_harness

import flows  # noqa: F401  (sets Prefect's offline defaults before the harness starts)


@pytest.fixture(autouse=True, scope="session")
def prefect_harness(tmp_path_factory):
    results = tmp_path_factory.mktemp("prefect-results")
    with temporary_settings(updates={PREFECT_RESULTS_LOCAL_STORAGE_PATH: results}), \
            prefect_test_harness():
        yield
