"""Step 2's videos on a two-worker Dask cluster ([operations] runner = "dask")."""

import shutil

import pandas as pd
import pytest

from flows.runtime import run_stage
from flows.videos import videos

pytestmark = pytest.mark.store_independent  # the flow writes the store, not the workers


def test_videos_on_a_two_worker_dask_cluster_get_the_same_verdicts(programme_copy, tmp_path):
    ws, _ = programme_copy
    threaded = pd.read_csv(ws.root / "exports" / "applicants.csv", encoding="utf-8-sig")
    shutil.rmtree(ws.root / "media")  # decode again, in the Dask workers
    (ws.root / "media").mkdir()
    config = ws.program_file.read_text()
    ws.program_file.write_text(config.replace('runner = "threads"', 'runner = "dask"'))
    summary = run_stage(videos, workspace=str(ws.root))
    on_dask = pd.read_csv(summary["outputs"]["applicants_csv"], encoding="utf-8-sig")
    columns = ["applicant_id", "status", "reasons", "final_score"]
    pd.testing.assert_frame_equal(on_dask[columns], threaded[columns])
    assert len(list((ws.root / "media").glob("*.mp4"))) == summary["counts"]["shortlisted"] + 2
