"""HR's reports read wholly in the programme's language: no contract key, status key, check
name or UTC time shows through."""

import html
import re

import pandas as pd
import pytest

from readable import code_in, words
from tasks.render import labels


@pytest.mark.parametrize("report", ["intake", "videos"])
def test_a_norwegian_report_shows_no_key_of_the_code(after_videos, report):
    root, _, _ = after_videos
    text = words((root / "reports" / f"{report}.html").read_text())
    assert not code_in(text), code_in(text)
    assert "Port 1: søknadene" in text or report == "videos"
    assert "Tidspunkt" in text and "publisert" in text


def test_the_report_says_what_is_waiting_and_who_has_not_heard(after_videos):
    root, _, summary = after_videos
    text = " ".join(words((root / "reports" / "videos.html").read_text()).split())
    assert "Hva som venter: neste steg" in text
    assert f"Inviterte som ikke har sendt video: {summary['counts']['video_missing']}." in text
    assert "Søkere som ikke har fått vite utfallet sitt:" in text


def test_the_report_lists_each_applicant_under_their_status_with_name_and_reasons(after_videos):
    root, invited, _ = after_videos
    people = pd.read_csv(root / "exports" / "applicants.csv", encoding="utf-8-sig")
    page = (root / "reports" / "videos.html").read_text()
    groups = dict(re.findall(r"<summary>([^<]*) \((\d+)\)</summary>", page))
    assert {label: int(n) for label, n in groups.items()} == {
        labels("nb")["statuses"][status]: n
        for status, n in people["status"].value_counts().items()}
    first = people[people["applicant_id"] == invited[0]].iloc[0]
    assert f"<td>{first.applicant_id}</td><td>{first['name']}</td>" in html.unescape(page)
