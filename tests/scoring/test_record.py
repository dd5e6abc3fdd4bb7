"""The applicant record: one definition that the tables, gates, exports and packets share."""

import pandas as pd

from factories import program
from scoring.packets import cards
from scoring.record import (
    EXPORTED,
    FIELDS,
    HEADERS,
    LEFT,
    OUTCOME,
    RECORD,
    STATUSES,
    STEP1,
    STEP2,
    STEP3,
    TO_LEADERS,
    Status,
    stored,
)

# The applications contract of DESIGN.md: each field with its Norwegian header.
CONTRACT = {"applicant_id": "ansattnummer", "name": "navn", "email": "e-post",
            "birth_date": "fødselsdato", "unit": "enhet", "position": "stilling",
            "staff_category": "kategori", "education": "utdanning", "gender": "kjønn",
            "immigrant_background": "innvandrerbakgrunn", "motivation": "motivasjon",
            "consent": "samtykke", "submitted_at": "innsendt"}


def test_no_sensitive_field_reaches_a_leader_or_the_applicants_export():
    sensitive = {f.name for f in RECORD if f.sensitive}
    assert sensitive == {"birth_date", "gender", "immigrant_background"}
    assert not sensitive & (set(TO_LEADERS) | set(EXPORTED))


def test_a_leader_sees_only_the_allowed_fields_of_a_candidate():
    leader = program(leaders=[{"id": "L1", "name": "N", "email": "l@example.no",
                               "unit": "Kripos"}]).leaders[0]
    row = {f.name: "x" for f in RECORD}
    card = cards(pd.DataFrame([row]).set_index("applicant_id"), leader, ("unit",))[0]
    assert set(card) == {*TO_LEADERS, "available"}


def test_every_contract_field_is_read_under_its_english_and_norwegian_header():
    assert set(HEADERS) == set(CONTRACT)
    assert all({field, norwegian} <= set(HEADERS[field]) for field, norwegian in CONTRACT.items())


def test_statuses_follow_the_funnel_and_every_step_names_its_own():
    assert STATUSES[0] == Status.QUARANTINED and STATUSES[-3] == Status.MATCHED
    assert STATUSES[-2:] == LEFT  # HR's decisions end the funnel at any step
    assert set(STEP1) | set(STEP2) | set(STEP3) == set(STATUSES)
    assert Status.INVITED == "invited"  # stored, exported and compared as plain text


def test_each_step_table_holds_the_outcome_and_only_what_that_step_decides():
    tables = [set(stored(step)) - set(OUTCOME) for step in (1, 2, 3)]
    assert not (tables[0] & tables[1]) and not (tables[1] & tables[2])
    assert set().union(*tables) | set(OUTCOME) == set(FIELDS)


def test_choice_fields_know_their_spellings():
    assert FIELDS["staff_category"].choices["politi"] == "operational"
    assert FIELDS["immigrant_background"].values == ["yes", "no", "unknown"]

