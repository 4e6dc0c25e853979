"""A referral that nobody answers does not wait unseen (the job ``referral_reminders``).

A referral sent to a partner organisation and still without an answer 14 days later: the
organisation's contacts with an account are reminded to answer (on their referrals page),
and the worker who referred (else the workers of the resident's area) hears that it still
waits, so they can call the organisation. Once per referral (the sweep ledger). The mails
carry no name, reason or address: the pages show those, to whom they may.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.casework.models import PartnerOrganisation, Referral
from marketplace.extensions import db
from marketplace.followup.ledger import claim, key_expr, unclaimed
from marketplace.partners.models import PartnerContact
from marketplace.partners.referrals import referral_url, workers_of

JOB = "referral_reminders"
ANSWER_DAYS = 14
BATCH = 100


def _key(referral_id: int) -> str:
    return f"referral-unanswered:{referral_id}"


def remind_unanswered(now: datetime) -> int:
    """Sent ANSWER_DAYS ago or longer (its last change: the send), status still "sent", no
    answer from the organisation: its contacts and the worker hear it, once."""
    rows = db.session.scalars(
        select(Referral).where(Referral.status == "sent",
                               Referral.partner_answered_at.is_(None),
                               Referral.updated_at <= now - timedelta(days=ANSWER_DAYS),
                               unclaimed(key_expr("referral-unanswered:", Referral.id)))
        .order_by(Referral.updated_at, Referral.id).limit(BATCH)).all()
    for referral in rows:
        if claim(_key(referral.id), JOB, now):
            _remind(referral, now)
    db.session.flush()
    return len(rows)


def _mail(user: User, template: str, key: str, now: datetime, **context: object) -> None:
    from marketplace.brokering.notify import mailable
    from marketplace.notifications.outbox import enqueue

    if mailable(user):
        enqueue(user.email, template, dedupe_key=key, locale=user.locale, now=now, user=user,
                **context)


def _remind(referral: Referral, now: datetime) -> None:
    from marketplace.brokering.notify import public_url

    partner = db.session.get(PartnerOrganisation, referral.partner_id)
    context = {"organisation": partner.name if partner else "",
               "sent_on": referral.updated_at.date(), "days": ANSWER_DAYS}
    contacts = db.session.scalars(select(User).join(
        PartnerContact, PartnerContact.user_id == User.id).where(
        PartnerContact.partner_id == referral.partner_id).order_by(User.id)).all()
    for contact in contacts:
        if contact.has_role("partner"):
            _mail(contact, "referral_reminder_partner",
                  f"{_key(referral.id)}:partner:{contact.id}", now,
                  url=public_url("partners.referrals_list"), **context)
    for worker in workers_of(referral):
        _mail(worker, "referral_unanswered_worker", f"{_key(referral.id)}:worker:{worker.id}",
              now, url=referral_url(referral),
              contact=(partner.contact if partner else None) or "",
              has_contacts=bool(contacts), **context)
