"""HR's decisions: which rows count, and what each does to a selection."""

import itertools

import numpy as np
import pandas as pd
import pytest

from scoring.config import Quota, Selection
from scoring.decisions import Decision, check_decisions, choose, current, leaders_left
from scoring.record import QUALIFIED, Status
from scoring.selection import QuotasUnmet
from tasks.render import reason_texts

WORDS = reason_texts("en")
KNOWN = pd.Index(["000005", "A1", "A2", "A3"])
LEADERS, NO_LEADERS = pd.Index(["L1", "L2"]), pd.Index([])


def log(*rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=list(row()), dtype=object)
    return frame.assign(source_file="inbox/decisions/log.csv",
                        source_row=range(2, len(frame) + 2), sheet_order=0)


def row(applicant_id="A1", decision="withdrawn", decided_at="2026-03-03", **more) -> dict:
    return {"applicant_id": applicant_id, "decision": decision, "reason": more.pop("reason", ""),
            "decided_by": more.pop("decided_by", "kari@hr.no"), "decided_at": decided_at,
            "extra_seconds": "", "audio_only": "", "deadline": "", **more}


def test_each_bad_row_says_what_is_wrong_and_good_rows_count():
    checked = check_decisions(log(
        row("5", "trukket"),  # Excel dropped the zeros; Norwegian spelling
        row("B9"),
        row("A2", "fired"),
        row("A2", decided_by=""),
        row("A2", decided_at="last week"),
        row("A3", "exclude"),
        row("A3", "accommodate"),
        row("A3", "accommodate", extra_seconds="-10"),
        row("A1", "accommodate", extra_seconds="30", deadline="01.04.2026"),
        row("L1", "trukket", reason="ny stilling"),
        row("L2", "include"),
    ), KNOWN, LEADERS, WORDS)
    reasons = checked["reasons"].tolist()
    assert reasons[0] == "" and checked.loc[0, "applicant_id"] == "000005"
    assert checked.loc[0, "decision"] == Decision.WITHDRAWN
    assert reasons[1:8] == [
        "no application with applicant id B9",
        "the decision 'fired' is not withdrawn, exclude, include or accommodate",
        "it does not say who decided",
        "'last week' is not a time of the decision (YYYY-MM-DD or DD.MM.YYYY)",
        "taking an applicant out needs a reason",
        "the accommodation grants no extra seconds, no audio only and no new deadline",
        "extra seconds '-10' is not a positive number",
    ]
    assert reasons[8] == ""
    assert checked.loc[8, "extra_seconds"] == 30 and str(checked.loc[8, "deadline"]) == "2026-04-01"
    assert reasons[9:] == ["", "a leader can only withdraw (the decision withdrawn)"]
    assert list(leaders_left(current(checked), LEADERS)) == ["L1"]


def test_the_newest_decision_counts_whatever_order_the_rows_are_in():
    checked = check_decisions(log(
        row("A1", "withdrawn", decided_at="2026-03-05"),
        row("A1", "include", decided_at="2026-03-01", reason="strong case"),
    ), KNOWN, NO_LEADERS, WORDS)
    assert checked["reasons"].tolist() == [
        "", "replaced by a newer decision in inbox/decisions/log.csv, row 2"]
    assert current(checked).loc["A1", "decision"] == Decision.WITHDRAWN


def applicants(scores: list[float], categories: list[str]) -> pd.DataFrame:
    ids = [f"A{i}" for i in range(len(scores))]
    return pd.DataFrame({"status": QUALIFIED, "reasons": "", "score": scores,
                         "staff_category": categories}, index=ids)


def decided(**decisions: str) -> pd.DataFrame:
    rows = [row(applicant_id, decision, reason="because") for applicant_id, decision
            in decisions.items()]
    return current(check_decisions(log(*rows), pd.Index(list(decisions)), NO_LEADERS, WORDS))


RULE = Selection(count=2, quota=(Quota(field="staff_category", value="civilian", min=1),))


def test_a_withdrawal_frees_a_place_for_the_next_best_within_the_quotas():
    table = applicants([9, 8, 7, 6], ["civilian", "operational", "operational", "civilian"])
    out = choose(table, decided(A0="withdrawn"), RULE, Status.INVITED, Status.NOT_INVITED,
                 WORDS)
    assert out.loc["A0", "status"] == Status.WITHDRAWN
    assert out.loc["A0", "reasons"] == "withdrew on 2026-03-03: because"
    # The civilian quota now takes A3 over the better-scored A2.
    assert list(out.index[out["status"] == Status.INVITED]) == ["A1", "A3"]


def test_an_included_applicant_goes_first_but_never_past_a_quota_maximum():
    table = applicants([9, 8, 7, 2, 1], ["civilian", "civilian", "operational", "operational",
                                         "operational"])
    capped = Selection(count=3, quota=(Quota(field="staff_category", value="operational",
                                             max=1),))
    out = choose(table, decided(A3="include", A4="include"), capped, Status.INVITED,
                 Status.NOT_INVITED, WORDS)
    assert list(out.index[out["status"] == Status.INVITED]) == ["A0", "A1", "A3"]
    assert out.loc["A3", "reasons"].startswith("put forward by HR on 2026-03-03: because; ")
    assert out.loc["A4", "status"] == Status.NOT_INVITED
    assert "put forward by HR" in out.loc["A4", "reasons"]
    # The lowest score chosen on score alone is 8, not the included 2.
    assert "lowest selected 8.0" in out.loc["A2", "reasons"]


def test_an_include_never_passes_a_rule_of_the_call():
    table = applicants([9, 8, 1], ["civilian"] * 3)
    table.loc["A2", ["status", "reasons"]] = [Status.INELIGIBLE, "aged 36"]
    out = choose(table, decided(A2="include"), RULE, Status.INVITED, Status.NOT_INVITED, WORDS)
    assert out.loc["A2", "status"] == Status.INELIGIBLE
    assert out.loc["A2", "reasons"] == "put forward by HR on 2026-03-03: because; aged 36"


@pytest.mark.parametrize("seed", range(20))
def test_includes_then_score_match_the_brute_force_optimum(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 9))
    table = applicants(list(rng.integers(0, 20, n) * 0.5),
                       list(rng.choice(["civilian", "operational"], n)))
    included = [f"A{i}" for i in range(n) if rng.random() < 0.3]
    rule = Selection(count=int(rng.integers(1, n)), quota=(
        Quota(field="staff_category", value="civilian", min=int(rng.integers(0, 2)),
              max=int(rng.integers(1, 4))),))
    decisions = decided(**dict.fromkeys(included, "include"))

    def worth(ids) -> tuple[int, float]:  # includes first, then the score
        return sum(i in included for i in ids), round(table.loc[list(ids), "score"].sum(), 2)

    feasible = [ids for ids in itertools.combinations(table.index, min(rule.count, n))
                if all(q.min <= (table.loc[list(ids), q.field] == q.value).sum() <= q.max
                       for q in rule.quota)]
    if not feasible:
        with pytest.raises(QuotasUnmet):
            choose(table, decisions, rule, Status.INVITED, Status.NOT_INVITED, WORDS)
        return
    out = choose(table, decisions, rule, Status.INVITED, Status.NOT_INVITED, WORDS)
    assert worth(out.index[out["status"] == Status.INVITED]) == max(map(worth, feasible))


def test_once_the_shortlist_is_out_nobody_is_chosen_anew_and_a_chosen_one_leaves_at_matching():
    table = applicants([9, 8, 7, 6], ["civilian", "operational", "operational", "civilian"])
    kept = pd.Index(["A0", "A1"])
    out = choose(table, decided(A0="withdrawn", A2="withdrawn"), RULE, Status.SHORTLISTED,
                 Status.NOT_SHORTLISTED, WORDS, kept=kept)
    assert out["status"].to_dict() == {"A0": Status.SHORTLISTED, "A1": Status.SHORTLISTED,
                                       "A2": Status.WITHDRAWN, "A3": Status.NOT_SHORTLISTED}
