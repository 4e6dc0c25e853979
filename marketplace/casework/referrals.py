"""Referral to the 2nd line (only when necessary) and the step-down back to the 0th line."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from marketplace.accounts import audit
from marketplace.accounts.models import User
from marketplace.casework.models import REFERRAL_STATUSES, PartnerOrganisation, Referral
from marketplace.clock import now as clock_now
from marketplace.errors import N_, DomainError, NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from marketplace.support.lifecycle import refer_request

# Forward moves of a referral; "stepped_down" closes it back to the 0th line.
NEXT = {
    "proposed": {"sent", "declined"},
    "sent": {"accepted", "declined"},
    "accepted": {"in_care", "declined"},
    "in_care": {"completed"},
    "completed": {"stepped_down"},
    "declined": set(),
    "stepped_down": set(),
}


def partners(active_only: bool = True) -> list[PartnerOrganisation]:
    stmt = select(PartnerOrganisation).order_by(PartnerOrganisation.line,
                                                PartnerOrganisation.name)
    if active_only:
        stmt = stmt.where(PartnerOrganisation.active.is_(True))
    return list(db.session.scalars(stmt))


def save_partner(name: str, *, line: int = 2, kind: str | None = None,
                 contact: str | None = None, active: bool = True,
                 partner_id: int | None = None) -> PartnerOrganisation:
    if not (name or "").strip():
        raise ValidationFailed({"name": [N_("Vul de naam van de organisatie in.")]})
    if line not in (1, 2):
        raise ValidationFailed({"line": [N_("Kies eerste of tweede lijn.")]})
    partner = db.session.get(PartnerOrganisation, partner_id) if partner_id else None
    if partner_id and partner is None:
        raise NotFound(N_("Deze organisatie bestaat niet."))
    clash = db.session.scalar(select(PartnerOrganisation).where(
        PartnerOrganisation.name == name.strip()))
    if clash is not None and clash is not partner:
        raise ValidationFailed({"name": [N_("Deze organisatie staat al in de lijst.")]})
    if partner is None:
        partner = PartnerOrganisation(name=name.strip())
        db.session.add(partner)
    partner.name, partner.line, partner.kind = name.strip(), line, (kind or "").strip() or None
    partner.contact, partner.active = (contact or "").strip() or None, active
    db.session.flush()
    return partner


def refer(worker: User, resident: User, *, partner_id: int, reason: str, consent: bool,
          request: HelpRequest | None = None, now: datetime | None = None) -> Referral:
    now = now or clock_now()
    errors: dict[str, list[str]] = {}
    partner = db.session.get(PartnerOrganisation, partner_id)
    if partner is None or not partner.active:
        errors["partner_id"] = [N_("Kies een organisatie uit de lijst.")]
    if len((reason or "").strip()) < 10:
        errors["reason"] = [N_("Schrijf op waarom doorverwijzen nodig is (minstens 10 tekens).")]
    if not consent:
        errors["consent"] = [N_("Doorverwijzen mag alleen met toestemming van de inwoner.")]
    if errors:
        raise ValidationFailed(errors)
    referral = Referral(resident_id=resident.id, request_id=request.id if request else None,
                        partner_id=partner_id, reason=reason.strip(), consent_at=now,
                        status="sent", created_by_id=worker.id, created_at=now)
    db.session.add(referral)
    if request is not None:
        refer_request(request, actor=worker, reason=f"naar {partner.name}", now=now)
    audit.record("referral.created", actor_id=worker.id, subject_user_id=resident.id,
                 object_type="referral", detail={"partner": partner.name}, now=now)
    db.session.flush()
    return referral


def move(worker: User, referral: Referral, status: str, note: str | None = None,
         now: datetime | None = None) -> None:
    if status not in REFERRAL_STATUSES or status not in NEXT[referral.status]:
        raise DomainError(N_("Deze stap kan nu niet."), field="status")
    before, referral.status = referral.status, status
    if status == "stepped_down":
        referral.stepped_down_at = now or clock_now()
        referral.step_down_note = (note or "").strip() or None
    # Who moved it, when and from where to where: the referral has no timeline of its own.
    audit.record("referral.moved", actor_id=worker.id, subject_user_id=referral.resident_id,
                 object_type="referral", object_id=referral.id,
                 detail={"from": before, "to": status}, now=now)
    db.session.flush()


def referrals_of(resident: User) -> list[Referral]:
    stmt = select(Referral).where(Referral.resident_id == resident.id).order_by(
        Referral.created_at.desc())
    return list(db.session.scalars(stmt))
