"""Partner contacts, a resident's consent per partner, and a partner's report on an action."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import utcnow
from marketplace.extensions import db

REPORT_STATUSES = ("done", "not_possible")


class PartnerContact(db.Model):
    """A user with the ``partner`` role works for one partner organisation."""

    __tablename__ = "partner_contact"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner_organisation.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    partner = relationship("PartnerOrganisation")


class PartnerConsent(db.Model):
    """The resident agreed that this partner sees the plan actions assigned to it.

    Referrals carry their own consent; this one is per partner, for the plan. Withdrawn
    consent is kept (``withdrawn_at``) so the history stays readable."""

    __tablename__ = "partner_consent"
    __table_args__ = (
        UniqueConstraint("resident_id", "partner_id", name="uq_partner_consent_resident_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner_organisation.id", ondelete="CASCADE"), index=True)
    given_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None]


class PartnerActionReport(db.Model):
    """What the partner says about a plan action: done, or not possible (with a note)."""

    __tablename__ = "partner_action_report"

    action_id: Mapped[int] = mapped_column(ForeignKey("plan_action.id", ondelete="CASCADE"),
                                           primary_key=True)
    status: Mapped[str] = mapped_column(String(14))
    note: Mapped[str | None] = mapped_column(String(500))
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reported_at: Mapped[datetime] = mapped_column(default=utcnow)
