"""The outbox relay: sends pending mail after commit, retries with backoff, never twice on purpose.

Each message is claimed, sent and marked sent, each database step in its own short
transaction and the send outside any. A crash between the SMTP server accepting a message and
the commit that marks it sent is the one window in which a message can go out twice; it cannot
be closed without the receiving server's help, so it is kept as small as possible. A crash
after the claim and before the server accepted leaves the message pending: it is sent when the
claim runs out (CLAIM_SECONDS), late but not lost.
"""

from __future__ import annotations

import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select, update

from marketplace.clock import now as clock_now
from marketplace.clock import wall_clock
from marketplace.extensions import db
from marketplace.notifications.models import OutboxMessage

BACKOFF_BASE_SECONDS = 60
# Longer than a send takes (the SMTP timeout is 30 s): meanwhile a claimed message is left alone.
CLAIM_SECONDS = 60


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


def claim(message_id: int, now: datetime) -> bool:
    """Take one due message for sending (a short transaction of its own).

    The claim moves next_attempt_at past the longest a send can take, so no other relay
    (a second scheduler by mistake) takes it meanwhile, and a relay killed before it could
    mark the message leaves it to be tried again after the claim ran out: late, never lost.
    The claim counts from the wall clock when that is later than `now` (a run as of an
    earlier moment): the other relay judges it by its own wall clock.
    """
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == "pending",
               OutboxMessage.next_attempt_at <= now)
        .values(next_attempt_at=max(now, wall_clock()) + timedelta(seconds=CLAIM_SECONDS))
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def release_claims(now: datetime | None = None) -> int:
    """Free the claims of a relay that is gone (called by a scheduler that just became the
    only active one): its never-tried messages go out now instead of when the claim runs
    out. Messages waiting for a retry (attempts > 0) keep their backoff."""
    now = now or clock_now()
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.attempts == 0,
               OutboxMessage.next_attempt_at > now)
        .values(next_attempt_at=now)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount


def relay(
    transport: Transport, *, sender: str, now: datetime | None = None, limit: int = 200,
    max_attempts: int = 8,
) -> int:
    """Send what is due; returns how many were sent. An entry point: it commits.

    Per message: claim (commit), send with no transaction open (SQLite's one write lock is
    never held while a mail server answers), mark sent (commit). The window in which a
    message can go out twice is from the server's "250 OK" to that last commit.

    Every stamp is `now`, the run's moment, never the wall clock: sent_at (and
    next_attempt_at of a message that is done, which the claim moved) is what mail
    retention counts its 90 days from, so a run as of a moment a year ahead must not leave
    mail that looks a year old to the next run as of that moment.
    """
    now = now or clock_now()
    ids = due_messages(now, limit)
    db.session.commit()
    sent = 0
    for message_id in ids:
        if not claim(message_id, now):
            continue
        message = db.session.get(OutboxMessage, message_id)
        mail = build_email(message, sender)
        db.session.commit()  # ends the read; nothing is held during the send
        try:
            transport.send(mail, message_id)
        except (OSError, smtplib.SMTPException, ValueError) as error:
            message = db.session.get(OutboxMessage, message_id)
            message.attempts += 1
            message.last_error = f"{type(error).__name__}: {error}"[:500]
            if message.attempts >= max_attempts:
                message.status = "failed"
                message.next_attempt_at = now  # no next attempt: when it gave up
            else:
                delay = BACKOFF_BASE_SECONDS * 2 ** (message.attempts - 1)
                message.next_attempt_at = now + timedelta(seconds=delay)
            db.session.commit()
            continue
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id)
            .values(status="sent", attempts=OutboxMessage.attempts + 1, sent_at=now,
                    next_attempt_at=now)
            .execution_options(synchronize_session=False))
        db.session.commit()
        sent += 1
    return sent
