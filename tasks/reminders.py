"""Reminders to those who are behind: reviewers who owe reviews, leaders who have not ranked,
invited applicants without an accepted video."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select

from scoring.config import ProgramConfig
from scoring.rankings import verify
from scoring.reminders import reminded, sent_after, videos_awaited
from tasks import task
from tasks.calendar import long_date
from tasks.email import Attachment, Letter, letter_from_template
from tasks.letters import XLSX, packet_link
from tasks.links import Links
from tasks.outcomes import video_deadlines
from tasks.render import labels, reason_texts
from tasks.scorecard import reviews_owed
from tasks.settings import load_settings
from tasks.sheets import sheet_files, workbook_token
from tasks.store import chosen_before, connected, packets, published, run_history
from tasks.submissions import list_videos
from tasks.workspace import Workspace, signing_secret


@task
def reviewer_reminders(ws: Workspace, config: ProgramConfig, today: dt.date) -> list[Letter]:
    """To each reviewer who owes reviews, which, with their sheets again; none once the
    shortlist has gone to the leaders, when reviews no longer change anything."""
    if chosen_before.fn(ws, 1) is not None:
        return []
    locale = config.program.locale
    words = labels(locale)["review_sheet"]
    behind = reviews_owed(ws, config)
    letters = []
    for reviewer in config.reviewers:
        mine = behind[behind["reviewer_id"] == reviewer.id]
        if mine.empty:
            continue
        owed = [{"what": words["stages"][stage],
                 "ids": [f"{row.applicant_id} – {row.name}" for row in part.itertuples()]}
                for stage, part in mine.groupby("stage", sort=False)]
        sheets = [ws.folder("panel") / stage / f"{words['file']}-{reviewer.id}.xlsx"
                  for stage in mine["stage"].unique()]
        letters.append(letter_from_template(
            f"{locale}/remind_reviewer.txt", reviewer.id, reviewer.email,
            attachments=tuple(Attachment(f"{path.parent.name}-{path.name}", path.read_bytes(),
                                         XLSX) for path in sheets if path.is_file()),
            outcome=reminded(today), name=reviewer.name, program_name=config.program.name,
            owed=owed, hr_email=config.program.hr_email))
    return letters


def ranked_leaders(ws: Workspace, config: ProgramConfig, shortlist: str) -> set[str]:
    """The leaders who have sent a sheet of the current shortlist, or ranked on the portal
    (which files one), whether or not it counts: the match tells them what to correct."""
    secret = signing_secret(ws, load_settings().secret)
    leaders = {leader.id for leader in config.leaders}
    words = reason_texts(config.program.locale)
    found = (verify(secret, workbook_token(path), shortlist, leaders, words)[0]
             for path in sheet_files(ws.inbox("rankings")))
    return {leader for leader in found if leader}


@task
def leader_reminders(ws: Workspace, config: ProgramConfig, links: Links,
                     today: dt.date) -> list[Letter]:
    """To each leader who has not ranked the shortlist, while its reply deadline is ahead."""
    with connected(ws) as conn:
        shortlist = conn.execute(select(packets.c.shortlist_id).limit(1)).scalar()
    deadline = config.packets.reply_deadline
    if shortlist is None or (deadline is not None and deadline < today):
        return []
    locale = config.program.locale
    ranked = ranked_leaders(ws, config, shortlist)
    return [letter_from_template(
        f"{locale}/remind_leader.txt", leader.id, leader.email, outcome=reminded(today),
        leader_name=leader.name, program_name=config.program.name,
        portal=bool(config.web.base_url),
        link=packet_link(config, links, leader.id),
        min_ranked=config.matching.min_ranked, per_leader=config.matching.mentors_per_leader,
        reply_deadline=long_date(deadline, locale) if deadline else None,
        hr_email=config.program.hr_email)
        for leader in config.leaders if leader.id not in ranked]


@task
def video_reminders(ws: Workspace, config: ProgramConfig, links: Links,
                    today: dt.date) -> list[Letter]:
    """To each invited applicant without an accepted video who has sent nothing since the
    videos were last checked, while their own deadline is ahead; none once the shortlist has
    gone to the leaders, when a video no longer changes it."""
    if chosen_before.fn(ws, 2) is not None:
        return []
    table, _ = published(ws)
    history = run_history(ws)
    checks = pd.to_datetime(history.loc[history["stage"].isin(["videos", "rescore"]),
                                        "finished_at"], utc=True)
    checked_at = checks.max() if len(checks) else None
    sent = sent_after(list_videos.fn(ws, config.program.timezone), checked_at)
    due = videos_awaited(table, sent, video_deadlines(ws, config),
                         config.video.submission_deadline, today)
    locale = config.program.locale
    return [letter_from_template(
        f"{locale}/remind_video.txt", str(applicant_id), str(table.at[applicant_id, "email"]),
        outcome=reminded(today), name=table.at[applicant_id, "name"],
        program_name=config.program.name, deadline=long_date(deadline, locale),
        applicant_id=applicant_id, link=links.video(str(applicant_id), deadline),
        hr_email=config.program.hr_email)
        for applicant_id, deadline in due.items()]
