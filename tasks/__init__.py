"""Prefect tasks: every side effect of the pipeline (files, store, GX, e-mail, rendering)."""

from functools import partial

from prefect import task as prefect_task
from prefect.cache_policies import NO_CACHE

# Prefect's @task for every task here. No stage reuses a task's result (reruns redo the work,
# and the video checks keep their own cache by content), so no task needs a cache key; by
# default Prefect would hash every input for one, and a million-row frame costs seconds and a
# copy of itself in memory (benchmarks/RESULTS.md).
task = partial(prefect_task, cache_policy=NO_CACHE)
