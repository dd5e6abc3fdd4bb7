"""HR's reports read wholly in the programme's language: no contract key, status key, check
name or UTC time shows through."""

import html
import re

import pandas as pd
import pytest

from scoring.reasons import PLACEHOLDER
from scoring.record import FIELDS, STATUSES
from tasks.render import labels, reason_texts

# What only the code should say: record columns and statuses by their keys, GX's check names,
# choice values as stored, and how a run ended as the store keeps it.
CODE_WORDS = [*(name for name in FIELDS if "_" in name), *STATUSES, "civilian", "operational",
              "published", "applications", "scored", "submissions"]
KEYS = re.compile(rf"\b(?:{'|'.join(CODE_WORDS)})\b|expect_|\bUTC\b")
# The English reasons, by the longest fixed part of each: none may show in a Norwegian report.
ENGLISH = [part for text in reason_texts("en").values()
           if len(part := max(PLACEHOLDER.split(text)[::2], key=len).strip(" ,;():'")) > 6]
# Cells that quote an input (file names) are left out: everything else is the report's words.
FILES = re.compile(r'<td class="file">.*?</td>', re.S)


def words(page: str) -> str:
    page = FILES.sub(" ", page)
    page = re.sub(r"<(style|svg)\b.*?</\1>|<[^>]+>", " ", page, flags=re.S)
    return re.sub(r"\binbox/\S+", " ", html.unescape(page))  # where an input lies


@pytest.mark.parametrize("report", ["intake", "videos"])
def test_a_norwegian_report_shows_no_key_of_the_code(after_videos, report):
    root, _, _ = after_videos
    text = words((root / "reports" / f"{report}.html").read_text())
    assert not KEYS.findall(text), KEYS.findall(text)
    assert not [english for english in ENGLISH if english in text]
    assert "Port 1: søknadene" in text or report == "videos"
    assert "Tidspunkt" in text and "publisert" in text


def test_the_report_says_what_is_waiting_and_who_has_not_heard(after_videos):
    root, _, summary = after_videos
    text = " ".join(words((root / "reports" / "videos.html").read_text()).split())
    assert "Hva som venter: neste steg" in text
    assert f"{summary['counts']['video_missing']} inviterte har ikke sendt video." in text
    assert "søkere har ikke fått vite utfallet sitt" in text


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
