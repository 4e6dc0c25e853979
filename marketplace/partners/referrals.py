"""A partner contact answers the referrals sent to their organisation.

The worker refers a resident (with the resident's consent to that referral) and sends it;
from then on the organisation can say itself what happens: it takes the referral on, the
resident is in care, the care is done, or it does not take it on (with a reason). The
worker sees the answer and its note on the resident's referrals page and no longer has to
chase it; the step back to the neighbourhood (afschalen) stays with the worker.

A contact sees only the referrals to their own organisation that were sent (not the ones
still proposed), with the resident's name, the reason and the date: no address. Every list
read is audited per resident (``referral.partner_viewed``), every answer is a move of the
referral (``referral.moved``, with the contact as actor).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select

from marketplace.accounts import audit
from marketplace.accounts.models import User
from marketplace.casework.models import Referral
from marketplace.casework.referrals import move
from marketplace.clock import now as clock_now
from marketplace.errors import DomainError, NotFound
from marketplace.extensions import db
from marketplace.partners.services import NOTE_MAX, organisation_of

# What a contact may answer, per status; "completed" is answered by the organisation, the
# step back to the neighbourhood after it by the worker.
ANSWERS = {
    "sent": ("accepted", "declined"),
    "accepted": ("in_care", "declined"),
    "in_care": ("completed",),
}
OPEN = tuple(ANSWERS)


@dataclass
class PartnerReferral:
    referral: Referral
    resident: User

    @property
    def answers(self) -> tuple[str, ...]:
        return ANSWERS.get(self.referral.status, ())


def _sent_to(partner_id: int):
    return select(Referral).where(Referral.partner_id == partner_id,
                                  Referral.status.in_(OPEN))


@dataclass
class ReferralPage:
    items: list[PartnerReferral]
    next_after: int | None = None  # the last referral shown, when more follow


PAGE_SIZE = 25
_RANK = {status: n for n, status in enumerate(OPEN)}


def referrals_for(user: User, *, after: int | None = None, ip: str | None = None,
                  now: datetime | None = None) -> ReferralPage:
    """One page of the open referrals to the contact's organisation: those waiting for a
    first answer first, then those taken on, then those in care; oldest first within each.
    ``after`` (the last referral of the previous page) pages on by keyset. Audited: one
    event per resident whose referral is on the page."""
    partner = organisation_of(user)
    if partner is None:
        return ReferralPage([])
    rank = case(_RANK, value=Referral.status)
    query = _sent_to(partner.id)
    last = db.session.scalar(_sent_to(partner.id).where(Referral.id == after)) \
        if after else None
    if last is not None:
        known = _RANK[last.status]
        query = query.where(or_(rank > known, and_(rank == known, or_(
            Referral.created_at > last.created_at,
            and_(Referral.created_at == last.created_at, Referral.id > last.id)))))
    found = list(db.session.scalars(query.order_by(rank, Referral.created_at, Referral.id)
                                    .limit(PAGE_SIZE + 1)))
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    residents = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_(sorted({r.resident_id for r in found}))))} if found else {}
    for resident_id in sorted(residents):
        audit.record("referral.partner_viewed", actor_id=user.id, subject_user_id=resident_id,
                     object_type="partner_organisation", object_id=partner.id, ip=ip, now=now)
    return ReferralPage([PartnerReferral(r, residents[r.resident_id]) for r in found],
                        found[-1].id if more else None)


def waiting_count(user: User) -> int:
    """How many referrals to the contact's organisation wait for a first answer (a count:
    no resident is read)."""
    partner = organisation_of(user)
    if partner is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(Referral).where(
        Referral.partner_id == partner.id, Referral.status == "sent")) or 0


def referral_for(user: User, referral_id: int) -> Referral:
    partner = organisation_of(user)
    found = db.session.scalar(_sent_to(partner.id).where(Referral.id == referral_id)) \
        if partner is not None else None
    if found is None:
        raise NotFound(_("Deze verwijzing bestaat niet."))
    return found


def answer(user: User, referral_id: int, status: str, note: str | None, *,
           now: datetime | None = None) -> Referral:
    """The contact moves a referral on; "declined" needs a reason for the worker."""
    now = now or clock_now()
    referral = referral_for(user, referral_id)
    if status not in ANSWERS[referral.status]:
        raise DomainError(_("Kies wat er met de verwijzing gebeurt."), field="status")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(_("Houd de toelichting korter: hoogstens 500 tekens."), field="note")
    if status == "declined" and not note:
        raise DomainError(_("Schrijf kort waarom uw organisatie het niet aanneemt."),
                          field="note")
    move(user, referral, status, now=now)
    referral.partner_answered_at, referral.partner_note = now, note or None
    db.session.flush()
    if status in TELL_WORKER:
        _tell_worker(referral, status, now)
    return referral


# Answers the worker must act on: find another way (declined), or step back down to the
# neighbourhood (completed). Taken on and in care show at the referral, without a mail.
TELL_WORKER = ("declined", "completed")


def workers_of(referral: Referral) -> list[User]:
    """Who hears about a referral: the worker who made it (while they are an active worker),
    else the workers of the resident's area."""
    from marketplace.casework.services import resident_area_id
    from marketplace.teams.services import area_workers_for

    maker = db.session.get(User, referral.created_by_id) if referral.created_by_id else None
    if maker is not None and maker.is_active and maker.has_role("worker"):
        return [maker]
    resident = db.session.get(User, referral.resident_id)
    return area_workers_for(resident_area_id(resident)) if resident else []


def referral_url(referral: Referral) -> str:
    """The referral on the resident's referrals page (for workers)."""
    from marketplace.brokering.notify import public_url

    return public_url("casework.refer", resident_id=referral.resident_id,
                      _anchor=f"verwijzing-{referral.id}")


def _tell_worker(referral: Referral, status: str, now: datetime) -> None:
    """A mail to the worker who made the referral (workers_of). Only the organisation and a
    link: no name."""
    from marketplace.notifications.outbox import enqueue

    url = referral_url(referral)
    for worker in workers_of(referral):
        if worker.email:
            enqueue(worker.email, "referral_answered", locale=worker.locale, now=now,
                    dedupe_key=f"referral:{referral.id}:{status}:{worker.id}", user=worker,
                    organisation=referral.partner.name, status=status, url=url)
