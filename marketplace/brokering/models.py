"""Matches (a proposed pairing of request and volunteer) and arrangements (agreed support)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import utcnow
from marketplace.extensions import db

MATCH_STATUSES = ("proposed", "accepted", "declined", "cancelled")
# Who answers (or answered) a match: the volunteer (worker proposed it), the resident (a
# volunteer offered help in a peer-to-peer area) or the worker (offer in a brokered area).
AWAITING = ("volunteer", "resident", "worker")
ARRANGEMENT_STATUSES = ("active", "ending", "ended")


class Match(db.Model):
    __tablename__ = "match"
    __table_args__ = (
        # Exactly one accepted match per request: the database decides a race of two accepts.
        Index("uq_match_one_accepted_per_request", "request_id", unique=True,
              sqlite_where=text("status = 'accepted'"),
              postgresql_where=text("status = 'accepted'")),
        Index("ix_match_volunteer_id_status", "volunteer_id", "status"),
        # The worklist's offers waiting for a worker, oldest first (migration 0019).
        Index("ix_match_status_awaiting_created_at", "status", "awaiting", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_request.id", ondelete="CASCADE"),
                                            index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    origin: Mapped[str] = mapped_column(String(10))  # "offer" (volunteer) or "worker"
    awaiting: Mapped[str | None] = mapped_column(String(10))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    message: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(String(500))

    request = relationship("HelpRequest")
    volunteer = relationship("User", foreign_keys=[volunteer_id])


class Arrangement(db.Model):
    """Support agreed after an accepted match: temporary by default, with a planned end.

    ``reciprocity_checked_at``: when the reciprocity sweep took this ended support up (it
    invited the resident, or there was nobody to invite). Until then the arrangement sits in
    a small partial index, so the sweep never reads the history of invited support.
    """

    __tablename__ = "arrangement"
    __table_args__ = (
        # "who carries on?" (status active) and overdue evaluations (active, ending): running
        # support by planned end; the ended history is a different status, never read.
        Index("ix_arrangement_status_planned_end_on", "status", "planned_end_on"),
        Index("ix_arrangement_reciprocity_due", "ended_on", "id",
              sqlite_where=text("reciprocity_checked_at IS NULL"),
              postgresql_where=text("reciprocity_checked_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_request.id", ondelete="CASCADE"),
                                            index=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("match.id", ondelete="CASCADE"), unique=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                              index=True)
    status: Mapped[str] = mapped_column(String(10), default="active")
    started_on: Mapped[date]
    planned_end_on: Mapped[date]
    ended_on: Mapped[date | None]
    reciprocity_checked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    request = relationship("HelpRequest")
    match = relationship("Match")
