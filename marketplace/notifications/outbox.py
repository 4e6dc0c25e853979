"""Putting mail in the outbox. The relay (relay.py) sends it after the transaction commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.notifications.models import OutboxMessage


def enqueue(
    to_address: str,
    template: str,
    *,
    dedupe_key: str | None = None,
    locale: str | None = None,
    now: datetime | None = None,
    **context: Any,
) -> OutboxMessage | None:
    """Render templates/email/<template>.txt (first line is the subject) into the outbox.

    With a dedupe_key the message is written at most once, ever: a sweep that runs twice, or
    a second scheduler, finds the key taken and sends nothing new. Returns None then (also
    when a concurrent transaction inserts the same key first: the unique index decides).
    """
    if dedupe_key is not None:
        existing = db.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
        )
        if existing is not None:
            return None
    with force_locale(locale or "nl"):
        rendered = render_template(f"email/{template}.txt", **context).strip()
    subject, _, body = rendered.partition("\n")
    now = now or clock_now()
    message = OutboxMessage(
        dedupe_key=dedupe_key,
        to_address=to_address,
        subject=subject.strip()[:200],
        body_text=body.strip() + "\n",
        created_at=now,
        next_attempt_at=now,
    )
    if dedupe_key is None:
        db.session.add(message)
        db.session.flush()
        return message
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:
        return None  # a concurrent sweep wrote this message first; its transaction sends it
    return message
