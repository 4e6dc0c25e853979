"""The sweep ledger: `claim(key)` is true exactly once per key, even with two schedulers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, exists, literal, select
from sqlalchemy.exc import IntegrityError

from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.followup.models import SweepRecord


def claim(key: str, job: str, now: datetime | None = None) -> bool:
    """Record that `job` acted on `key`; False when it already did (here or elsewhere)."""
    if db.session.scalar(select(SweepRecord.key).where(SweepRecord.key == key)) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(SweepRecord(key=key, job=job, created_at=now or clock_now()))
    except IntegrityError:
        return False  # a concurrent sweep took it first; its transaction will act
    return True


def key_expr(*parts: Any) -> Any:
    """A SQL expression building a ledger key from literals and columns, e.g.
    key_expr("stale:", HelpRequest.id) renders 'stale:' || CAST(id AS VARCHAR)."""
    expression = None
    for part in parts:
        piece = literal(part) if isinstance(part, str) else cast(part, String)
        expression = piece if expression is None else expression + piece
    return expression


def unclaimed(expression: Any) -> Any:
    """WHERE clause: no ledger row with this key yet (so LIMIT never starves new items)."""
    return ~exists().where(SweepRecord.key == expression)
