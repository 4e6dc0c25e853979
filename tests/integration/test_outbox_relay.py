"""The outbox relay against a real SMTP server (aiosmtpd) and the .eml folder."""

from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from marketplace.clock import now
from marketplace.extensions import db
from marketplace.jobs import run_due
from marketplace.notifications.models import OutboxMessage
from marketplace.notifications.outbox import enqueue
from marketplace.notifications.relay import Transport, relay


class Collect:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def smtp_server():
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


def _queue(user_name: str = "Riek", key: str | None = None):
    class U:
        name = user_name

    return enqueue("riek@example.org", "password_reset", dedupe_key=key, user=U(),
                   reset_url="http://x/reset")


def test_relay_sends_over_smtp_once(app, smtp_server):
    controller, handler = smtp_server
    _queue()
    db.session.commit()
    transport = Transport(f"smtp://127.0.0.1:{controller.port}", "/nonexistent")
    assert relay(transport, sender="bm@example.org") == 1
    assert relay(transport, sender="bm@example.org") == 0
    assert len(handler.messages) == 1
    mail = handler.messages[0]
    assert mail["To"] == "riek@example.org"
    assert mail["Subject"] == "Nieuw wachtwoord voor Buurtmakelaar"
    assert "http://x/reset" in mail.get_payload(decode=True).decode()
    row = db.session.scalar(select(OutboxMessage))
    assert row.status == "sent" and row.sent_at is not None


def test_dedupe_key_writes_a_message_once(app):
    assert _queue(key="reminder:1") is not None
    assert _queue(key="reminder:1") is None
    db.session.commit()
    assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)) == 1


def test_failed_delivery_is_retried_with_backoff_then_given_up(app):
    port = free_port()  # nothing listens here: connection refused
    _queue()
    db.session.commit()
    transport = Transport(f"smtp://127.0.0.1:{port}", "/nonexistent")
    start = now()
    assert relay(transport, sender="bm@example.org", now=start, max_attempts=3) == 0
    row = db.session.scalar(select(OutboxMessage))
    assert row.status == "pending" and row.attempts == 1
    assert row.next_attempt_at - start == timedelta(seconds=60)
    assert "ConnectionRefusedError" in row.last_error
    # Not due yet: nothing is tried.
    assert relay(transport, sender="bm@example.org", now=start + timedelta(seconds=30),
                 max_attempts=3) == 0
    assert db.session.scalar(select(OutboxMessage)).attempts == 1
    relay(transport, sender="bm@example.org", now=start + timedelta(seconds=61), max_attempts=3)
    row = db.session.scalar(select(OutboxMessage))
    assert row.attempts == 2 and row.next_attempt_at - (start + timedelta(seconds=61)) == (
        timedelta(seconds=120))
    relay(transport, sender="bm@example.org", now=start + timedelta(hours=1), max_attempts=3)
    assert db.session.scalar(select(OutboxMessage)).status == "failed"


def test_default_transport_writes_eml_files(app, tmp_path):
    _queue()
    db.session.commit()
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path / "mail")
    result = run_due(now())
    assert result["outbox_relay"] == 1
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1
    assert "Subject: Nieuw wachtwoord voor Buurtmakelaar" in files[0].read_text()
    assert not any(run_due(now()).values())
