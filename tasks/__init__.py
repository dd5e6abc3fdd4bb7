"""Prefect tasks: every side effect of the pipeline (files, store, GX, e-mail, rendering)."""

from collections.abc import Callable
from typing import ParamSpec, TypeVar, overload

from prefect import Task
from prefect.cache_policies import NO_CACHE

P = ParamSpec("P")
R = TypeVar("R")


@overload
def task(fn: Callable[P, R], /) -> Task[P, R]: ...


@overload
def task(*, task_run_name: str) -> Callable[[Callable[P, R]], Task[P, R]]: ...


def task(fn: Callable[P, R] | None = None, /, *, task_run_name: str | None = None
         ) -> Task[P, R] | Callable[[Callable[P, R]], Task[P, R]]:
    """Prefect's @task for every task here. No stage reuses a task's result (reruns redo the
    work, and the video checks keep their own cache by content), so no task needs a cache key;
    by default Prefect would hash every input for one, and a million-row frame costs seconds
    and a copy of itself in memory (benchmarks/RESULTS.md)."""
    def wrap(inner: Callable[P, R]) -> Task[P, R]:
        return Task(inner, cache_policy=NO_CACHE, task_run_name=task_run_name)

    return wrap if fn is None else wrap(fn)
