"""The one way a stage opens and closes: its store opened once, the programme's lock, the store
brought to this code's schema, the config (without the leaders who have left), a run id, and
at the end the Data Docs of its gates; and what a stage command prints."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from prefect.runtime import flow_run

from scoring.config import ProgramConfig
from tasks.decisions import staying
from tasks.gates import docs_folder, write_data_docs
from tasks.links import Links, portal_links
from tasks.locking import stage_lock
from tasks.store import RunRecord, open_store, upgrade_store
from tasks.workspace import Workspace, load_program, open_workspace


@dataclass(frozen=True)
class Stage:
    name: str
    ws: Workspace
    config: ProgramConfig
    run_id: str

    def record(self, input_hashes: dict[str, str]) -> RunRecord:
        """The run's row, with what it read fingerprinted."""
        return RunRecord(self.run_id, self.name, self.config.fingerprint(), input_hashes)

    @property
    def links(self) -> Links:
        """The personal links this stage's letters carry."""
        return portal_links(self.ws, self.config)

    def summary(self, counts: dict[str, int], outputs: dict[str, Path], **more: object) -> dict:
        """What a stage command prints with --json."""
        return {"run_id": self.run_id, "stage": self.name, "counts": counts,
                "outputs": {name: str(path) for name, path in outputs.items()}, **more}


@contextmanager
def open_stage(workspace: str, name: str) -> Iterator[Stage]:
    ws = open_workspace(Path(workspace))
    with open_store(ws), stage_lock(ws, name):
        upgrade_store(ws)
        try:
            yield Stage(name, ws, staying(ws, load_program(ws)),
                        str(flow_run.get_id() or "local"))
        finally:  # finished or stopped, the gates' runs are there to read
            write_data_docs(docs_folder(ws))
