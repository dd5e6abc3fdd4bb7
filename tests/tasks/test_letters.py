"""Every letter an applicant can get, in both languages, as a real e-mail: it names the rule,
gives only dates that are still ahead, and holds nothing it must not."""

import datetime as dt
import email
import email.policy
import re

import pandas as pd
import pytest

from factories import PROGRAM, program
from scoring.errors import StageStopped
from scoring.outcomes import TOLD_BY_NOTIFY
from tasks.calendar import MONTHS, long_date
from tasks.email import as_message
from tasks.letters import (
    accommodation_letters,
    invitation_letters,
    outcome_letters,
    rejection_letters,
)
from tasks.links import Links
from tasks.render import reason_texts

TODAY = dt.date.today()
LINKS = Links("https://mentoring.example.no", b"k" * 32, "politiet-2025", "Europe/Oslo")
OUTCOMES = {
    "quarantined": "{email_invalid}; {birth_date_invalid}",  # said in the letter's language
    "ineligible": "age 36 on 2025-03-01 (must be under 35); no consent given",
    "not_invited": "not among the 3 selected (score 41.0; lowest selected 70.0)",
    "video_missing": "no video received",
    "video_rejected": "the video is longer than allowed (95.0 s; at most 90 s)",
    "not_shortlisted": "not among the 5 selected (score 51.5; lowest selected 60.0)",
    "unmatched": "not matched: the leaders' choices went to other candidates",
    "invited": "selected (score 88.0)",
    "withdrawn": "withdrew on 2025-03-03: moved abroad",
    "excluded": "taken out by HR on 2025-03-03: under investigation",
}
NOTHING_GRANTED = pd.DataFrame(columns=["extra_seconds", "audio_only", "deadline"])


def granted(deadline: dt.date | None = None, **extra_seconds: float) -> pd.DataFrame:
    """HR's accommodations: extra seconds by applicant id, all with `deadline`."""
    return pd.DataFrame({"extra_seconds": extra_seconds, "audio_only": False,
                         "deadline": deadline}).rename_axis("applicant_id")


# What no applicant's letter may hold: a score, a sensitive attribute, another person.
FORBIDDEN = ["41.0", "70.0", "88.0", "51.5", "1989", "innvandrer", "immigrant", "kvinne",
             "Bjørn Annen", "bjorn@example.no", "under investigation"]  # HR's own words too


def applicants(locale: str) -> pd.DataFrame:
    words = reason_texts(locale)
    said = {"email_invalid": words["email_invalid"].format(value="per(at)example.no"),
            "birth_date_invalid": words["birth_date_invalid"].format(value="31.02.1995")}
    rows = [{"applicant_id": f"A{i}", "status": status, "reasons": reasons.format(**said),
             "name": f"Åse Søker{i}", "email": f"ase{i}@example.no",
             "birth_date": dt.date(1989, 5, 17), "consent": "no" if status == "ineligible"
             else "yes", "staff_category": "civilian", "gender": "kvinne",
             "immigrant_background": "yes", "score": 41.0}
            for i, (status, reasons) in enumerate(OUTCOMES.items())]
    rows.append({**rows[0], "applicant_id": "B1", "status": "matched", "name": "Bjørn Annen",
                 "email": "bjorn@example.no"})
    return pd.DataFrame(rows).set_index("applicant_id")


def dates_in(text: str, locale: str) -> list[dt.date]:
    months = {name.lower(): n for n, name in enumerate(MONTHS[locale], start=1)}
    found = re.findall(r"(\d{1,2})\.? (\w+) (\d{4})", text)
    return [dt.date(int(y), months[m.lower()], int(d)) for d, m, y in found if m.lower() in months]


def every_letter(locale: str, application_deadline: dt.date):
    config = program(program={**PROGRAM["program"], "locale": locale,
                               "application_deadline": application_deadline.isoformat()},
                     eligibility={"reference_date": "2025-03-01"})
    table = applicants(locale)
    owed = pd.DataFrame({"applicant_id": [a for a in table.index
                                          if table.loc[a, "status"] in TOLD_BY_NOTIFY]})
    owed["outcome"] = table.loc[owed["applicant_id"], "status"].to_numpy()
    verdicts = pd.DataFrame({"problems": ["too_long"], "content_hash": ["ab" * 32]},
                            index=pd.Index(["A4"], name="applicant_id"))
    return [*outcome_letters(owed, table, config), *invitation_letters.fn(table, config, LINKS),
            *rejection_letters.fn(table, verdicts, NOTHING_GRANTED, config, LINKS)]


@pytest.mark.parametrize("locale", ["nb", "en"])
@pytest.mark.parametrize("call_open", [True, False], ids=["call open", "call closed"])
def test_every_outcome_letter_is_a_real_email_with_dates_ahead_and_nothing_forbidden(
        locale, call_open):
    deadline = TODAY + dt.timedelta(days=10) if call_open else dt.date(2025, 3, 1)
    letters = every_letter(locale, deadline)
    assert sorted(letter.outcome.split(":")[0] for letter in letters) == sorted(
        s for s in OUTCOMES)
    for letter in letters:
        parsed = email.message_from_bytes(as_message(letter, "hr@example.no", "k" * 64)
                                          .as_bytes(), policy=email.policy.default)
        body = parsed.get_body(("plain",)).get_content()
        assert parsed["To"] == table_email(letter.recipient_id)
        assert "{" not in body and "None" not in body, letter.outcome
        assert not [word for word in FORBIDDEN if word in body], letter.outcome
        assert all(day >= TODAY for day in dates_in(body, locale)), (letter.outcome, body)
        assert not re.search(r"\d{4}-\d\d-\d\d", body), letter.outcome


def table_email(applicant_id: str) -> str:
    return f"ase{applicant_id[1:]}@example.no"


def test_the_letters_name_the_rule_in_the_programmes_language():
    letters = {letter.outcome.split(":")[0]: letter.body
               for letter in every_letter("nb", TODAY + dt.timedelta(days=10))}
    assert "e-postadresse" in letters["quarantined"] and "fødselsdato" in letters["quarantined"]
    assert "innen" in letters["quarantined"]
    assert "under 35 år" in letters["ineligible"] and "samtykke" in letters["ineligible"]
    assert "de 3 vi ber om en video" in letters["not_invited"]
    assert "reserve" in letters["unmatched"]
    assert "høyst 90 sekunder" in letters["invited"] and "minst 360 piksler" in letters["invited"]
    assert "Videoen er for lang" in letters["video_rejected"]
    assert "trukket deg" in letters["withdrawn"] and "HR har besluttet" in letters["excluded"]


def test_the_invitation_says_who_sees_the_video_when_it_is_deleted_and_who_to_ask():
    deleted = TODAY + dt.timedelta(days=365)
    config = program(privacy={"seen_by": "HR og topplederne", "delete_after": deleted,
                              "contact": "pvo@example.no"})
    table = applicants("nb")
    (letter,) = invitation_letters.fn(table[table["status"] == "invited"], config, LINKS)
    assert "Hvem ser videoen: HR og topplederne." in letter.body
    assert f"slettes senest {long_date(deleted, 'nb')}" in letter.body
    assert "pvo@example.no" in letter.body


def test_a_deletion_day_that_has_passed_stops_before_any_invitation_is_written():
    config = program(privacy={"delete_after": "2025-12-31"})
    with pytest.raises(StageStopped, match=r"\[privacy\] delete_after = 2025-12-31 has passed"):
        invitation_letters.fn(applicants("nb"), config, LINKS)


@pytest.mark.parametrize("portal", [True, False], ids=["with a portal", "without"])
def test_the_video_letters_link_to_the_applicants_own_page_or_say_where_to_send_it(portal):
    links = LINKS if portal else Links("", b"k" * 32, "politiet-2025", "Europe/Oslo")
    table = applicants("nb")
    verdicts = pd.DataFrame({"problems": ["too_long"], "content_hash": ["ab" * 32]},
                            index=pd.Index(["A4"], name="applicant_id"))
    for letter in [*invitation_letters.fn(table, program(), links),
                   *rejection_letters.fn(table, verdicts, NOTHING_GRANTED, program(), links),
                   *accommodation_letters.fn(table, granted(A3=30), program(), links)]:
        found = re.findall(r"https://mentoring\.example\.no/v/(\S+)", letter.body)
        if portal:
            assert [links.subject("video", token) for token in found] == [letter.recipient_id]
        else:
            assert found == [] and "Send" in letter.body and "hr@example.no" in letter.body
        assert f"{letter.recipient_id}.mp4" in letter.body  # the e-mail path stays


@pytest.mark.parametrize("call_open", [True, False], ids=["call open", "call closed"])
def test_an_accommodated_applicant_is_told_their_own_length_and_a_deadline_ahead(call_open):
    call = TODAY + dt.timedelta(days=10) if call_open else dt.date(2025, 3, 1)
    later = TODAY + dt.timedelta(days=30)
    config = program(video={**PROGRAM["video"], "submission_deadline": call.isoformat()})
    table = applicants("nb")  # A7 is invited
    (letter,) = accommodation_letters.fn(table, granted(later, A7=45), config, LINKS)
    assert "inntil 135 sekunder (45 sekunder mer enn for andre)" in letter.body
    assert f"Fristen din for å sende videoen er {long_date(later, 'nb')}" in letter.body
    assert letter.deadline == later  # the ledger keeps it for every later check
    (again,) = accommodation_letters.fn(table, granted(None, A7=45), config, LINKS)
    assert all(day >= TODAY for day in dates_in(again.body, "nb"))
    assert "135 sekunder" in again.body
    rejected = table.assign(status=table["status"].replace({"invited": "video_rejected"}))
    verdicts = pd.DataFrame({"problems": ["too_long"], "content_hash": ["ab" * 32]},
                            index=pd.Index(["A7"], name="applicant_id"))
    (rejection,) = rejection_letters.fn(rejected.loc[["A7"]], verdicts, granted(later, A7=45),
                                        config, LINKS)
    assert rejection.deadline == later and "135 sekunder" in rejection.body
