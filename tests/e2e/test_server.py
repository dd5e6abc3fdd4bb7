"""The Prefect server HR's stages share: the first stage starts it, the next ones reuse it, the
runs stay in its UI, and `prefect server stop` stops it."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from cli import mentoring
from flows.server import health
from tasks.synthetic import write_programme

pytestmark = pytest.mark.store_independent  # Prefect's server keeps nothing in the store


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_first_stage_starts_prefects_server_and_the_next_reuses_it(tmp_path, monkeypatch):
    home, port = tmp_path / "prefect", free_port()
    api = f"http://127.0.0.1:{port}/api"
    monkeypatch.delenv("PREFECT_API_URL")
    monkeypatch.setenv("PREFECT_HOME", str(home))
    monkeypatch.setenv("PREFECT_SERVER_API_PORT", str(port))
    ws = write_programme(tmp_path / "ws", applicants=120)
    try:
        first = mentoring("intake", ws.root)
        assert first.returncode == 0, first.stderr
        assert f"its UI is at http://127.0.0.1:{port}" in first.stderr
        assert "prefect server stop` stops it" in first.stderr
        server = (home / "server.pid").read_text()

        second = mentoring("intake", ws.root)
        assert second.returncode == 0, second.stderr
        assert "Starting Prefect's server" not in second.stderr
        assert (home / "server.pid").read_text() == server
        runs = httpx.post(f"{api}/flow_runs/filter", json={}).json()
        assert [run["state_type"] for run in runs] == ["COMPLETED", "COMPLETED"]
    finally:
        subprocess.run([str(Path(sys.executable).with_name("prefect")), "server", "stop"],
                       capture_output=True, timeout=60)
    for _ in range(40):
        if not health(api):
            break
        time.sleep(0.25)
    assert not health(api), "prefect server stop left the server running"
    assert not (home / "server.pid").exists()


def test_a_prefect_server_that_does_not_answer_is_named_in_one_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", f"http://127.0.0.1:{free_port()}/api")
    ws = write_programme(tmp_path / "ws", applicants=30)
    done = mentoring("intake", ws.root)
    assert done.returncode == 2
    assert "(PREFECT_API_URL) does not answer, so nothing was run" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not (ws.root / "exports" / "applicants.csv").exists()
