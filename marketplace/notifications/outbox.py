"""Putting mail in the outbox. The relay (relay.py) sends it after the transaction commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import render_template
from flask_babel import force_locale
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

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
) -> int | None:
    """Render templates/email/<template>.txt (first line is the subject) into the outbox.

    Returns the message's id. With a dedupe_key the message is written at most once while
    its row is kept (mail retention deletes sent mail after 90 days: a sweep whose item can
    stay due longer also claims a ledger key): a sweep that runs twice, or a second
    scheduler, finds the key taken and sends nothing new.
    Returns None then, also when a concurrent transaction inserts the same key first: the
    unique index decides (``INSERT … ON CONFLICT DO NOTHING``, one statement on both
    databases; it waits for that transaction and yields when it commits).
    """
    with force_locale(locale or "nl"):
        rendered = render_template(f"email/{template}.txt", **context).strip()
    subject, _, body = rendered.partition("\n")
    now = now or clock_now()
    values = {"dedupe_key": dedupe_key, "to_address": to_address,
              "subject": subject.strip()[:200], "body_text": body.strip() + "\n",
              "created_at": now, "next_attempt_at": now}
    insert = (postgresql_insert if db.session.get_bind().dialect.name == "postgresql"
              else sqlite_insert)(OutboxMessage).values(**values)
    if dedupe_key is not None:
        insert = insert.on_conflict_do_nothing(index_elements=[OutboxMessage.dedupe_key])
    return db.session.execute(insert.returning(OutboxMessage.id)).scalar()
