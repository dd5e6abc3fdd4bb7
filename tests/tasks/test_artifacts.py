"""What the Prefect UI is shown of the applicants."""

from scoring.record import FIELDS
from tasks.artifacts import SHORTLIST_FIELDS, link_to


def test_the_prefect_ui_is_shown_no_personal_or_sensitive_field():
    shown = [FIELDS[f] for f in SHORTLIST_FIELDS]
    assert not [f.name for f in shown if f.personal or f.sensitive]


def test_the_ui_links_to_the_report_on_hrs_pages_when_there_is_a_portal(tmp_path):
    report = tmp_path / "reports" / "intake.html"
    assert link_to(report, "https://mentoring.example.no") == \
        "https://mentoring.example.no/hr/files/reports/intake.html"
    assert link_to(report, "") == report.resolve().as_uri()  # HR's own machine, no portal
