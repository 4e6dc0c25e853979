"""A resident's file: intake (vraagverheldering), life-domain scores, one support plan with
goals, referrals to the 2nd line, and case notes. Workers of the resident's area only."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import utcnow
from marketplace.extensions import db

LIFE_DOMAINS = ("social", "psychological", "physical", "financial", "housing", "daily_activities")
SCORE_MOMENTS = ("intake", "evaluation")
GOAL_TERMS = ("short", "long")
GOAL_STATUSES = ("open", "achieved", "partly", "not_achieved")
ACTORS = ("resident", "network", "volunteer", "association", "partner", "worker")
REFERRAL_STATUSES = ("proposed", "sent", "accepted", "in_care", "completed", "declined",
                     "stepped_down")
NOTE_KINDS = ("note", "visit", "call", "no_answer", "follow_up")


class Intake(db.Model):
    """The question as asked, kept apart from the need behind it (beacon 1 and 2)."""

    __tablename__ = "intake"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                             index=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_request.id", ondelete="SET NULL"), index=True)
    signal_id: Mapped[int | None] = mapped_column(ForeignKey("signal.id", ondelete="SET NULL"))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    question_as_asked: Mapped[str] = mapped_column(Text)
    underlying_need: Mapped[str | None] = mapped_column(Text)
    own_strength: Mapped[str | None] = mapped_column(Text)
    network_strength: Mapped[str | None] = mapped_column(Text)
    consent_special_data: Mapped[bool] = mapped_column(default=False)
    consent_purpose: Mapped[str | None] = mapped_column(String(500))
    consent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class LifeDomainScore(db.Model):
    """A 1–5 score per life domain at intake and at evaluation: change can be measured."""

    __tablename__ = "life_domain_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                             index=True)
    intake_id: Mapped[int | None] = mapped_column(ForeignKey("intake.id", ondelete="CASCADE"))
    arrangement_id: Mapped[int | None] = mapped_column(
        ForeignKey("arrangement.id", ondelete="SET NULL"))
    moment: Mapped[str] = mapped_column(String(12))
    domain: Mapped[str] = mapped_column(String(20))
    score: Mapped[int]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class SupportPlan(db.Model):
    """One plan per resident across partners (beacon 6)."""

    __tablename__ = "support_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                             unique=True)
    summary: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    goals: Mapped[list[Goal]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                             order_by="Goal.id")
    actions: Mapped[list[PlanAction]] = relationship(back_populates="plan",
                                                     cascade="all, delete-orphan",
                                                     order_by="PlanAction.id")


class Goal(db.Model):
    """A concrete, measurable goal, short or long term (beacon 7)."""

    __tablename__ = "goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plan.id", ondelete="CASCADE"),
                                         index=True)
    arrangement_id: Mapped[int | None] = mapped_column(
        ForeignKey("arrangement.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(String(500))
    measure: Mapped[str | None] = mapped_column(String(300))
    term: Mapped[str] = mapped_column(String(8), default="short")
    target_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(14), default="open")
    evaluated_at: Mapped[datetime | None]

    plan: Mapped[SupportPlan] = relationship(back_populates="goals")


class PlanAction(db.Model):
    """Who does what: the resident, the network, a volunteer, an association, a partner, the
    worker."""

    __tablename__ = "plan_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plan.id", ondelete="CASCADE"),
                                         index=True)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(12))
    description: Mapped[str] = mapped_column(String(500))
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_organisation.id", ondelete="SET NULL"))
    done: Mapped[bool] = mapped_column(default=False)
    # By when it should be done (optional); not done by then: on the worker's follow-ups.
    due_on: Mapped[date | None]

    plan: Mapped[SupportPlan] = relationship(back_populates="actions")


class PartnerOrganisation(db.Model):
    """The managed list of partners (1st and 2nd line) workers refer to."""

    __tablename__ = "partner_organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    line: Mapped[int] = mapped_column(default=2)
    kind: Mapped[str | None] = mapped_column(String(120))
    contact: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)


class Referral(db.Model):
    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                             index=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_request.id", ondelete="SET NULL"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner_organisation.id"))
    reason: Mapped[str] = mapped_column(Text)
    consent_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(14), default="sent")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    stepped_down_at: Mapped[datetime | None]
    step_down_note: Mapped[str | None] = mapped_column(Text)
    # The partner contact's last answer (partners/services.answer_referral): when, and what
    # they added for the worker (why not, what happens next).
    partner_answered_at: Mapped[datetime | None]
    partner_note: Mapped[str | None] = mapped_column(String(500))

    partner = relationship("PartnerOrganisation")


class CaseNote(db.Model):
    """Case notes and the contact log; visible to workers of the resident's area only."""

    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                             index=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_request.id", ondelete="SET NULL"))
    signal_id: Mapped[int | None] = mapped_column(ForeignKey("signal.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(12), default="note")
    body: Mapped[str] = mapped_column(Text)
    follow_up_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ResidentArea(db.Model):
    """Which area a resident's file belongs to (their home PC4's area), for worker access."""

    __tablename__ = "resident_area"
    __table_args__ = (UniqueConstraint("resident_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    pc4: Mapped[str] = mapped_column(String(4))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"),
                                                index=True)
