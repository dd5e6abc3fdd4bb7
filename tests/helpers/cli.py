"""The `mentoring` command as HR runs it: a real process on a workspace and its store."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from stores import cli_env

MENTORING = Path(sys.executable).with_name("mentoring")


def mentoring(command: str, root: Path, *options: str,
              answer: str = "") -> subprocess.CompletedProcess:
    """Run `mentoring` as HR would; `answer` is what they type when it asks."""
    return subprocess.run([str(MENTORING), command, str(root), *options], capture_output=True,
                          text=True, timeout=300, env=cli_env(root), input=answer)


def start(command: str, root: Path) -> subprocess.Popen:
    """`command` on `root` in its own process group, its log read from stdout."""
    return subprocess.Popen([str(MENTORING), command, str(root)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            env=cli_env(root))


def kill_when(command: str, root: Path, marker: str) -> None:
    """Start `command` on `root` and SIGKILL it, with its children, as soon as its log shows
    `marker`."""
    process = start(command, root)
    for line in process.stdout:
        if marker in line:
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait()
    assert process.returncode == -signal.SIGKILL, f"{command} ended before it could be killed"
