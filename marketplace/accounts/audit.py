"""The audit trail: every read of sensitive data and every change of rights is recorded."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from marketplace.accounts.models import AuditEvent
from marketplace.clock import now as clock_now
from marketplace.extensions import db


def record(
    action: str,
    *,
    actor_id: int | None,
    subject_user_id: int | None = None,
    on_behalf_of_id: int | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    event = AuditEvent(
        at=now or clock_now(),
        action=action,
        actor_user_id=actor_id,
        subject_user_id=subject_user_id,
        on_behalf_of_user_id=on_behalf_of_id,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        ip=ip,
    )
    db.session.add(event)
    return event


def record_rows(rows: list[dict[str, Any]], *, now: datetime | None = None) -> None:
    """Several audit rows in one statement, without the ORM's flush (a page served again
    from the page store writes what drawing it wrote: marketplace/page_cache). Each row
    has the columns of `AuditEvent` but `id` and `at`; `at` is now for all."""
    at = now or clock_now()
    db.session.execute(insert(AuditEvent.__table__), [{**row, "at": at} for row in rows])


def commit_read() -> None:
    """Commit the audit row of a read, keeping what the request already loaded: the page then
    shows what was read without loading it all again (the user, their roles and areas, the
    record: two or three statements). The loaded objects stay as they were read; a page
    that writes more commits again as usual."""
    session = db.session()
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def events_about(user_id: int, limit: int = 500) -> list[AuditEvent]:
    """What was done with or seen of this person's data, newest first (for their export)."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.subject_user_id == user_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def search(*, subject_id: int | None = None, actor_id: int | None = None,
           since: datetime | None = None, until: datetime | None = None,
           before_id: int | None = None, limit: int = 50) -> list[AuditEvent]:
    """The log for the administrator, newest first: about a person, by a person, in a period
    (`since` included, `until` not), after the last event of the previous page (keyset)."""
    stmt = select(AuditEvent)
    if subject_id is not None:
        stmt = stmt.where(AuditEvent.subject_user_id == subject_id)
    if actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_user_id == actor_id)
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= since)
    if until is not None:
        stmt = stmt.where(AuditEvent.at < until)
    if before_id is not None:
        stmt = stmt.where(AuditEvent.id < before_id)
    return list(db.session.scalars(stmt.order_by(AuditEvent.id.desc()).limit(limit)))
