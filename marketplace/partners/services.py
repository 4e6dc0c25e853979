"""Partner contacts and what they may see: plan actions assigned to their organisation, for
residents who consented to that partner. Every read is audited like a worker's.

Services add and flush; the entry point (view, command) commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select

from marketplace.accounts import audit
from marketplace.accounts.models import User
from marketplace.boundary import MAX_ID
from marketplace.casework.models import PartnerOrganisation, PlanAction, SupportPlan
from marketplace.cleaning import whole_number
from marketplace.clock import now as clock_now
from marketplace.errors import DomainError, NotFound
from marketplace.extensions import db
from marketplace.partners.models import (
    REPORT_STATUSES,
    PartnerActionReport,
    PartnerConsent,
    PartnerContact,
)

NOTE_MAX = 500


def find_partner(value: str) -> PartnerOrganisation | None:
    """A partner organisation by id or by exact name (case-insensitive)."""
    value = (value or "").strip()
    partner_id = whole_number(value, MAX_ID)
    if partner_id is not None:
        found = db.session.get(PartnerOrganisation, partner_id)
        if found is not None:
            return found
    for partner in db.session.scalars(select(PartnerOrganisation)):
        if partner.name.casefold() == value.casefold():
            return partner
    return None


def organisation_of(user: User) -> PartnerOrganisation | None:
    if not user.has_role("partner"):
        return None
    contact = db.session.get(PartnerContact, user.id)
    return contact.partner if contact is not None else None


def set_contact(user: User, partner: PartnerOrganisation | None, *,
                actor_id: int | None = None) -> None:
    """Tie a partner contact to one organisation (None: to none)."""
    contact = db.session.get(PartnerContact, user.id)
    if partner is None:
        if contact is not None:
            db.session.delete(contact)
    else:
        if not user.has_role("partner"):
            raise DomainError(_("Alleen iemand met de rol partner hoort bij een "
                                "partnerorganisatie."), field="partner_id")
        if contact is None:
            contact = PartnerContact(user_id=user.id, partner_id=partner.id)
            db.session.add(contact)
        contact.partner_id = partner.id
    audit.record("partner.contact_set", actor_id=actor_id, subject_user_id=user.id,
                 object_type="partner_organisation", object_id=partner.id if partner else None)
    db.session.flush()


def contacts() -> list[tuple[User, PartnerOrganisation | None]]:
    from marketplace.accounts.models import UserRole

    users = db.session.scalars(select(User).join(UserRole).where(UserRole.role == "partner")
                               .order_by(User.name, User.id))
    return [(u, organisation_of(u)) for u in users]


# Consent per partner ------------------------------------------------------------------

def consented_partner_ids(resident_id: int) -> set[int]:
    return set(db.session.scalars(select(PartnerConsent.partner_id).where(
        PartnerConsent.resident_id == resident_id, PartnerConsent.withdrawn_at.is_(None))))


def set_consent(resident: User, partner: PartnerOrganisation, given: bool, *, worker: User,
                now: datetime | None = None) -> None:
    """Record (or withdraw) the resident's consent that this partner sees its plan actions."""
    now = now or clock_now()
    row = db.session.scalar(select(PartnerConsent).where(
        PartnerConsent.resident_id == resident.id, PartnerConsent.partner_id == partner.id))
    if given:
        if row is None:
            row = PartnerConsent(resident_id=resident.id, partner_id=partner.id)
            db.session.add(row)
        elif row.withdrawn_at is None:
            return
        row.given_at, row.withdrawn_at, row.recorded_by_id = now, None, worker.id
    elif row is not None and row.withdrawn_at is None:
        row.withdrawn_at = now
    else:
        return
    audit.record("partner.consent_given" if given else "partner.consent_withdrawn",
                 actor_id=worker.id, subject_user_id=resident.id,
                 object_type="partner_organisation", object_id=partner.id, now=now)
    db.session.flush()


# What a partner contact sees ----------------------------------------------------------

@dataclass
class PartnerAction:
    action: PlanAction
    resident: User
    report: PartnerActionReport | None


def _visible(partner_id: int):
    return (select(PlanAction, SupportPlan.resident_id)
            .join(SupportPlan, SupportPlan.id == PlanAction.plan_id)
            .join(PartnerConsent, (PartnerConsent.resident_id == SupportPlan.resident_id)
                  & (PartnerConsent.partner_id == partner_id)
                  & PartnerConsent.withdrawn_at.is_(None))
            .where(PlanAction.partner_id == partner_id))


@dataclass
class ActionPage:
    items: list[PartnerAction]
    next_after: int | None = None  # the last action shown, when more follow


PAGE_SIZE = 25


def actions_for(user: User, *, after: int | None = None, ip: str | None = None,
                now: datetime | None = None) -> ActionPage:
    """One page of the plan actions of the contact's organisation, for consenting residents:
    open ones first, then by id; ``after`` (the last action of the previous page) pages on
    by keyset. Audited: one event per resident whose plan is on the page."""
    partner = organisation_of(user)
    if partner is None:
        return ActionPage([])
    query = _visible(partner.id)
    last = db.session.execute(_visible(partner.id).where(PlanAction.id == after)).first() \
        if after else None
    if last is not None:
        after_open = or_(PlanAction.done.is_(True), PlanAction.id > last[0].id)
        query = query.where(and_(PlanAction.done.is_(True), PlanAction.id > last[0].id)
                            if last[0].done else after_open)
    rows = db.session.execute(query.order_by(PlanAction.done, PlanAction.id)
                              .limit(PAGE_SIZE + 1)).all()
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    residents = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_(sorted({r for _, r in rows}))))} if rows else {}
    reports = {r.action_id: r for r in db.session.scalars(select(PartnerActionReport).where(
        PartnerActionReport.action_id.in_([a.id for a, _ in rows])))} if rows else {}
    for resident_id in sorted(residents):
        audit.record("plan.partner_viewed", actor_id=user.id, subject_user_id=resident_id,
                     object_type="partner_organisation", object_id=partner.id, ip=ip, now=now)
    return ActionPage([PartnerAction(a, residents[r], reports.get(a.id)) for a, r in rows],
                      rows[-1][0].id if more else None)


def waiting_count(user: User) -> int:
    """How many of the organisation's visible plan actions still wait for the contact: not
    done in the plan and not reported on. A count only: nothing of a resident is read."""
    partner = organisation_of(user)
    if partner is None:
        return 0
    reported = select(PartnerActionReport.action_id).where(
        PartnerActionReport.action_id == PlanAction.id).exists()
    return db.session.scalar(select(func.count()).select_from(
        _visible(partner.id).where(PlanAction.done.is_(False), ~reported).subquery())) or 0


def action_for(user: User, action_id: int) -> PlanAction:
    partner = organisation_of(user)
    found = db.session.execute(_visible(partner.id).where(PlanAction.id == action_id)).first() \
        if partner is not None else None
    if found is None:
        raise NotFound(_("Deze actie bestaat niet."))
    return found[0]


def report(user: User, action_id: int, status: str, note: str | None, *,
           now: datetime | None = None) -> PartnerActionReport:
    """The partner marks an action done or not possible (a note is needed for the latter)."""
    now = now or clock_now()
    action = action_for(user, action_id)
    if status not in REPORT_STATUSES:
        raise DomainError(_("Kies: gedaan, of niet mogelijk."), field="status")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(_("Houd de toelichting korter: hoogstens 500 tekens."), field="note")
    if status == "not_possible" and not note:
        raise DomainError(_("Schrijf kort waarom het niet mogelijk is."), field="note")
    row = db.session.get(PartnerActionReport, action.id)
    if row is None:
        row = PartnerActionReport(action_id=action.id, status=status)
        db.session.add(row)
    row.status, row.note, row.reported_by_id, row.reported_at = status, note or None, user.id, now
    action.done = status == "done"
    audit.record("plan.partner_reported", actor_id=user.id,
                 subject_user_id=action.plan.resident_id, object_type="plan_action",
                 object_id=action.id, detail={"status": status}, now=now)
    db.session.flush()
    return row


def reports_for(action_ids: list[int]) -> dict[int, PartnerActionReport]:
    if not action_ids:
        return {}
    return {r.action_id: r for r in db.session.scalars(
        select(PartnerActionReport).where(PartnerActionReport.action_id.in_(action_ids)))}
