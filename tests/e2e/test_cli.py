"""The `mentoring` command as HR runs it: a real process, a real Prefect server, real files."""

import json
from pathlib import Path

import pandas as pd
import pytest

from cli import mentoring
from tasks.synthetic import write_programme


@pytest.mark.store_independent  # files only
def test_init_writes_a_workspace_to_fill_in(tmp_path):
    done = mentoring("init", tmp_path / "ws")
    assert done.returncode == 0
    assert (tmp_path / "ws" / "program.toml").is_file()
    assert (tmp_path / "ws" / "inbox" / "applications").is_dir()


@pytest.mark.store_independent  # the summary counts the stage's frames, not the store
def test_intake_json_prints_one_object_that_accounts_for_every_applicant(tmp_path):
    ws = write_programme(tmp_path / "ws", applicants=120)
    done = mentoring("intake", ws.root, "--json")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    summary = json.loads(done.stdout)
    assert set(summary) == {"run_id", "stage", "counts", "outputs"}
    people = pd.read_csv(summary["outputs"]["applicants_csv"], encoding="utf-8-sig")
    assert sum(summary["counts"].values()) == len(people)
    assert Path(summary["outputs"]["report"]).is_file()


@pytest.mark.store_independent  # stops before it opens the store
def test_a_typo_in_program_toml_is_named_without_a_traceback(tmp_path):
    ws = write_programme(tmp_path / "ws", applicants=30)
    config = ws.program_file.read_text().replace("max_age = 35", "max_agee = 35")
    ws.program_file.write_text(config)
    done = mentoring("intake", ws.root)
    assert done.returncode == 2
    assert "unknown key 'eligibility.max_agee'" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_purge_lists_what_it_would_remove_and_asks_before_removing_it(tmp_path):
    ws = write_programme(tmp_path / "ws", applicants=30)
    listed = mentoring("purge", ws.root, "--dry-run")
    assert listed.returncode == 0, listed.stderr
    assert "inbox/applications" in listed.stdout and "store: applicants" in listed.stdout
    for answer in ("n\n", ""):  # no, and no one at the keyboard
        declined = mentoring("purge", ws.root, answer=answer)
        assert declined.returncode == 1 and "Nothing was removed" in declined.stderr
        assert (ws.root / "program.toml").is_file()
    done = mentoring("purge", ws.root, answer="y\n")
    assert done.returncode == 0, done.stderr
    assert not (ws.root / "program.toml").exists() and (ws.root / "purge-receipt.json").is_file()
