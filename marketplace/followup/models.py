"""Follow-up of temporary support: check-ins, the end evaluation, and the sweep ledger."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import utcnow
from marketplace.extensions import db

CHECKIN_KINDS = ("first_week", "midway", "before_end", "did_it_help")
ANSWERS = ("going_well", "needs_attention")
CONTINUATIONS = ("network", "association", "volunteer_informal", "extension", "referral",
                 "none_needed")


class CheckIn(db.Model):
    """A planned moment to ask resident and volunteer "going well / needs attention"."""

    __tablename__ = "check_in"
    __table_args__ = (
        UniqueConstraint("arrangement_id", "kind", "due_on"),
        Index("ix_check_in_due_on_sent_at", "due_on", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    arrangement_id: Mapped[int] = mapped_column(ForeignKey("arrangement.id", ondelete="CASCADE"),
                                                index=True)
    kind: Mapped[str] = mapped_column(String(14))
    due_on: Mapped[date]
    sent_at: Mapped[datetime | None]
    resident_answer: Mapped[str | None] = mapped_column(String(16))
    volunteer_answer: Mapped[str | None] = mapped_column(String(16))
    done_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]

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
    done_at: Mapped[datetime] = mapped_column(default=utcnow)


class SweepRecord(db.Model):
    """One row per action a sweep took, under a unique key: re-running never acts twice."""

    __tablename__ = "sweep_record"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    job: Mapped[str] = mapped_column(String(40), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
