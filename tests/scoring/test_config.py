import pytest

from factories import PROGRAM, program
from scoring.config import ConfigError, parse_program


def test_a_typo_in_a_key_is_named():
    with pytest.raises(ConfigError, match=r"unknown key 'eligibility.max_agee'"):
        parse_program({**PROGRAM, "eligibility": {"max_agee": 35}})


def test_a_quota_on_an_unknown_field_is_refused():
    with pytest.raises(ConfigError, match=r"selection\.invite\.quota\.0\.field"):
        program(selection={"invite": {"count": 2, "quota": [{"field": "age", "value": "x"}]}})


def test_reference_date_defaults_to_the_application_deadline():
    assert str(program().reference_date) == "2025-03-01"


def test_the_example_programme_is_valid():
    import tomllib
    from pathlib import Path

    example = Path(__file__).parents[2] / "data" / "program.toml"
    config = parse_program(tomllib.loads(example.read_text()))
    assert config.selection.invite.count == 30


def test_operational_settings_never_change_the_fingerprint_rescoring_compares():
    faster = program(operations={"workers": 8, "runner": "dask", "check_timeout_seconds": 300})
    assert faster.fingerprint() == program().fingerprint()
    assert program(video={**PROGRAM["video"], "max_seconds": 60}).fingerprint() != \
        program().fingerprint()


def test_a_programme_set_up_with_workers_under_video_keeps_working():
    older = program(video={**PROGRAM["video"], "workers": 4, "check_timeout_seconds": 60})
    assert (older.operations.workers, older.operations.check_timeout_seconds) == (4, 60)
    assert older.fingerprint() == program().fingerprint()
