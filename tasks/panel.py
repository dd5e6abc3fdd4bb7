"""The reviewer panel's side effects: who needs reviewers, the assignment kept in the store,
the pre-filled sheet each reviewer gets, and the letter that carries it."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from scoring.config import Criterion, ProgramConfig, Reviewer
from scoring.errors import StageStopped
from scoring.panel import PAIRS, REVIEWED, assign_panel, conflicts
from scoring.rankings import sign
from scoring.shortlist import VIDEO
from tasks import task
from tasks.email import Attachment, Letter, letter_from_template
from tasks.letters import XLSX
from tasks.render import labels
from tasks.sheets import add_token_sheet
from tasks.store import (
    RunRecord,
    applicants,
    connected,
    insert_run,
    read_tables,
    replace_rows,
    review_assignments,
    video_results,
)
from tasks.workspace import Workspace, write_atomically

# Each stage the panel reviews for: the inbox its sheets come back to.
INBOX = {"intake": "reviews", "videos": "video_reviews"}


def criteria_of(config: ProgramConfig, stage: str) -> tuple[Criterion, ...]:
    return config.scorecard.criteria if stage == "intake" else VIDEO


def made_for(stage: str) -> str:
    """What a review sheet's token binds it to besides its reviewer."""
    return f"reviews-{stage}"


@task
def to_review(ws: Workspace, config: ProgramConfig, stage: str) -> pd.DataFrame:
    """Whom the panel reviews at `stage`, as its step last published them (intake checked
    the applications; videos the videos), by applicant id with name, unit, position and
    motivation."""
    step1, step2 = read_tables(ws, applicants, video_results)
    published = step1 if stage == "intake" else step2
    if published.empty:
        raise StageStopped(f"run `mentoring {stage}` first: the panel reviews what it accepts")
    chosen = published.loc[published["status"].isin(REVIEWED[stage]), "applicant_id"]
    return step1.set_index("applicant_id").loc[chosen]


def read_assignments(ws: Workspace, stage: str) -> pd.DataFrame:
    """The panel's assignment for `stage` (applicant_id, reviewer_id); empty before any."""
    query = select(review_assignments.c.applicant_id, review_assignments.c.reviewer_id).where(
        review_assignments.c.stage == stage).order_by(review_assignments.c.applicant_id,
                                                      review_assignments.c.reviewer_id)
    with connected(ws) as conn:
        return pd.DataFrame(conn.execute(query).all(), columns=PAIRS)


@task
def assign_reviewers(people: pd.DataFrame, kept: pd.DataFrame,
                     config: ProgramConfig) -> pd.DataFrame:
    """Each applicant `scorecard.min_reviews` reviewers, around the `kept` assignment."""
    panel = config.reviewers
    max_load = pd.Series({r.id: r.max_load for r in panel}, dtype="Float64")
    return assign_panel(conflicts(people, panel), config.scorecard.min_reviews, max_load, kept)


@task
def publish_assignments(ws: Workspace, run: RunRecord, stage: str,
                        pairs: pd.DataFrame) -> dict[str, int]:
    """The stage's assignment replaced by `pairs`, with the run, in one transaction."""
    counts = {"applicants": int(pairs["applicant_id"].nunique()), "reviews": len(pairs)}
    with connected(ws, write=True) as conn:
        replace_rows(conn, review_assignments, pairs, run.run_id, stage=stage)
        insert_run(conn, run, counts)
    return counts


def review_sheet(people: pd.DataFrame, reviewer: Reviewer, criteria: tuple[Criterion, ...],
                 config: ProgramConfig, token: str) -> bytes:
    """One reviewer's XLSX: what to do on top, a row per applicant with what the reviewer
    needs to read (never a sensitive field), the reviewer's id, a cell per criterion that
    takes only a whole grade on the scale, a comment, and the token on a sheet of its own."""
    words = labels(config.program.locale)["review_sheet"]
    low, high = config.scorecard.scale
    shown = ["applicant_id", "name", "unit", "position",
             *(["motivation"] if "motivation" in people else [])]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = words["title"]
    sheet.append([words["help"].format(low=low, high=high, hr_email=config.program.hr_email)])
    width = len(shown) + 2 + len(criteria)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[1].height = 60
    sheet.append([*(words["columns"][c] for c in shown), words["columns"]["reviewer"],
                  *(c.label for c in criteria), words["columns"]["comment"]])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in people.reset_index().itertuples(index=False):
        sheet.append([*(getattr(row, c) for c in shown), reviewer.id, *[None] * len(criteria)])
    first, last = len(shown) + 2, len(shown) + 1 + len(criteria)
    grades = DataValidation(type="whole", operator="between", formula1=str(low),
                            formula2=str(high), allow_blank=True, showErrorMessage=True,
                            errorTitle=words["grade_error_title"],
                            error=words["grade_error"].format(low=low, high=high))
    sheet.add_data_validation(grades)
    letter = openpyxl.utils.get_column_letter
    grades.add(f"{letter(first)}3:{letter(last)}{len(people) + 2}")
    for column, size in zip(range(1, width + 1), [12, 26, 22, 20, *([48] if "motivation" in
                                                                       people else [])],
                            strict=False):
        sheet.column_dimensions[letter(column)].width = size
    sheet.freeze_panes = "B3"
    add_token_sheet(book, words["token_sheet"], words["token_help"], token)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class ReviewSheet:
    reviewer: Reviewer
    path: Path
    applicants: int
    identity: str  # the token and the applicants: the same sheet whenever it is rebuilt


@task
def write_review_sheets(ws: Workspace, config: ProgramConfig, stage: str, people: pd.DataFrame,
                        pairs: pd.DataFrame, secret: bytes) -> list[ReviewSheet]:
    """Each reviewer's pre-filled sheet of their applicants under `panel/<stage>/`."""
    words = labels(config.program.locale)["review_sheet"]
    criteria = criteria_of(config, stage)
    folder = ws.folder("panel") / stage
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    sheets = []
    for reviewer in config.reviewers:
        mine = people.loc[pairs.loc[pairs["reviewer_id"] == reviewer.id, "applicant_id"]]
        if mine.empty:
            continue
        token = sign(secret, reviewer.id, made_for(stage))
        path = folder / f"{words['file']}-{reviewer.id}.xlsx"
        write_atomically(path, review_sheet(mine, reviewer, criteria, config, token))
        sheets.append(ReviewSheet(reviewer, path, len(mine),
                                  f"{token}:{','.join(sorted(mine.index))}"))
    return sheets


@task
def panel_letters(sheets: list[ReviewSheet], config: ProgramConfig, stage: str) -> list[Letter]:
    """To each reviewer their sheet, once per set of applicants: a reviewer given more
    applicants gets the whole new sheet."""
    locale = config.program.locale
    words = labels(locale)["review_sheet"]
    card = config.scorecard
    return [letter_from_template(
        f"{locale}/panel_sheet.txt", sheet.reviewer.id, sheet.reviewer.email,
        attachments=(Attachment(sheet.path.name, sheet.path.read_bytes(), XLSX,
                                sheet.identity),),
        name=sheet.reviewer.name, program_name=config.program.name,
        what=words["stages"][stage], count=sheet.applicants, low=card.scale[0],
        high=card.scale[1], criteria=[c.label for c in criteria_of(config, stage)],
        hr_email=config.program.hr_email)
        for sheet in sheets]
