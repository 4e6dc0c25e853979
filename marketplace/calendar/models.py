"""A calendar feed token per person. Only a SHA-256 of the token is stored.

The token itself is derived from a random ``nonce`` with the app's secret key (HMAC), so
the feed address can be shown again on every visit without storing it: a copy of the
database alone does not reveal anyone's feed address.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import utcnow
from marketplace.extensions import db

ACTIVE_FEED = "revoked_at IS NULL"


class CalendarFeed(db.Model):
    __tablename__ = "calendar_feed"
    __table_args__ = (
        # One live address per person; revoked ones stay for the record.
        Index("uq_calendar_feed_live_user", "user_id", unique=True,
              sqlite_where=text(ACTIVE_FEED), postgresql_where=text(ACTIVE_FEED)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    nonce: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
