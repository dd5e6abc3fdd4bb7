"""Who may apply: age on the reference date, consent, and the staff categories of the call."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from scoring.config import Eligibility
from scoring.reasons import Words, join_reasons, say


def age_on(birth_dates: pd.Series, on: dt.date) -> pd.Series:
    """Whole years completed on `on`. Someone born 29 February turns a year older on 1 March in
    years without one, as the birthday has not yet come on 28 February."""
    birthday_passed = (on.month * 100 + on.day) >= (
        birth_dates.dt.month * 100 + birth_dates.dt.day
    )
    return (on.year - birth_dates.dt.year - (~birthday_passed).astype(int)).astype("Int64")


def failed_rules(apps: pd.DataFrame, rules: Eligibility, on: dt.date) -> pd.DataFrame:
    """Per applicant, True for each rule of the call they do not meet: age, consent, category."""
    return pd.DataFrame({
        "age": (age_on(apps["birth_date"], on) >= rules.max_age).fillna(False),
        "consent": (apps["consent"].fillna("no") != "yes") & rules.require_consent,
        "category": ~apps["staff_category"].isin(list(rules.staff_categories)),
    }, index=apps.index)


def ineligibility_reasons(apps: pd.DataFrame, rules: Eligibility, on: dt.date,
                          words: Words) -> pd.Series:
    """Every reason that applies, `;`-separated, per applicant; empty text when eligible."""
    failed = failed_rules(apps, rules, on)
    reasons = pd.DataFrame(index=apps.index)
    reasons["age"] = say(words, "too_old", apps.index, where=failed["age"],
                         age=age_on(apps["birth_date"], on), on=on.isoformat(),
                         max_age=rules.max_age)
    reasons["consent"] = say(words, "no_consent", apps.index, where=failed["consent"])
    reasons["category"] = say(words, "category_not_called", apps.index, where=failed["category"],
                              value=apps["staff_category"])
    return join_reasons(reasons)
