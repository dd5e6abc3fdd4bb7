import datetime as dt

import pandas as pd
import pytest

from scoring.config import Eligibility
from scoring.eligibility import age_on, ineligibility_reasons
from tasks.render import reason_texts


@pytest.mark.parametrize(("born", "on", "age"), [
    ("1990-03-01", "2025-03-01", 35),   # 35th birthday on the reference date: no longer under 35
    ("1990-03-02", "2025-03-01", 34),   # one day short of 35
    ("1990-02-28", "2025-03-01", 35),
    ("1992-02-29", "2025-02-28", 32),   # leap-day birthday not yet reached in a common year
    ("1992-02-29", "2025-03-01", 33),   # ... reached on 1 March
    ("1992-02-29", "2024-02-29", 32),   # and on the day itself in a leap year
    ("1992-02-29", "2024-02-28", 31),
    ("1989-12-31", "2025-01-01", 35),
])
def test_age_counts_whole_years_exactly_around_birthdays(born, on, age):
    ages = age_on(pd.Series(pd.to_datetime([born])), dt.date.fromisoformat(on))
    assert ages.iloc[0] == age


def test_an_ineligible_applicant_gets_every_reason_that_applies():
    apps = pd.DataFrame({"birth_date": pd.to_datetime(["1980-01-01", "1995-01-01"]),
                         "consent": ["no", "yes"], "staff_category": ["operational", "civilian"]})
    rules = Eligibility(staff_categories=("civilian",))
    reasons = ineligibility_reasons(apps, rules, dt.date(2025, 3, 1), reason_texts("nb"))
    assert reasons.iloc[0] == ("45 år den 2025-03-01 (må være under 35); samtykke er ikke gitt; "
                               "stillingskategorien er ikke med i denne utlysningen")
    assert reasons.iloc[1] == ""
