"""E-mail through a real SMTP server on loopback, and the ledger that prevents double sending."""

import socket
import time

import pytest
from aiosmtpd.controller import Controller

from tasks.email import Letter, send_letters
from tasks.workspace import init_workspace


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setenv("MENTORING_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("MENTORING_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("MENTORING_SMTP_SECURITY", "none")
    yield inbox
    controller.stop()


def letters(body: str = "Hei") -> list[Letter]:
    return [Letter("A1", "a1@example.no", "Invitasjon", body),
            Letter("A2", "a2@example.no", "Invitasjon", body)]


def test_letters_go_out_over_smtp_once_even_when_sent_again(tmp_path, smtp):
    ws = init_workspace(tmp_path / "ws")
    assert send_letters.fn(ws, "intake", "run1", letters(), "hr@example.no") == \
        {"sent": 2, "skipped": 0}
    assert send_letters.fn(ws, "intake", "run2", letters(), "hr@example.no") == \
        {"sent": 0, "skipped": 2}
    time.sleep(0.2)
    assert sorted(m.rcpt_tos[0] for m in smtp.messages) == ["a1@example.no", "a2@example.no"]
    assert "Hei" in smtp.messages[0].content.decode()


def test_changed_content_is_a_new_letter(tmp_path, smtp):
    ws = init_workspace(tmp_path / "ws")
    send_letters.fn(ws, "intake", "run1", letters("Hei"), "hr@example.no")
    assert send_letters.fn(ws, "intake", "run2", letters("Ny frist"), "hr@example.no")["sent"] == 2


def test_without_smtp_letters_land_in_the_outbox_once(tmp_path, monkeypatch):
    monkeypatch.delenv("MENTORING_SMTP_HOST", raising=False)
    ws = init_workspace(tmp_path / "ws")
    send_letters.fn(ws, "intake", "run1", letters(), "hr@example.no")
    send_letters.fn(ws, "intake", "run2", letters(), "hr@example.no")
    files = sorted((ws.root / "outbox").glob("*.eml"))
    assert len(files) == 2
    assert b"To: a1@example.no" in files[0].read_bytes()
