"""Prefect's API for every stage: one local server, started in the background by the first
stage that needs it and reused by every stage after it.

Without it each `mentoring` process would start and stop Prefect's temporary server, about ten
seconds that cost more than the work itself, and its runs would be out of sight once the process
ended. The local server keeps its runs in `$PREFECT_HOME` (as the temporary one did), shows them
in the Prefect UI on `PREFECT_SERVER_API_PORT` (http://127.0.0.1:4200), runs the schedules
`mentoring serve` registers, and stops with `prefect server stop`: it keeps its process id where
`prefect server start --background` keeps it. With `PREFECT_API_URL` set (the agency's own
server, or the tests' server of their own) that server is used and nothing is started.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from prefect.settings import PREFECT_API_URL, PREFECT_HOME, PREFECT_SERVER_API_PORT

from scoring.errors import StageStopped

STARTUP_SECONDS = 90  # a fresh $PREFECT_HOME migrates its database first; a busy machine is slow


def api_url() -> str:
    """The API the stages report to, starting the local server when none answers. A server
    that `PREFECT_API_URL` names is given a few seconds to answer, then the stage stops."""
    if configured := PREFECT_API_URL.value():
        for pause in (1, 2, 0):
            if health(configured) is not None:
                return configured
            time.sleep(pause)
        raise StageStopped(
            f"Prefect's server at {configured} (PREFECT_API_URL) does not answer, so nothing was "
            "run. Start it, or unset PREFECT_API_URL to use a local one.")
    port = PREFECT_SERVER_API_PORT.value()
    url = f"http://127.0.0.1:{port}/api"
    if not health(url):
        start_local_server(port, url)
    return url


def health(url: str) -> bool | None:
    """True when a Prefect server answers at `url` and is healthy; False when something else
    answers (a server that asks for a key, another program); None when nothing does."""
    try:
        answer = httpx.get(f"{url}/health", timeout=2)
    except httpx.HTTPError:
        return None
    try:
        return answer.json() is True
    except ValueError:
        return False


def start_local_server(port: int, url: str) -> None:
    """Start Prefect's server as `prefect server start --background` does, in a session of its
    own (stopping a stage never stops it), logging to `$PREFECT_HOME/server.log`."""
    home = Path(PREFECT_HOME.value())
    home.mkdir(parents=True, exist_ok=True)
    stop = Path(sys.executable).with_name("prefect")
    print(f"Starting Prefect's server in the background for this and later stages; its UI is at "
          f"http://127.0.0.1:{port} and `{stop} server stop` stops it.", file=sys.stderr)
    with open(home / "server.log", "ab") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
             "--host", "127.0.0.1", "--port", str(port)],
            env={**os.environ, "PREFECT__SERVER_FINAL": "1"}, stdin=subprocess.DEVNULL,
            stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + STARTUP_SECONDS
    while not health(url):
        if server.poll() is not None:  # the port is taken: by another stage's server, or not
            deadline = min(deadline, time.monotonic() + 15)
        if time.monotonic() > deadline:
            server.kill()
            raise StageStopped(
                f"Prefect's server did not start on port {port} (see {home / 'server.log'}). If "
                "another program uses that port, set PREFECT_SERVER_API_PORT to a free one, or "
                "PREFECT_API_URL to a running Prefect server.")
        time.sleep(0.25)
    if server.poll() is None:
        (home / "server.pid").write_text(str(server.pid))
