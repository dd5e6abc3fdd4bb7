"""Sending e-mail: SMTP when configured, else `.eml` files in the outbox; never twice the same."""

from __future__ import annotations

import datetime as dt
import hashlib
import smtplib
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from prefect.logging import get_run_logger
from sqlalchemy import select
from sqlalchemy.engine import Connection

from scoring.errors import StageStopped
from tasks import task
from tasks.render import render
from tasks.settings import Settings, load_settings
from tasks.store import connected, email_log
from tasks.workspace import Workspace, write_atomically

RETRY_DELAYS = (1, 5, 15)  # seconds between tries on a temporary SMTP failure


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    mime: str = "application/octet-stream"
    identity: str = ""  # what the file means, for files whose bytes change on every save

    @property
    def fingerprint(self) -> bytes:
        return self.identity.encode() if self.identity else self.data


@dataclass(frozen=True)
class Letter:
    recipient_id: str  # applicant or leader id: what logs and the ledger name
    to: str
    subject: str
    body: str
    html: str | None = None
    attachments: tuple[Attachment, ...] = ()
    outcome: str | None = None  # what it tells an applicant: sent once per outcome, whatever
    deadline: dt.date | None = None  # the video deadline it gives the applicant

    @property
    def content_hash(self) -> str:
        digest = hashlib.sha256(f"{self.to}\n{self.subject}\n{self.body}".encode())
        digest.update((self.html or "").encode())
        for attachment in self.attachments:
            digest.update(attachment.filename.encode() + attachment.fingerprint)
        return digest.hexdigest()

    def key(self, stage: str) -> str:
        identity = f"{stage}|{self.recipient_id}|{self.content_hash}"
        return hashlib.sha256(identity.encode()).hexdigest()


def letter_from_template(template: str, recipient_id: str, to: str, /,
                         html: str | None = None, attachments: tuple[Attachment, ...] = (),
                         outcome: str | None = None, video_deadline: dt.date | None = None,
                         **context: object) -> Letter:
    """Render a text template whose first line is the subject, and the `html` template (the same
    letter for mail programs that show HTML), if given. `outcome` and `video_deadline` go to
    the ledger: what the letter tells the applicant, and by when a video must come."""
    subject, _, body = render(template, **context).partition("\n")
    markup = render(html, subject=subject.strip(), **context) if html else None
    return Letter(recipient_id, to, subject.strip(), body.lstrip("\n"), markup, attachments,
                  outcome, video_deadline)


def as_message(letter: Letter, sender: str, key: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = letter.to
    message["Subject"] = letter.subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = f"<{key[:32]}@mentoring.invalid>"
    message.set_content(letter.body)
    if letter.html:
        message.add_alternative(letter.html, subtype="html")
    for attachment in letter.attachments:
        maintype, subtype = attachment.mime.split("/", 1)
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype,
                               filename=attachment.filename)
    return message


def smtp_connection(settings: Settings, host: str) -> smtplib.SMTP:
    if settings.smtp_security == "ssl":
        conn: smtplib.SMTP = smtplib.SMTP_SSL(host, settings.smtp_port, timeout=30,
                                              context=ssl.create_default_context())
    else:
        conn = smtplib.SMTP(host, settings.smtp_port, timeout=30)
        if settings.smtp_security == "starttls":
            conn.starttls(context=ssl.create_default_context())
    if settings.smtp_user:
        conn.login(settings.smtp_user, settings.smtp_password or "")
    return conn


def send_with_retries(settings: Settings, host: str, message: EmailMessage,
                      recipient_id: str) -> None:
    """Temporary failures (4xx, dropped connections) are tried again with back-off."""
    for attempt, delay in enumerate((*RETRY_DELAYS, None)):
        try:
            with smtp_connection(settings, host) as conn:
                conn.send_message(message)
            return
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError,
                smtplib.SMTPResponseException) as exc:
            code = getattr(exc, "smtp_code", 0)
            permanent = 500 <= code < 600
            if permanent or delay is None:
                raise StageStopped(
                    f"e-mail to {recipient_id} could not be sent after {attempt + 1} tries "
                    f"({type(exc).__name__} {code or ''}); the rest will be sent on the next run"
                ) from None
            time.sleep(delay)


def told_outcomes(conn: Connection) -> set[tuple[str, str]]:
    """(applicant id, outcome) of every outcome letter the ledger holds."""
    query = select(email_log.c.recipient_id, email_log.c.outcome).where(
        email_log.c.outcome.is_not(None))
    return {(recipient, outcome) for recipient, outcome in conn.execute(query)}


@task
def send_letters(ws: Workspace, stage: str, run_id: str, letters: list[Letter],
                 sender: str) -> dict[str, int]:
    """Deliver each letter not in the ledger yet (see `deliver`)."""
    counts = deliver(ws, stage, run_id, letters, sender)
    get_run_logger().info("%s e-mails: %d sent, %d already sent before", stage, counts["sent"],
                          counts["skipped"])
    return counts


def deliver(ws: Workspace, stage: str, run_id: str, letters: list[Letter],
            sender: str) -> dict[str, int]:
    """Deliver each letter not in the ledger yet, recording each one as soon as it is out, so a
    crash mid-way resumes with the rest and a rerun sends nothing twice. A letter that tells an
    outcome goes once per applicant and outcome, even when its words (a date) have changed."""
    settings = load_settings()
    with connected(ws) as conn:
        sent_keys = select(email_log.c.key).where(email_log.c.stage == stage)
        done = set(conn.execute(sent_keys).scalars())
        told = told_outcomes(conn)
    sent = 0
    for letter in letters:
        key = letter.key(stage)
        if key in done or (letter.recipient_id, letter.outcome) in told:
            continue
        message = as_message(letter, sender, key)
        if settings.smtp_host:
            send_with_retries(settings, settings.smtp_host, message, letter.recipient_id)
        else:
            name = f"{stage}-{letter.recipient_id}-{key[:12]}.eml"
            write_atomically(ws.folder("outbox") / name, message.as_bytes())
        with connected(ws, write=True) as conn:
            conn.execute(email_log.insert().values(
                key=key, stage=stage, recipient_id=letter.recipient_id,
                content_hash=letter.content_hash,
                transport="smtp" if settings.smtp_host else "outbox",
                sent_at=dt.datetime.now(dt.UTC), run_id=run_id, outcome=letter.outcome,
                deadline=letter.deadline))
        sent += 1
    return {"sent": sent, "skipped": len(letters) - sent}
