"""Year plans (goals and budget per area and year) and neighbourhood-team evaluations.

A year plan's goals name an indicator code (marketplace.reporting.definitions); the report
reads that indicator's published value for the plan's area and calendar year, so target
against actual comes from the same numbers as the dashboard and the API. Amounts are kept in
whole cents. An evaluation keeps the indicators of its period frozen as they were published
(already suppressed): history that later data cannot change.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import utcnow
from marketplace.extensions import db


class YearPlan(db.Model):
    __tablename__ = "year_plan"
    __table_args__ = (UniqueConstraint("area_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    area = relationship("Area")
    goals: Mapped[list[YearPlanGoal]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="YearPlanGoal.id")
    budget: Mapped[list[YearPlanBudgetLine]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="YearPlanBudgetLine.id")


class YearPlanGoal(db.Model):
    __tablename__ = "year_plan_goal"
    __table_args__ = (UniqueConstraint("plan_id", "indicator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("year_plan.id", ondelete="CASCADE"))
    indicator: Mapped[str] = mapped_column(String(40))
    target: Mapped[float]

    plan: Mapped[YearPlan] = relationship(back_populates="goals")


class YearPlanBudgetLine(db.Model):
    __tablename__ = "year_plan_budget_line"
    __table_args__ = (
        UniqueConstraint("plan_id", "line"),
        CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
        CheckConstraint("spent_cents >= 0", name="spent_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("year_plan.id", ondelete="CASCADE"))
    line: Mapped[str] = mapped_column(String(120))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    spent_cents: Mapped[int] = mapped_column(BigInteger, default=0)

    plan: Mapped[YearPlan] = relationship(back_populates="budget")


class TeamEvaluation(db.Model):
    """A periodic evaluation of a district's neighbourhood team, with its figures frozen."""

    __tablename__ = "team_evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"), index=True)
    period_from: Mapped[date]
    period_to: Mapped[date]
    went_well: Mapped[str] = mapped_column(Text)
    went_less: Mapped[str] = mapped_column(Text)
    agreements: Mapped[str] = mapped_column(Text)
    indicators: Mapped[dict[str, Any]] = mapped_column(JSON)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    area = relationship("Area")
