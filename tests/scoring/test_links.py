"""A personal link opens one page for one person until it expires, and nothing else."""

import datetime as dt

import pytest

from scoring.links import make_token, read_token

SECRET = b"s" * 32
NOW = dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=10)


def test_a_link_opens_its_page_for_its_person_until_it_expires():
    token = make_token(SECRET, "video", "p-2026", "P100", LATER)
    assert read_token(SECRET, token, "video", "p-2026", NOW) == "P100"
    assert read_token(SECRET, token, "video", "p-2026", LATER) is None


@pytest.mark.parametrize("change", ["purpose", "programme", "secret", "subject", "expiry"])
def test_a_link_made_for_anything_else_or_altered_opens_nothing(change):
    token = make_token(SECRET, "video", "p-2026", "P100", LATER)
    if change == "purpose":
        assert read_token(SECRET, token, "packet", "p-2026", NOW) is None
    elif change == "programme":
        assert read_token(SECRET, token, "video", "p-2027", NOW) is None
    elif change == "secret":
        assert read_token(b"t" * 32, token, "video", "p-2026", NOW) is None
    else:  # the signed part rewritten: another person, or a later expiry
        other = make_token(SECRET, "video", "p-2026", "P101" if change == "subject" else "P100",
                           LATER + dt.timedelta(days=365 if change == "expiry" else 0))
        forged = other.split(".")[0] + "." + token.split(".")[1]
        assert read_token(SECRET, forged, "video", "p-2026", NOW) is None


@pytest.mark.parametrize("garbage", ["", ".", "abc", "abc.def", "%%%.%%%", "a" * 5000])
def test_garbage_opens_nothing_and_raises_nothing(garbage):
    assert read_token(SECRET, garbage, "video", "p-2026", NOW) is None
