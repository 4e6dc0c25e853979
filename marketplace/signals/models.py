"""Signals (signaleren): a worry about a possibly vulnerable resident, the outreach task,
and the worker's attempts to reach the person (contactpogingen)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import utcnow
from marketplace.extensions import db

SIGNAL_STATUSES = ("new", "in_progress", "handled")
OPEN_STATUSES = ("new", "in_progress")
OUTCOMES = ("visited", "no_need", "consent_for_help", "referred", "not_reached")
# How a worker tried to reach the person: a visit, a call, a letter through the door, or
# through someone the person knows (a neighbour, family, the GP's assistant).
ATTEMPT_METHODS = ("visit", "phone", "letter", "via_contact")


class Signal(db.Model):
    __tablename__ = "signal"
    __table_args__ = (
        Index("ix_signal_status_respond_by", "status", "respond_by"),
        # Retention: handled signals not yet anonymised, by when they were handled.
        Index("ix_signal_unanonymised_handled_at", "handled_at", "id",
              sqlite_where=text("anonymised_at IS NULL"),
              postgresql_where=text("anonymised_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"),
                                                    index=True)
    pc4: Mapped[str] = mapped_column(String(4))
    # Reported without an account: how the reporter may be reached, if they said (workers only).
    reporter_contact: Mapped[str | None] = mapped_column(String(200))
    # Where exactly (house number, street) and about whom: free text, workers only.
    about: Mapped[str | None] = mapped_column(String(300))
    concern: Mapped[str] = mapped_column(Text)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"),
                                                index=True)
    status: Mapped[str] = mapped_column(String(12), default="new")
    respond_by: Mapped[date]
    assigned_worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True)
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    # The resident the signal turned out to be about, once known (links to their file).
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_request.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    # The day of the first logged contact attempt (the earliest `attempted_on`): it meets the
    # respond-by date, as the outcome does. Kept here so the reports and the escalation sweep
    # read one column instead of the attempts.
    first_attempt_on: Mapped[date | None]
    anonymised_at: Mapped[datetime | None]

    area = relationship("Area")
    reporter = relationship("User", foreign_keys=[reporter_id])
    assigned_worker = relationship("User", foreign_keys=[assigned_worker_id])
    events: Mapped[list[SignalEvent]] = relationship(
        back_populates="signal", order_by="SignalEvent.at, SignalEvent.id",
        cascade="all, delete-orphan")
    attempts: Mapped[list[SignalAttempt]] = relationship(
        back_populates="signal", order_by="SignalAttempt.attempted_on, SignalAttempt.id",
        cascade="all, delete-orphan")


class SignalEvent(db.Model):
    __tablename__ = "signal_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signal.id", ondelete="CASCADE"),
                                           index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(String(500))

    signal: Mapped[Signal] = relationship(back_populates="events")


class SignalAttempt(db.Model):
    """One try to reach the person a signal is about: when, how, whether it worked, and a
    short note for colleagues (workers of the signal's area only)."""

    __tablename__ = "signal_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signal.id", ondelete="CASCADE"),
                                           index=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    attempted_on: Mapped[date]
    method: Mapped[str] = mapped_column(String(12))
    reached: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    signal: Mapped[Signal] = relationship(back_populates="attempts")
