"""The outbox relay: sends pending mail after commit, retries with backoff, never twice on purpose.

Each message is claimed, sent and marked sent in its own short transaction. A crash between the
SMTP server accepting a message and the commit that marks it sent is the one window in which a
message can go out twice; it cannot be closed without the receiving server's help, so it is
kept as small as possible.
"""

from __future__ import annotations

import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select

from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.notifications.models import OutboxMessage

BACKOFF_BASE_SECONDS = 60


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.to_address
    mail["Subject"] = message.subject
    mail["Date"] = format_datetime(message.created_at)
    mail["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain="buurtmakelaar.local")
    mail.set_content(message.body_text)
    if message.body_html:
        mail.add_alternative(message.body_html, subtype="html")
    return mail


class Transport:
    """Delivers one EmailMessage; SMTP when MAIL_URL is set, else .eml files in a folder."""

    def __init__(self, mail_url: str, outbox_dir: str) -> None:
        self.mail_url = mail_url
        self.outbox_dir = Path(outbox_dir)

    def send(self, mail: EmailMessage, message_id: int) -> None:
        if not self.mail_url:
            self.outbox_dir.mkdir(parents=True, exist_ok=True)
            path = self.outbox_dir / f"{message_id:08d}.eml"
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(bytes(mail))
            tmp.replace(path)  # atomic: a reader never sees half a message
            return
        parts = urlsplit(self.mail_url)
        if parts.scheme not in ("smtp", "smtps"):
            raise ValueError(f"MAIL_URL must start with smtp:// or smtps://, not {parts.scheme}")
        smtp_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
        with smtp_class(parts.hostname or "127.0.0.1", parts.port or 25, timeout=30) as smtp:
            if parts.username:
                smtp.login(parts.username, parts.password or "")
            smtp.send_message(mail)


def due_messages(now: datetime, limit: int) -> list[int]:
    stmt = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def relay(
    transport: Transport, *, sender: str, now: datetime | None = None, limit: int = 200,
    max_attempts: int = 8,
) -> int:
    """Send what is due; returns how many were sent. Commits per message (an entry point)."""
    now = now or clock_now()
    ids = due_messages(now, limit)
    db.session.commit()
    sent = 0
    for message_id in ids:
        message = db.session.get(OutboxMessage, message_id, with_for_update={"skip_locked": True})
        if message is None or message.status != "pending":
            db.session.commit()
            continue
        try:
            transport.send(build_email(message, sender), message.id)
        except (OSError, smtplib.SMTPException, ValueError) as error:
            message.attempts += 1
            message.last_error = f"{type(error).__name__}: {error}"[:500]
            if message.attempts >= max_attempts:
                message.status = "failed"
            else:
                delay = BACKOFF_BASE_SECONDS * 2 ** (message.attempts - 1)
                message.next_attempt_at = now + timedelta(seconds=delay)
            db.session.commit()
            continue
        message.status = "sent"
        message.attempts += 1
        message.sent_at = clock_now()
        db.session.commit()
        sent += 1
    return sent
