"""Invitations to contribute back, contributions, and given/received tallies."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.brokering.models import Arrangement
from marketplace.brokering.notify import public_url
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.errors import N_, DomainError, NotFound
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from marketplace.notifications.outbox import enqueue
from marketplace.reciprocity import rules
from marketplace.reciprocity.models import (
    ANSWERS,
    CONTRIBUTION_KINDS,
    OFFERS,
    Contribution,
    ReciprocityInvitation,
)

BATCH = 100  # one page per transaction; jobs.run_job calls again while there is work
QUIET_PAGES = 50  # pages with nobody to invite read on at once, at most (no endless loop)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="buurtmakelaar.reciprocity")


def invitation_for_token(token: str) -> ReciprocityInvitation:
    try:
        invitation_id = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        raise NotFound(N_("Deze link klopt niet.")) from None
    invitation = db.session.get(ReciprocityInvitation, invitation_id)
    if invitation is None:
        raise NotFound(N_("Deze link klopt niet."))
    return invitation


def _mail(invitation: ReciprocityInvitation, resident: User, template: str, key: str,
          now: datetime) -> None:
    if resident.email and resident.is_active:
        enqueue(resident.email, template, dedupe_key=key, locale=resident.locale, now=now,
                user=resident, url=public_url("reciprocity.answer",
                                              token=_serializer().dumps(invitation.id)))


def send_invitations(now: datetime) -> int:
    """Some time after support ended: a warm invitation, once per arrangement.

    Reads only ended support not yet taken up (the partial index on
    ``reciprocity_checked_at IS NULL``), oldest end first. Each arrangement it reads is
    marked checked, also when there is nobody to invite (a request a worker typed for
    someone without an account), so it never comes back and never fills a page again.
    Returns the number of invitations sent.
    """
    cutoff = rules.invited_if_ended_on_or_before(today(now))
    stmt = (select(Arrangement, User, ReciprocityInvitation.id)
            .join(HelpRequest, HelpRequest.id == Arrangement.request_id)
            .outerjoin(User, User.id == HelpRequest.owner_id)
            .outerjoin(ReciprocityInvitation,
                       ReciprocityInvitation.arrangement_id == Arrangement.id)
            # Only ended support has an ended_on: no status term, which would tempt SQLite
            # without statistics into reading every ended arrangement by status.
            .where(Arrangement.reciprocity_checked_at.is_(None),
                   Arrangement.ended_on <= cutoff)
            .order_by(Arrangement.ended_on, Arrangement.id).limit(BATCH)
            .with_for_update(skip_locked=True, of=Arrangement))
    invited_now = 0
    for _ in range(QUIET_PAGES):
        rows = db.session.execute(stmt).all()
        for arrangement, resident, invited in rows:
            arrangement.reciprocity_checked_at = now
            if resident is None or invited is not None:
                continue
            invitation = ReciprocityInvitation(resident_id=resident.id,
                                               arrangement_id=arrangement.id, invited_at=now)
            db.session.add(invitation)
            db.session.flush()
            _mail(invitation, resident, "reciprocity_invitation",
                  f"reciprocity:{invitation.id}", now)
            invited_now += 1
        db.session.flush()
        # Counts invitations, not rows: a full page of support without anyone to invite
        # reads the next page at once (jobs.run_job stops at the first 0).
        if invited_now or len(rows) < BATCH:
            return invited_now
    return invited_now  # 50 quiet pages: the rest waits for the next run


def send_reminders(now: datetime) -> int:
    """One gentle reminder when nothing was answered; never more."""
    stmt = (select(ReciprocityInvitation)
            .where(ReciprocityInvitation.answered_at.is_(None),
                   ReciprocityInvitation.reminded_at.is_(None),
                   ReciprocityInvitation.invited_at
                   <= rules.reminded_if_invited_at_or_before(now))
            # ix_reciprocity_invitation_unreminded: unanswered, unreminded ones only.
            .order_by(ReciprocityInvitation.invited_at, ReciprocityInvitation.id).limit(BATCH)
            .with_for_update(skip_locked=True))
    handled = 0
    for invitation in db.session.scalars(stmt):
        if not rules.reminder_due(invitation.invited_at, False, False, now):
            continue
        resident = db.session.get(User, invitation.resident_id)
        invitation.reminded_at = now
        if resident is not None:
            _mail(invitation, resident, "reciprocity_reminder",
                  f"reciprocity:{invitation.id}:reminder", now)
        handled += 1
    db.session.flush()
    return handled


def answer(invitation: ReciprocityInvitation, choice: str, description: str | None = None,
           now: datetime | None = None) -> Contribution | None:
    """Record the answer; an offer to help becomes a recorded contribution.

    One contribution per invitation: answering again (the back button, a double click, a
    change of mind) updates that contribution to the latest answer (and words, when
    given), but never counts a second one. "Nu niet" after an offer withdraws it: its
    contribution is removed, so the reports do not count an offer the resident took back.
    Another kind of offer than before comes back to the workers as a new offer (its
    follow-up is cleared).
    Returns the contribution when this answer recorded a new one.
    """
    now = now or clock_now()
    if choice not in ANSWERS:
        raise DomainError(N_("Kies wat u zou willen doen, of: nu niet."), field="answer")
    # An answer from before invitations kept their contribution (none found to link).
    unlinked_offer = invitation.answer in OFFERS and invitation.contribution_id is None
    linked = (db.session.get(Contribution, invitation.contribution_id)
              if invitation.contribution_id is not None else None)
    if choice in OFFERS and choice != invitation.answer:
        invitation.follow_up = invitation.followed_up_at = invitation.followed_up_by_id = None
    invitation.answer, invitation.answered_at = choice, now
    contribution = None
    if choice == "not_now":
        if linked is not None:
            invitation.contribution_id = None
            db.session.delete(linked)
    elif linked is not None:
        # Blank words (the form again, sent without them) keep what was written before.
        linked.kind = choice
        linked.description = _clean(description) or linked.description
    elif not unlinked_offer:
        contribution = record_contribution(invitation.resident_id, choice, description, now=now)
        invitation.contribution_id = contribution.id
    db.session.flush()
    return contribution


def _clean(description: str | None) -> str | None:
    return (description or "").strip()[:500] or None


def record_contribution(person_id: int, kind: str, description: str | None = None, *,
                        recorded_by_id: int | None = None, request_id: int | None = None,
                        now: datetime | None = None) -> Contribution:
    if kind not in CONTRIBUTION_KINDS:
        raise DomainError(N_("Kies wat voor bijdrage het is."), field="kind")
    contribution = Contribution(person_id=person_id, kind=kind,
                                description=_clean(description),
                                recorded_by_id=recorded_by_id, request_id=request_id,
                                at=now or clock_now())
    db.session.add(contribution)
    db.session.flush()
    return contribution


def tally_for(person_id: int) -> rules.Tally:
    """Given: contributions plus arrangements as volunteer; received: arrangements as resident."""
    contributions = db.session.scalar(select(func.count()).select_from(Contribution).where(
        Contribution.person_id == person_id)) or 0
    as_volunteer = db.session.scalar(select(func.count()).select_from(Arrangement).where(
        Arrangement.volunteer_id == person_id)) or 0
    received = db.session.scalar(
        select(func.count()).select_from(Arrangement).join(
            HelpRequest, HelpRequest.id == Arrangement.request_id).where(
            HelpRequest.owner_id == person_id)) or 0
    return rules.tally(contributions + as_volunteer, received)
