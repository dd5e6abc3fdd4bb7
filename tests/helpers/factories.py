"""Small, readable test data: plain factory functions."""

from __future__ import annotations

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
