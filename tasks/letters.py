"""The letters the pipeline writes: invitations, rejected videos, every other outcome,
packets for leaders, announcements, summaries for HR."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pandas as pd

from scoring import report
from scoring.config import ProgramConfig, Video
from scoring.decisions import own_rules
from scoring.eligibility import failed_rules
from scoring.outcomes import fields_at_fault, video_deadline
from scoring.rankings import describe_ranks
from scoring.reasons import is_live
from scoring.record import Status
from tasks import task
from tasks.calendar import long_date, still_ahead, today_in
from tasks.email import Attachment, Letter, letter_from_template
from tasks.links import Links
from tasks.packets import LeaderPacket, Packet
from tasks.render import labels


def video_rules(rules: Video, t: dict) -> list[str]:
    """Every rule that can reject a video, in the programme's language."""
    figures = {"max_seconds": f"{rules.max_seconds:g}", "min_seconds": f"{rules.min_seconds:g}",
               "min_height": rules.min_height, "max_megabytes": f"{rules.max_megabytes:g}"}
    # Sound alone (HR's accommodation) has no picture to be high enough or to show them.
    skipped = {"min_height", "sound"} if rules.audio_only else {"sound_only"}
    return [text.format(**figures) for key, text in t["video_rules"].items()
            if key not in skipped]


def privacy_notice(config: ProgramConfig, t: dict, today: dt.date) -> list[str]:
    """Who sees the video, when it is deleted (a day still ahead), and who to ask."""
    privacy, words = config.privacy, t["privacy"]
    delete_after = privacy.delete_after
    deleted = (words["deleted_by"].format(day=long_date(
        still_ahead(delete_after, "[privacy] delete_after", today), config.program.locale))
        if delete_after else words["deleted_at_end"])
    return [words["who"].format(seen_by=privacy.seen_by or words["seen_by"]), deleted,
            words["ask"].format(contact=privacy.contact or config.program.hr_email)]


@task
def invitation_letters(table: pd.DataFrame, config: ProgramConfig,
                       links: Links) -> list[Letter]:
    """One letter per invited applicant, once: the questions, every rule a video must meet,
    a deadline that is still ahead (the call's, or `grace_days` from today after it), and the
    applicant's own upload page when there is a portal."""
    locale = config.program.locale
    invited = table[table["status"] == Status.INVITED]
    today = today_in(config)
    due = video_deadline(config.video.submission_deadline, today, config.video.grace_days)
    rules = video_rules(config.video, labels(locale))
    privacy = privacy_notice(config, labels(locale), today)
    return [
        letter_from_template(
            f"{locale}/invitation.txt", row["applicant_id"], row["email"],
            outcome=Status.INVITED, video_deadline=due,
            name=row["name"], applicant_id=row["applicant_id"],
            program_name=config.program.name, max_seconds=int(config.video.max_seconds),
            questions=config.video.questions, video_rules=rules, privacy=privacy,
            deadline=long_date(due, locale), hr_email=config.program.hr_email,
            link=links.video(row["applicant_id"], due))
        for row in invited.reset_index().to_dict("records")
    ]


@task
def rejection_letters(table: pd.DataFrame, verdicts: pd.DataFrame, granted: pd.DataFrame,
                      config: ProgramConfig, links: Links) -> list[Letter]:
    """One letter per rejected video, naming each problem and its fix, with a deadline for a
    new one that is still ahead (or the later one HR granted). `verdicts` holds each checked
    video's problem codes (comma-separated) and content hash, by applicant id; `granted`, HR's
    accommodations."""
    locale = config.program.locale
    rejected = table[table["status"] == Status.VIDEO_REJECTED].join(
        verdicts[["problems", "content_hash"]])
    letters = []
    for row in rejected.reset_index().to_dict("records"):
        rules = own_rules(config.video, granted, row["applicant_id"])
        due = own_deadline(config, granted, row["applicant_id"])
        letters.append(letter_from_template(
            f"{locale}/video_rejected.txt", row["applicant_id"], row["email"],
            outcome=f"{Status.VIDEO_REJECTED}:{row['content_hash'][:12]}", video_deadline=due,
            t=labels(locale), name=row["name"], applicant_id=row["applicant_id"],
            program_name=config.program.name, problems=row["problems"].split(","),
            max_seconds=int(rules.max_seconds), min_seconds=int(rules.min_seconds),
            deadline=long_date(due, locale), hr_email=config.program.hr_email,
            link=links.video(row["applicant_id"], due)))
    return letters


def own_deadline(config: ProgramConfig, granted: pd.DataFrame, applicant_id: str) -> dt.date:
    """The video deadline a letter sent today gives this applicant."""
    later = granted["deadline"].get(applicant_id)
    return video_deadline(config.video.submission_deadline, today_in(config),
                          config.video.grace_days, later)


@task
def accommodation_letters(table: pd.DataFrame, granted: pd.DataFrame, config: ProgramConfig,
                          links: Links) -> list[Letter]:
    """A letter to each invited applicant HR accommodated, once per accommodation: how long
    their video may be and their own deadline (the ledger keeps it, so every later check and
    letter holds to it)."""
    locale = config.program.locale
    invited = table[(table["status"] == Status.INVITED) & table.index.isin(granted.index)]
    letters = []
    for row in invited.reset_index().to_dict("records"):
        grant = granted.loc[row["applicant_id"]]
        due = own_deadline(config, granted, row["applicant_id"])
        letters.append(letter_from_template(
            f"{locale}/accommodation.txt", row["applicant_id"], row["email"],
            outcome=(f"accommodated:{grant['extra_seconds']:g}:{grant['deadline']}:"
                     f"{grant['audio_only']}"),
            video_deadline=due, name=row["name"], program_name=config.program.name,
            extra_seconds=f"{grant['extra_seconds']:g}" if grant["extra_seconds"] else None,
            audio_only=grant["audio_only"],
            max_seconds=f"{own_rules(config.video, granted, row['applicant_id']).max_seconds:g}",
            deadline=long_date(due, locale), applicant_id=row["applicant_id"],
            hr_email=config.program.hr_email, link=links.video(row["applicant_id"], due)))
    return letters


def outcome_letters(owed: pd.DataFrame, table: pd.DataFrame,
                    config: ProgramConfig) -> list[Letter]:
    """The letter for each owed outcome (`owed`: applicant_id, outcome): which rule, never a
    score, a sensitive attribute or anyone else's data."""
    locale = config.program.locale
    t = labels(locale)
    today = today_in(config)
    call = config.program.application_deadline
    people = table.loc[owed["applicant_id"]].assign(outcome=owed["outcome"].to_numpy())
    people["birth_date"] = pd.to_datetime(people["birth_date"])
    rules = failed_rules(people, config.eligibility, config.reference_date)
    letters = []
    for row in people.reset_index().to_dict("records"):
        details: dict[str, Any] = {}
        if row["outcome"] == Status.QUARANTINED:
            faults = fields_at_fault(row["reasons"], t["reason_texts"])
            details = {"fields": [t["fields"][field] for field in faults],
                       "deadline": long_date(call, locale) if call >= today else None}
        elif row["outcome"] == Status.INELIGIBLE:
            failed = rules.loc[row["applicant_id"]]
            details = {"rules": list(failed.index[failed]),
                       "max_age": config.eligibility.max_age}
        elif row["outcome"] == Status.NOT_INVITED:
            details = {"count": config.selection.invite.count}
        elif row["outcome"] == Status.UNMATCHED:
            details = {"reserves": config.matching.reserves}
        letters.append(letter_from_template(
            f"{locale}/outcome_{row['outcome']}.txt", row["applicant_id"], row["email"],
            outcome=row["outcome"], t=t, name=row["name"], program_name=config.program.name,
            hr_email=config.program.hr_email, **details))
    return letters


@task
def summary_letter(stage: str, table: pd.DataFrame, config: ProgramConfig,
                   outputs: dict[str, Path]) -> Letter:
    """The run's outcome for HR, as counts and where to read more."""
    locale = config.program.locale
    return letter_from_template(
        f"{locale}/{stage}_summary.txt", "hr", config.program.hr_email, t=labels(locale),
        program_name=config.program.name, funnel=report.funnel(table),
        rejected=int((table["status"] == Status.VIDEO_REJECTED).sum()),
        report=outputs["report"], shortlist=outputs.get("shortlist_csv", "-"))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def packet_link(config: ProgramConfig, links: Links, leader_id: str) -> str:
    """Where a leader watches and ranks: their own page, or, without a portal, where HR
    publishes the packet."""
    base = config.packets.video_link_base
    return links.packet(leader_id, config.packets.reply_deadline) or (
        f"{base.rstrip('/')}/{leader_id}/index.html" if base else
        f"packets/{leader_id}/index.html")


@task
def packet_letters(packets: list[Packet], config: ProgramConfig, links: Links) -> list[Letter]:
    """One letter per leader: the rule, their own page to watch the videos and rank on (or,
    without a portal, where HR publishes the packet), and the ranking sheet attached."""
    locale = config.program.locale
    deadline = config.packets.reply_deadline  # still ahead: build_packets checked it
    return [
        letter_from_template(
            f"{locale}/leader_packet.txt", packet.leader.id, packet.leader.email,
            html="leader_packet.html",
            attachments=(Attachment(packet.sheet.name, packet.sheet.read_bytes(), XLSX,
                                    packet.sheet_identity),),
            locale=locale, t=labels(locale), leader_name=packet.leader.name,
            program_name=config.program.name, available=packet.available,
            unavailable=packet.unavailable,
            portal=bool(config.web.base_url),
            link=packet_link(config, links, packet.leader.id),
            min_ranked=config.matching.min_ranked,
            per_leader=config.matching.mentors_per_leader,
            reply_deadline=long_date(deadline, locale) if deadline else None,
            hr_email=config.program.hr_email)
        for packet in packets
    ]


def ranking_receipt(config: ProgramConfig, links: Links, packet: LeaderPacket,
                    ranks: dict[str, int]) -> Letter:
    """To a leader who ranked on the portal: what we received, and where to change it."""
    locale = config.program.locale
    names = {card["applicant_id"]: card["name"] for card in packet.cards}
    deadline = config.packets.reply_deadline
    return letter_from_template(
        f"{locale}/ranking_receipt.txt", packet.leader.id, packet.leader.email,
        leader_name=packet.leader.name, program_name=config.program.name,
        ranked=[names[c] for c in sorted(ranks, key=ranks.__getitem__)],
        per_leader=config.matching.mentors_per_leader,
        reply_deadline=long_date(deadline, locale) if deadline else None,
        link=links.packet(packet.leader.id, deadline), hr_email=config.program.hr_email)


def announced(leader_id: str, partners: list[str]) -> str:
    """What a mentor's announcement tells, for the ledger: their leader (the pair is then
    fixed) and, as a digest, who mentors beside them (a new partner is news again)."""
    digest = hashlib.sha256(",".join(sorted(partners)).encode()).hexdigest()[:12]
    return f"{Status.MATCHED}:{leader_id}:{digest}"


@task
def announcement_letters(table: pd.DataFrame, config: ProgramConfig) -> list[Letter]:
    """To each matched mentor their leader, and to each leader their mentors."""
    locale = config.program.locale
    leaders = {leader.id: leader for leader in config.leaders}
    matched = table[table["status"] == Status.MATCHED]
    people = matched[["leader_id", "name", "email", "unit"]].reset_index()
    letters = []
    for leader_id, group in people.groupby("leader_id"):
        leader = leaders[str(leader_id)]
        for mentor in group.to_dict("records"):
            others = group[group["applicant_id"] != mentor["applicant_id"]]
            letters.append(letter_from_template(
                f"{locale}/match_mentor.txt", mentor["applicant_id"], mentor["email"],
                outcome=announced(str(leader_id), list(others["applicant_id"])),
                name=mentor["name"], leader_name=leader.name,
                partners=", ".join(others["name"]), program_name=config.program.name))
        letters.append(letter_from_template(
            f"{locale}/match_leader.txt", leader.id, leader.email, leader_name=leader.name,
            mentors=group[["name", "unit"]].to_dict("records"),
            program_name=config.program.name))
    return letters


@task
def rescore_letter(moved: pd.DataFrame, config: ProgramConfig,
                   outputs: dict[str, Path]) -> Letter:
    """To HR: who moved and why, by applicant id. HR decides what to tell whom."""
    locale = config.program.locale
    return letter_from_template(
        f"{locale}/rescore_summary.txt", "hr", config.program.hr_email, t=labels(locale),
        program_name=config.program.name, moved=moved.to_dict("records"),
        report=outputs["report"])


@task
def ranking_rejection_letters(sheets: pd.DataFrame, candidates: pd.DataFrame,
                              config: ProgramConfig) -> list[Letter]:
    """To each leader whose sheet cannot count, what to correct, in their language, once per
    sheet; not when a later sheet of theirs counts (`sheets` come oldest first). A sheet whose
    token fails names no leader, and stays in the report."""
    locale = config.program.locale
    t = labels(locale)
    leaders = {leader.id: leader for leader in config.leaders}
    names = {str(k): str(v) for k, v in candidates["name"].items()}
    rule = t["packet"]["rule"].format(min_ranked=config.matching.min_ranked,
                                      per_leader=config.matching.mentors_per_leader)
    deadline = config.packets.reply_deadline
    shown = long_date(deadline, locale) if deadline and deadline >= today_in(config) else None
    counts = is_live(sheets) & sheets["leader_id"].notna()
    last_counting = sheets.index.to_series().where(counts).groupby(sheets["leader_id"]).max()
    superseded = sheets.index.to_series() < sheets["leader_id"].map(last_counting)
    rejected = sheets[sheets["leader_id"].notna() & sheets["problems"].map(bool) & ~superseded]
    return [
        letter_from_template(
            f"{locale}/ranking_rejected.txt", sheet["leader_id"],
            leaders[sheet["leader_id"]].email, outcome=f"ranking_rejected:{sheet['digest'][:12]}",
            leader_name=leaders[sheet["leader_id"]].name, program_name=config.program.name,
            problems=[describe_ranks([problem], t["rank_problems"], names)
                      for problem in sheet["problems"]],
            rule=rule, reply_deadline=shown, hr_email=config.program.hr_email)
        for sheet in rejected.to_dict("records")
    ]
