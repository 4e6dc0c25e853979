"""Handover sweeps: the association takes over at the transition end; "still running?" 3 and
12 months later; a "stopped" answer or silence for 14 days alerts the area's workers.

Each sweep takes `now`, reads only what is due (a partial index per sweep) and marks what it
did on the row, so a second run handles nothing new. Mails carry a dedupe key as well.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.associations.handover import answer_token, complete_if_due
from marketplace.associations.handover_models import ANSWER_DAYS, Handover, HandoverCheck
from marketplace.associations.models import AssociationMember
from marketplace.brokering.notify import public_url
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.notifications.outbox import enqueue
from marketplace.teams.services import area_workers_for

BATCH = 100


def _send(user: User | None, template: str, key: str, now: datetime, **context) -> int:
    if user is None or not user.email or not user.is_active:
        return 0
    return int(enqueue(user.email, template, dedupe_key=key, locale=user.locale, now=now,
                       user=user, **context) is not None)


def complete_handovers(now: datetime) -> int:
    """Handovers whose transition ended: the activity is the association's from now on."""
    rows = db.session.scalars(
        select(Handover).where(Handover.handed_over_at.is_(None), Handover.status != "stopped",
                               Handover.transition_ends_on <= today(now))
        .order_by(Handover.transition_ends_on, Handover.id).limit(BATCH)
        .with_for_update(skip_locked=True)).all()
    return sum(complete_if_due(h, now) for h in rows)


def _members(association_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).join(AssociationMember, AssociationMember.user_id == User.id)
        .where(AssociationMember.association_id == association_id, User.is_active.is_(True))
        .order_by(User.id)))


def ask_still_running(now: datetime) -> int:
    """One mail per due check to each member of the association, with one-click answers."""
    rows = db.session.scalars(
        select(HandoverCheck).where(HandoverCheck.asked_at.is_(None),
                                    HandoverCheck.due_on <= today(now))
        .order_by(HandoverCheck.due_on, HandoverCheck.id).limit(BATCH)
        .with_for_update(skip_locked=True)).all()
    secret = current_app.secret_key
    for check in rows:
        handover = check.handover
        activity = handover.activity
        for member in _members(handover.association_id):
            token = answer_token(check, member, secret)
            _send(member, "handover_check", f"handover-check:{check.id}:{member.id}", now,
                  title=activity.title, association=handover.association.name,
                  running_url=public_url("collective.handover_answer", token=token,
                                         answer="running"),
                  stopped_url=public_url("collective.handover_answer", token=token,
                                         answer="stopped"))
        # Asked also when nobody could be mailed: silence then reaches the workers in 14 days.
        check.asked_at = now
    db.session.flush()
    return len(rows)


def _alert(check: HandoverCheck, reason: str, now: datetime) -> None:
    handover = check.handover
    activity = handover.activity
    url = public_url("collective.handover_detail", handover_id=handover.id)
    for worker in area_workers_for(activity.area_id):
        _send(worker, "handover_alert", f"handover-alert:{check.id}:{worker.id}", now,
              title=activity.title, association=handover.association.name, reason=reason,
              note=check.note, url=url)
    check.alerted_at = now


def alert_stopped(check: HandoverCheck, now: datetime) -> None:
    """Called when an association answers "stopped": the workers hear it at once."""
    _alert(check, "stopped", now)
    db.session.flush()


def alert_unanswered(now: datetime) -> int:
    """Asked 14 days ago or longer and no answer: the area's workers hear it, once."""
    rows = db.session.scalars(
        select(HandoverCheck).where(HandoverCheck.asked_at.is_not(None),
                                    HandoverCheck.answered_at.is_(None),
                                    HandoverCheck.alerted_at.is_(None),
                                    HandoverCheck.asked_at <= now - timedelta(days=ANSWER_DAYS))
        .order_by(HandoverCheck.asked_at, HandoverCheck.id).limit(BATCH)
        .with_for_update(skip_locked=True)).all()
    for check in rows:
        _alert(check, "no_answer", now)
    db.session.flush()
    return len(rows)
