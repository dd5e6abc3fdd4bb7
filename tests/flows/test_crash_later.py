"""SIGKILL of the shortlist and match commands mid-way, then a rerun: whole packets, one
letter per leader, and the same pairs as an undisturbed run."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd

from factories import fill_ranking_sheet

MENTORING = Path(sys.executable).with_name("mentoring")


def kill_when(command: str, folder: Path, marker: str) -> None:
    process = subprocess.Popen([str(MENTORING), command, str(folder)], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    for line in process.stdout:
        if marker in line:
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait()
    assert process.returncode == -signal.SIGKILL, f"{command} ended before it could be killed"


def finish(command: str, folder: Path) -> None:
    done = subprocess.run([str(MENTORING), command, str(folder)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_killed_shortlist_and_match_runs_leave_whole_results(programme_copy):
    ws, _ = programme_copy
    kill_when("shortlist", ws.root, "built 2 packets")
    finish("shortlist", ws.root)
    for leader in ("L1", "L2"):
        assert (ws.root / "packets" / leader / "index.html").is_file()
        assert len(list((ws.root / "outbox").glob(f"shortlist-{leader}-*.eml"))) == 1
    assert not list(ws.root.rglob("*.partial*"))
    assert not list((ws.root / "packets").glob(".*"))  # no half-built packet folder

    for leader in ("L1", "L2"):
        sheet = next((ws.root / "packets" / leader).glob("*.xlsx"))
        fill_ranking_sheet(sheet, ws.inbox("rankings") / sheet.name)
    kill_when("match", ws.root, "matched 4 mentors")
    finish("match", ws.root)
    pairs = pd.read_csv(ws.root / "exports" / "pairs.csv", encoding="utf-8-sig")
    assert len(pairs) == 4 and pairs["applicant_id"].is_unique
