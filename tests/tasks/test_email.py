"""E-mail through a real SMTP server on loopback, and the ledger that prevents double sending."""

import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller

from scoring.errors import StageStopped
from tasks.email import Letter, send_letters


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


def use_smtp(monkeypatch, port: int) -> None:
    monkeypatch.setenv("MENTORING_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("MENTORING_SMTP_PORT", str(port))
    monkeypatch.setenv("MENTORING_SMTP_SECURITY", "none")


def serve(monkeypatch, handler) -> Controller:
    """A real SMTP server on loopback with the given handler, and the settings to use it."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(monkeypatch, controller.port)
    return controller


@pytest.fixture
def smtp(monkeypatch):
    inbox = Inbox()
    controller = serve(monkeypatch, inbox)
    yield inbox
    controller.stop()


def letters(body: str = "Hei") -> list[Letter]:
    return [Letter("A1", "a1@example.no", "Invitasjon", body),
            Letter("A2", "a2@example.no", "Invitasjon", body)]


def test_letters_go_out_over_smtp_once_even_when_sent_again(ws, smtp):
    assert send_letters.fn(ws, "intake", "run1", letters(), "hr@example.no") == \
        {"sent": 2, "skipped": 0}
    assert send_letters.fn(ws, "intake", "run2", letters(), "hr@example.no") == \
        {"sent": 0, "skipped": 2}
    assert sorted(m.rcpt_tos[0] for m in smtp.messages) == ["a1@example.no", "a2@example.no"]
    assert "Hei" in smtp.messages[0].content.decode()


def test_changed_content_is_a_new_letter(ws, smtp):
    send_letters.fn(ws, "intake", "run1", letters("Hei"), "hr@example.no")
    assert send_letters.fn(ws, "intake", "run2", letters("Ny frist"), "hr@example.no")["sent"] == 2


def test_without_smtp_letters_land_in_the_outbox_once(ws, monkeypatch):
    monkeypatch.delenv("MENTORING_SMTP_HOST", raising=False)
    send_letters.fn(ws, "intake", "run1", letters(), "hr@example.no")
    send_letters.fn(ws, "intake", "run2", letters(), "hr@example.no")
    files = sorted((ws.root / "outbox").glob("*.eml"))
    assert len(files) == 2
    assert b"To: a1@example.no" in files[0].read_bytes()


class Busy(Inbox):
    """Answers 451 (try again later) to the first `refusals` messages."""

    def __init__(self, refusals: int):
        super().__init__()
        self.refusals = refusals

    async def handle_DATA(self, server, session, envelope):
        if self.refusals:
            self.refusals -= 1
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def fast_retries(monkeypatch):
    monkeypatch.setattr("tasks.email.RETRY_DELAYS", (0, 0, 0))


def test_a_temporary_refusal_is_tried_again_and_then_delivered(ws, monkeypatch,
                                                                fast_retries):
    inbox = Busy(refusals=2)
    controller = serve(monkeypatch, inbox)
    try:
        assert send_letters.fn(ws, "intake", "run1", letters()[:1], "hr@example.no")["sent"] == 1
        assert len(inbox.messages) == 1
    finally:
        controller.stop()


def test_a_server_that_keeps_refusing_stops_the_stage_and_a_rerun_sends_the_rest(
        ws, monkeypatch, fast_retries):
    inbox = Busy(refusals=5)
    controller = serve(monkeypatch, inbox)
    try:
        with pytest.raises(StageStopped, match="e-mail to A1 could not be sent after 4 tries"):
            send_letters.fn(ws, "intake", "run1", letters(), "hr@example.no")
        inbox.refusals = 0
        assert send_letters.fn(ws, "intake", "run2", letters(), "hr@example.no") == \
            {"sent": 2, "skipped": 0}
    finally:
        controller.stop()


def test_a_dropped_connection_is_a_clear_stop_not_a_traceback(ws, monkeypatch,
                                                              fast_retries):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def drop_everyone():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            connection.close()

    dropper = threading.Thread(target=drop_everyone, daemon=True)
    dropper.start()
    use_smtp(monkeypatch, listener.getsockname()[1])
    try:
        with pytest.raises(StageStopped, match="SMTPServerDisconnected"):
            send_letters.fn(ws, "intake", "run1", letters(), "hr@example.no")
    finally:
        stop.set()
        dropper.join()
        listener.close()


class Refusing(Inbox):
    async def handle_DATA(self, server, session, envelope):
        return "550 5.1.1 No such mailbox"


def test_a_permanent_refusal_stops_at_once_without_retrying(ws, monkeypatch):
    monkeypatch.setattr("tasks.email.RETRY_DELAYS", (60, 60, 60))  # would take minutes if used
    controller = serve(monkeypatch, Refusing())
    try:
        started = time.monotonic()
        with pytest.raises(StageStopped, match="could not be sent after 1 tries"):
            send_letters.fn(ws, "intake", "run1", letters()[:1], "hr@example.no")
        assert time.monotonic() - started < 10
    finally:
        controller.stop()
