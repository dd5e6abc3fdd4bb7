"""Running a stage flow for a person: quiet, fast, and a stopped stage is a message, not a trace."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

from flows.server import api_url
from scoring.errors import StageStopped


class StoppedWithoutTraceback(logging.Filter):
    """A stopped stage is bad input, not a bug: log its message, without the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], StageStopped):
            record.exc_info = None
            record.exc_text = None
        return True


for _logger in ("prefect.flow_runs", "prefect.task_runs"):
    logging.getLogger(_logger).addFilter(StoppedWithoutTraceback())
# Prefect's background workers warn while they drain their queues at exit ("Still processing
# items"): harmless, and alarming to HR. Their loggers are named after their classes.
for _logger in ("EventsWorker", "APILogWorker"):
    logging.getLogger(_logger).setLevel(logging.ERROR)


def run_stage(flow: Callable[..., Any], **parameters: Any) -> Any:
    """Run a flow and return its result; a stopped stage raises StageStopped with its message."""
    # The heartbeat thread adds a second to every run and matters only for long-running servers.
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None,
                                     PREFECT_API_URL: api_url()}):
        state = flow(**parameters, return_state=True)
        # `_sync` is the switch of Prefect's async_dispatch: under a running event loop (a
        # browser test's) `result` would otherwise hand back its async twin, unawaited.
        result = state.result(raise_on_failure=False, _sync=True)
    if isinstance(result, BaseException):
        raise result
    return result


def stage_flow(stage: str) -> Callable[..., Any]:
    """The stage's flow (flows/<stage>.py), importing only its own module."""
    return getattr(importlib.import_module(f"flows.{stage}"), stage)
