"""HR's reports read wholly in the programme's language: no contract key, status key, check
name or UTC time shows through."""

import html
import re

import pytest

from scoring.record import FIELDS, STATUSES

# What only the code should say: record columns and statuses by their keys, GX's check names,
# choice values as stored, and how a run ended as the store keeps it.
CODE_WORDS = [*(name for name in FIELDS if "_" in name), *STATUSES, "civilian", "operational",
              "published", "applications", "scored", "submissions"]
KEYS = re.compile(rf"\b(?:{'|'.join(CODE_WORDS)})\b|expect_|\bUTC\b")
# Cells that quote an input (file names) or a reason are left out until the reasons have a
# catalogue per language; everything else on the page is the report's own words.
QUOTED = re.compile(r'<td class="(?:file|reason)[^"]*">.*?</td>', re.S)


def words(page: str) -> str:
    page = QUOTED.sub(" ", page)
    page = re.sub(r"<(style|svg)\b.*?</\1>|<[^>]+>", " ", page, flags=re.S)
    return html.unescape(page)


@pytest.mark.parametrize("report", ["intake", "videos"])
def test_a_norwegian_report_shows_no_key_of_the_code(after_videos, report):
    root, _, _ = after_videos
    text = words((root / "reports" / f"{report}.html").read_text())
    assert not KEYS.findall(text), KEYS.findall(text)
    assert "Port 1: søknadene" in text or report == "videos"
    assert "Tidspunkt" in text and "publisert" in text
