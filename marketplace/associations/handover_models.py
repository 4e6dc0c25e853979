"""Handover of a general activity from the welfare organisation to an association.

A worker hands a welfare-run activity over with a transition end date and a checklist;
from that date on the association runs it. Two checks ("still running?") follow, 3 and 12
months after the transition end (docs/collective.md).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import utcnow
from marketplace.extensions import db

HANDOVER_STATUSES = ("in_transition", "handed_over", "still_running", "stopped")
CHECKLIST = ("volunteers", "coordinator", "money", "venue")
CHECK_AFTER_MONTHS = (3, 12)
ANSWER_DAYS = 14  # no answer within this many days after asking alerts the area's workers
UNANSWERED = "asked_at IS NOT NULL AND answered_at IS NULL AND alerted_at IS NULL"
# Not handed over yet and not stopped: the association takes over at the transition end.
PENDING = "handed_over_at IS NULL AND status != 'stopped'"


class Handover(db.Model):
    __tablename__ = "handover"
    __table_args__ = (
        # The sweep that completes handovers reads those still pending by end date.
        Index("ix_handover_pending_ends_on", "transition_ends_on", "id",
              sqlite_where=text(PENDING), postgresql_where=text(PENDING)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"),
                                             index=True)
    # The receiving association.
    association_id: Mapped[int] = mapped_column(
        ForeignKey("association.id", ondelete="CASCADE"), index=True)
    transition_ends_on: Mapped[date]
    # The checklist: what is arranged for the association to carry the activity.
    has_volunteers: Mapped[bool] = mapped_column(Boolean, default=False)
    has_coordinator: Mapped[bool] = mapped_column(Boolean, default=False)
    has_money: Mapped[bool] = mapped_column(Boolean, default=False)
    has_venue: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="in_transition")
    handed_over_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    activity = relationship("Activity")
    association = relationship("Association")
    checks: Mapped[list[HandoverCheck]] = relationship(
        back_populates="handover", cascade="all, delete-orphan",
        order_by="HandoverCheck.due_on")

    @property
    def checklist(self) -> dict[str, bool]:
        return {key: bool(getattr(self, f"has_{key}")) for key in CHECKLIST}


class HandoverCheck(db.Model):
    """One "still running?" question to the association, on its due date."""

    __tablename__ = "handover_check"
    __table_args__ = (
        UniqueConstraint("handover_id", "due_on"),
        # Sweep "ask": checks not yet asked, by due date.
        Index("ix_handover_check_unasked_due_on", "due_on", "id",
              sqlite_where=text("asked_at IS NULL"),
              postgresql_where=text("asked_at IS NULL")),
        # Sweep "alert": asked, not answered, no alert yet, by when asked.
        Index("ix_handover_check_unanswered_asked_at", "asked_at", "id",
              sqlite_where=text(UNANSWERED), postgresql_where=text(UNANSWERED)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handover.id", ondelete="CASCADE"))
    due_on: Mapped[date]
    asked_at: Mapped[datetime | None]
    # True: still running; False: stopped; None: no answer (yet).
    answer: Mapped[bool | None] = mapped_column(Boolean)
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(String(500))
    alerted_at: Mapped[datetime | None]

    handover: Mapped[Handover] = relationship(back_populates="checks")
