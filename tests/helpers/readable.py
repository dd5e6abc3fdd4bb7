"""What a person reads on a page of the programme's, and what in it only the code should say."""

import html
import re

from scoring.reasons import PLACEHOLDER
from scoring.record import FIELDS, STATUSES
from tasks.render import reason_texts

# Record columns and statuses by their keys, GX's check names, choice values as stored, and
# how a run ended as the store keeps it.
CODE_WORDS = [*(name for name in FIELDS if "_" in name), *STATUSES, "civilian", "operational",
              "published", "applications", "scored", "submissions"]
KEYS = re.compile(rf"\b(?:{'|'.join(CODE_WORDS)})\b|expect_|\bUTC\b")
# The English reasons, by the longest fixed part of each: none may show in a Norwegian page.
ENGLISH = [part for text in reason_texts("en").values()
           if len(part := max(PLACEHOLDER.split(text)[::2], key=len).strip(" ,;():'")) > 6]
# Cells that quote an input (file names) are left out: everything else is the page's words.
FILES = re.compile(r'<td class="file">.*?</td>', re.S)


def words(page: str) -> str:
    page = FILES.sub(" ", page)
    page = re.sub(r"<(style|svg)\b.*?</\1>|<[^>]+>", " ", page, flags=re.S)
    return re.sub(r"\binbox/\S+", " ", html.unescape(page))  # where an input lies


def code_in(text: str) -> list[str]:
    """The contract keys and English reasons a Norwegian text shows."""
    return KEYS.findall(text) + [english for english in ENGLISH if english in text]
