import pandas as pd

from scoring.rankings import check_ranks, describe_ranks, sign, verify
from tasks.render import labels, reason_texts

SECRET = b"s3cret"
ENGLISH = reason_texts("en")


def test_a_good_token_names_its_leader():
    assert verify(SECRET, sign(SECRET, "L1", "abc"), "abc", {"L1", "L2"}, ENGLISH) == ("L1", "")


def test_a_token_edited_to_name_another_leader_is_refused():
    forged = sign(SECRET, "L1", "abc").replace("L1:", "L2:")
    leader, reason = verify(SECRET, forged, "abc", {"L1", "L2"}, ENGLISH)
    assert leader is None
    assert "not valid" in reason


def test_a_sheet_for_an_earlier_shortlist_is_refused():
    leader, reason = verify(SECRET, sign(SECRET, "L1", "old"), "new", {"L1"}, ENGLISH)
    assert leader is None
    assert "earlier shortlist" in reason


def test_a_sheet_without_a_token_is_refused():
    assert verify(SECRET, None, "abc", {"L1"}, ENGLISH)[0] is None


def rows(**ranks) -> pd.DataFrame:
    return pd.DataFrame({"applicant_id": list(ranks), "rank": list(ranks.values())})


def test_blank_ranks_are_unranked_and_good_ranks_count():
    ranked, problems = check_ranks(rows(A=1, B=None, C="2", D=3.0), {"A", "B", "C", "D"},
                                   {"A", "B", "C", "D"}, min_ranked=3)
    assert problems == []
    assert ranked.set_index("applicant_id")["rank"].to_dict() == {"A": 1, "C": 2, "D": 3}


def test_every_problem_of_a_sheet_is_named():
    _, problems = check_ranks(rows(A=1, B=1, C="først", X=2, Z=3), {"A", "B", "C"},
                              {"A", "B", "C", "Z"}, min_ranked=6)
    assert describe_ranks(problems, labels("nb")["rank_problems"]) == " ".join([
        "«først» for C er ikke et helt tall fra 1.",
        "Tallet 1 er gitt til flere kandidater (A, B); bruk hvert tall bare én gang.",
        "X står ikke på bruttolisten.",
        "Z kan ikke velges av deg på grunn av interessekonflikt.",
        "Du har rangert 4 av kandidatene; ranger minst 6.",
    ])
