"""Small, readable test data: plain factory functions."""

from __future__ import annotations

import openpyxl

from scoring.config import ProgramConfig, parse_program

PROGRAM = {
    "program": {"id": "test", "name": "Test programme", "locale": "nb",
                "application_deadline": "2025-03-01", "hr_email": "hr@example.no"},
    "scorecard": {"scale": [1, 5], "min_reviews": 2, "disagreement": 2, "criteria": [
        {"key": "motivation", "label": "Motivasjon", "weight": 3},
        {"key": "digital", "label": "Digital kompetanse", "weight": 4},
        {"key": "communication", "label": "Formidling", "weight": 2}]},
    "selection": {"invite": {"count": 3, "quota": []}},
    "video": {"questions": ["Q1?", "Q2?", "Q3?"], "submission_deadline": "2025-04-01"},
}


def program(**sections: dict) -> ProgramConfig:
    """The test programme, with whole sections replaced or added."""
    return parse_program({**PROGRAM, **sections})


def application_row(i: int, **fields: object) -> dict:
    row = {"applicant_id": f"A{i:03d}", "name": f"Søker {i}", "email": f"s{i}@example.no",
           "birth_date": "1995-06-15", "unit": "Kripos", "position": "rådgiver",
           "staff_category": "civilian" if i % 2 else "operational", "education": "master",
           "gender": "kvinne", "immigrant_background": "no", "motivation": "Jeg vil bidra.",
           "consent": "yes", "submitted_at": f"2025-02-{1 + i % 27:02d}T10:00:00"}
    return {**row, **fields}


def fill_ranking_sheet(sheet_path, target, ranks: dict[str, int] | None = None,
                       token: str | None = None):
    """A leader's reply: ranks written into the packet's sheet (all available ones by default)."""
    book = openpyxl.load_workbook(sheet_path)
    rows = [row for row in book.worksheets[0].iter_rows(min_row=3) if row[0].value]
    available = [row for row in rows if not row[5].value]
    ranks = ranks or {row[0].value: n for n, row in enumerate(available, start=1)}
    for row in rows:
        row[4].value = ranks.get(row[0].value)
    if token:
        book.worksheets[1]["B2"] = token
    book.save(target)
