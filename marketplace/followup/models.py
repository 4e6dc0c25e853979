"""Follow-up of temporary support: check-ins, the end evaluation, and the sweep ledger."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import utcnow
from marketplace.extensions import db

CHECKIN_KINDS = ("first_week", "midway", "before_end", "did_it_help")
ANSWERS = ("going_well", "needs_attention")
CONTINUATIONS = ("network", "association", "volunteer_informal", "extension", "referral",
                 "none_needed")


# What the two check-in sweeps look for, as partial indexes: each holds only the check-ins
# still waiting for that sweep, so a sweep reads what is due, never the answered history.
# A sweep's WHERE must repeat the predicate word for word (SQLite matches terms literally).
UNSENT = "sent_at IS NULL AND closed_at IS NULL"
UNANSWERED = ("sent_at IS NOT NULL AND done_at IS NULL AND escalated_at IS NULL "
              "AND closed_at IS NULL")


class CheckIn(db.Model):
    """A planned moment to ask resident and volunteer "going well / needs attention".

    ``closed_at``: the support ended before the check-in was asked or answered; it is not
    asked, nor reported as silence, any more.

    ``resident_answer_by_id`` / ``volunteer_answer_by_id``: the worker who wrote that answer
    down for the person (given by phone, at the desk, on a visit); empty when the person
    answered through the link in their mail.
    """

    __tablename__ = "check_in"
    __table_args__ = (
        UniqueConstraint("arrangement_id", "kind", "due_on"),
        # (…, id): in the sweep's ORDER BY, so a page stops after its LIMIT instead of
        # reading and sorting every due row (PostgreSQL, 10k due on one day).
        Index("ix_check_in_unsent_due_on", "due_on", "id",
              sqlite_where=text(UNSENT), postgresql_where=text(UNSENT)),
        Index("ix_check_in_unanswered_sent_at", "sent_at", "id",
              sqlite_where=text(UNANSWERED), postgresql_where=text(UNANSWERED)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    arrangement_id: Mapped[int] = mapped_column(ForeignKey("arrangement.id", ondelete="CASCADE"),
                                                index=True)
    kind: Mapped[str] = mapped_column(String(14))
    due_on: Mapped[date]
    sent_at: Mapped[datetime | None]
    resident_answer: Mapped[str | None] = mapped_column(String(16))
    volunteer_answer: Mapped[str | None] = mapped_column(String(16))
    resident_answer_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))
    volunteer_answer_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))
    done_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    arrangement = relationship("Arrangement")


class Evaluation(db.Model):
    """The end of support: goals attained, life domains then/now, who carries on."""

    __tablename__ = "evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    arrangement_id: Mapped[int] = mapped_column(ForeignKey("arrangement.id", ondelete="CASCADE"),
                                                unique=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    continuation: Mapped[str | None] = mapped_column(String(20))
    extension_reason: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(Text)
    # Goals of the support plan attained, of how many evaluated (None: not recorded).
    goals_attained: Mapped[int | None]
    goals_total: Mapped[int | None]
    done_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArrangementExtension(db.Model):
    """One extension of support (evaluation "extension"), kept when a later evaluation
    overwrites the evaluation row: the reports count every extended arrangement."""

    __tablename__ = "arrangement_extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    arrangement_id: Mapped[int] = mapped_column(
        ForeignKey("arrangement.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(500))
    weeks: Mapped[int | None]
    extended_at: Mapped[datetime] = mapped_column(default=utcnow)


class SweepRecord(db.Model):
    """One row per action a sweep took, under a unique key: re-running never acts twice."""

    __tablename__ = "sweep_record"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    job: Mapped[str] = mapped_column(String(40), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
