"""SIGKILL of the shortlist and match commands mid-way, then a rerun (in this process, as the
command runs it): whole packets, one letter per leader, and the same pairs as an undisturbed
run."""

import pandas as pd
import pytest

from cli import kill_when
from factories import fill_ranking_sheet
from flows.match import match
from flows.runtime import run_stage
from flows.shortlist import shortlist


@pytest.mark.store_independent  # files and letters; a killed transaction: test_crash.py
def test_killed_shortlist_and_match_runs_leave_whole_results(programme_copy):
    ws, _ = programme_copy
    kill_when("shortlist", ws.root, "built 2 packets")
    run_stage(shortlist, workspace=str(ws.root))
    for leader in ("L1", "L2"):
        assert (ws.root / "packets" / leader / "index.html").is_file()
        assert len(list((ws.root / "outbox").glob(f"shortlist-{leader}-*.eml"))) == 1
    assert not list(ws.root.rglob("*.partial*"))
    assert not list((ws.root / "packets").glob(".*"))  # no half-built packet folder

    for leader in ("L1", "L2"):
        sheet = next((ws.root / "packets" / leader).glob("*.xlsx"))
        fill_ranking_sheet(sheet, ws.inbox("rankings") / sheet.name)
    kill_when("match", ws.root, "matched 4 mentors")
    run_stage(match, workspace=str(ws.root))
    pairs = pd.read_csv(ws.root / "exports" / "pairs.csv", encoding="utf-8-sig")
    assert len(pairs) == 4 and pairs["applicant_id"].is_unique


def test_what_a_killed_run_left_half_written_goes_with_the_next_run(programme_copy):
    """A SIGKILL can land inside a write: a temporary file beside its target, or a packet
    folder half swapped. The next run clears them, and a stale folder does not stop it."""
    ws, _ = programme_copy
    leftovers = [ws.root / "exports" / ".applicants.1a2b3c4d.partial.csv",
                 ws.root / "media" / ".P0001.5e6f7a8b.partial.mp4",
                 ws.root / "packets" / ".L1.partial" / "index.html",
                 ws.root / "packets" / ".L1.old" / "index.html"]
    for path in leftovers:
        path.parent.mkdir(exist_ok=True)
        path.write_text("half")
    run_stage(shortlist, workspace=str(ws.root))
    assert not list(ws.root.rglob("*.partial*"))
    assert not list((ws.root / "packets").glob(".*"))
    assert (ws.root / "packets" / "L1" / "index.html").read_text() != "half"
