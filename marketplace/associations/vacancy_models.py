"""Volunteer vacancies of an activity and the proposals of volunteers for them.

A vacancy asks for ``count`` volunteers with one skill (a category code), optionally on
some day parts and with a VOG. Candidates come from the matching engine, exactly as for a
help request (``vacancy_services.candidates``). A member of the association (or a worker of
the area) proposes a volunteer; the volunteer accepts or declines. When as many proposals
are accepted as the vacancy asks for, it is ``filled``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import utcnow
from marketplace.extensions import db

VACANCY_STATUSES = ("open", "filled", "closed")
VACANCY_MATCH_STATUSES = ("proposed", "accepted", "declined", "cancelled")
# A volunteer has at most one proposal or place per vacancy at a time.
LIVE_MATCH = "status IN ('proposed', 'accepted')"


class Vacancy(db.Model):
    __tablename__ = "vacancy"
    __table_args__ = (CheckConstraint("count > 0", name="count_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"),
                                             index=True)
    skill: Mapped[str] = mapped_column(ForeignKey("category.code", ondelete="RESTRICT"))
    count: Mapped[int]
    # Day-part codes as for requests ("mon_morning"); empty: any time suits.
    day_parts: Mapped[list[str]] = mapped_column(JSON, default=list)
    needs_vog: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    activity = relationship("Activity")
    matches: Mapped[list[VacancyMatch]] = relationship(
        back_populates="vacancy", cascade="all, delete-orphan", order_by="VacancyMatch.id")

    @property
    def accepted_count(self) -> int:
        return sum(1 for m in self.matches if m.status == "accepted")


class VacancyMatch(db.Model):
    """A volunteer proposed for a vacancy: proposed → accepted | declined | cancelled."""

    __tablename__ = "vacancy_match"
    __table_args__ = (
        Index("uq_vacancy_match_live_volunteer", "vacancy_id", "volunteer_id", unique=True,
              sqlite_where=text(LIVE_MATCH), postgresql_where=text(LIVE_MATCH)),
        # The volunteer's commitments, proposals and calendar feed.
        Index("ix_vacancy_match_volunteer_id_status", "volunteer_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(String(500))

    vacancy: Mapped[Vacancy] = relationship(back_populates="matches")
    volunteer = relationship("User", foreign_keys=[volunteer_id])
