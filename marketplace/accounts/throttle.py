"""Throttles kept in the database, so they hold across workers and machines.

The login throttle counts LoginAttempt rows (marketplace.accounts.sessions). Other actions
that send mail to an address anyone can type, the password-reset request and creating an
account, count `ThrottleHit` rows here: per client IP and per e-mail address, within a
window. A per-process counter (Flask-Limiter's memory://, used before) let 17 resets through
with 2 workers; no limit of the app lives in process memory any more.

What is counted is stored only as a SHA-256 digest ("ip:…" or "address:…"), never the IP or
address itself, and rows older than the window are removed as new ones come in: the table
holds no personal data and stays small.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Index, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.accounts.sessions import throttle_key
from marketplace.clock import now as clock_now
from marketplace.db import utcnow
from marketplace.extensions import db


class ThrottleHit(db.Model):
    """One attempt at a throttled action, by a digest of who or what it was for."""

    __tablename__ = "throttle_hit"
    __table_args__ = (Index("ix_throttle_hit_action_key_at", "action", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True)
class Limit:
    per_ip: int
    per_address: int
    window: timedelta


def reset_limit(config: Any) -> Limit:
    """The password-reset limit (defaults: 10 an hour per IP, 5 an hour per address)."""
    return Limit(per_ip=int(config.get("PASSWORD_RESET_LIMIT_PER_IP", 10)),
                 per_address=int(config.get("PASSWORD_RESET_LIMIT_PER_ADDRESS", 5)),
                 window=timedelta(seconds=int(config.get("PASSWORD_RESET_WINDOW_SECONDS",
                                                         3600))))


def register_limit(config: Any) -> Limit:
    """The limit on creating accounts (defaults: 10 an hour per IP, 3 an hour per address)."""
    return Limit(per_ip=int(config.get("REGISTER_LIMIT_PER_IP", 10)),
                 per_address=int(config.get("REGISTER_LIMIT_PER_ADDRESS", 3)),
                 window=timedelta(seconds=int(config.get("REGISTER_WINDOW_SECONDS", 3600))))


def digest(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode("utf-8", "replace")).hexdigest()


def allow(action: str, *, ip: str, address: str, limit: Limit,
          now: datetime | None = None) -> bool:
    """Whether this attempt is within the limit; if so it is counted (the caller commits).

    A refused attempt is not counted, so waiting the window out always works.
    """
    now = now or clock_now()
    since = now - limit.window
    keys = {digest("ip", ip): limit.per_ip, digest("address", throttle_key(address)):
            limit.per_address}
    for key, maximum in keys.items():
        count = db.session.scalar(select(func.count()).where(
            ThrottleHit.action == action, ThrottleHit.key == key, ThrottleHit.at >= since))
        if (count or 0) >= maximum:
            return False
    db.session.execute(delete(ThrottleHit).where(ThrottleHit.action == action,
                                                 ThrottleHit.at < since))
    db.session.add_all(ThrottleHit(action=action, key=key, at=now) for key in keys)
    db.session.flush()
    return True
