"""Who is owed which letter, and the deadlines letters give."""

import datetime as dt

import pandas as pd

from scoring.outcomes import fields_at_fault, owed, own_deadlines, video_deadline
from tasks.render import reason_texts

CALL = dt.date(2025, 4, 1)


def test_a_letter_gives_the_calls_deadline_while_it_is_ahead_else_grace_days_from_today():
    assert video_deadline(CALL, dt.date(2025, 3, 20), 3) == CALL
    assert video_deadline(CALL, CALL, 3) == CALL
    assert video_deadline(CALL, dt.date(2025, 4, 2), 3) == dt.date(2025, 4, 5)


def test_each_applicant_keeps_the_latest_deadline_a_letter_gave_never_before_the_calls():
    given = pd.DataFrame({"recipient_id": ["A", "A", "B", "C"],
                          "deadline": [dt.date(2025, 4, 5), dt.date(2025, 4, 9),
                                       dt.date(2025, 3, 1), None]})
    assert own_deadlines(CALL, given).to_dict() == {"A": dt.date(2025, 4, 9), "B": CALL}


def people(**statuses: str) -> pd.DataFrame:
    return pd.DataFrame({"status": list(statuses.values()),
                         "email": [f"{i}@example.no" for i in statuses]},
                        index=pd.Index(list(statuses), name="applicant_id"))


def test_everyone_with_a_settled_outcome_is_owed_one_letter_once():
    table = people(q="quarantined", i="ineligible", p="pending_review", n="not_invited",
                   v="invited", s="not_shortlisted", m="matched", u="unmatched")
    due = owed(table, {("n", "not_invited")}, pd.Series(dtype=object), CALL,
               dt.date(2025, 5, 1), rankings_awaited=False)
    assert due.to_dict("list") == {"applicant_id": ["i", "q", "s", "u"],
                                   "outcome": ["ineligible", "quarantined", "not_shortlisted",
                                               "unmatched"]}


def test_a_missing_video_is_told_only_after_the_applicants_own_deadline():
    table = people(a="video_missing", b="video_missing")
    later = pd.Series({"b": dt.date(2025, 4, 10)})
    due = owed(table, set(), later, CALL, dt.date(2025, 4, 5), rankings_awaited=False)
    assert list(due["applicant_id"]) == ["a"]


def test_the_unmatched_wait_while_a_leaders_ranking_is_awaited():
    table = people(u="unmatched")
    assert owed(table, set(), pd.Series(dtype=object), CALL, CALL, rankings_awaited=True).empty


def test_nobody_is_written_to_at_an_address_that_is_not_one():
    table = people(q="quarantined")
    table["email"] = "q(at)example.no"
    assert owed(table, set(), pd.Series(dtype=object), CALL, CALL, False).empty


def test_the_fields_a_quarantined_application_failed_on_are_named_once_each():
    reasons = ("«x» er ikke en e-postadresse; fødselsdatoen «31.02.1995» er ikke en dato "
               "(ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ); e-postadresse mangler; erstattet av en senere "
               "søknad i a.csv, rad 3")
    assert fields_at_fault(reasons, reason_texts("nb")) == ["email", "birth_date"]
