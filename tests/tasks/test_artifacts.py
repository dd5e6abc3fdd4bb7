"""What the Prefect UI is shown of the applicants."""

from scoring.record import FIELDS
from tasks.artifacts import SHORTLIST_FIELDS


def test_the_prefect_ui_is_shown_no_personal_or_sensitive_field():
    shown = [FIELDS[f] for f in SHORTLIST_FIELDS]
    assert not [f.name for f in shown if f.personal or f.sensitive]
