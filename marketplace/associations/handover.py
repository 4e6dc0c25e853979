"""Handover of a general activity: a worker hands a welfare-run activity to an association.

Steps (docs/collective.md): the worker picks the receiving association (or registers a new
residents' group on the spot), a transition end date (today or later) and the checklist.
From that date the association runs the activity (``complete_due``: the sweep, and at once
when the date is today). 3 and 12 months after the transition end the association is asked
"still running?" (handover_sweeps.py); its answer lands here, in ``record_answer``.

Who sees a handover: the workers of the activity's area and the receiving association's
members; for anyone else it does not exist. Services add/flush; callers commit.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.associations.access import is_area_worker_for, is_member
from marketplace.associations.handover_models import (
    CHECK_AFTER_MONTHS,
    CHECKLIST,
    Handover,
    HandoverCheck,
)
from marketplace.associations.models import Activity, Association
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.errors import N_, Conflict, NotFound, ValidationFailed
from marketplace.extensions import db

# The transition may last at most this long: a plan, not an open end.
MAX_TRANSITION_DAYS = 2 * 366
NOTE_MAX = 500


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def can_see(user: User | None, handover: Handover) -> bool:
    if user is None or not getattr(user, "id", None):
        return False
    return (is_area_worker_for(user, handover.activity.area_id)
            or is_member(user, handover.association_id))


def visible_handover(user: User, handover_id: Any) -> Handover:
    """The handover, or NotFound exactly as if it did not exist."""
    try:
        handover = db.session.get(Handover, int(handover_id))
    except (TypeError, ValueError, OverflowError):
        handover = None
    if handover is None or not can_see(user, handover):
        raise NotFound(N_("Deze overdracht bestaat niet."))
    return handover


def handovers_of_activity(activity: Activity) -> list[Handover]:
    return list(db.session.scalars(select(Handover).where(Handover.activity_id == activity.id)
                                   .order_by(Handover.id.desc())))


def handovers_for_worker(user: User, area_ids: set[int]) -> list[Handover]:
    """Handovers of activities in these areas (the worker's), newest first."""
    if not area_ids:
        return []
    return list(db.session.scalars(
        select(Handover).join(Activity, Activity.id == Handover.activity_id)
        .where(Activity.area_id.in_(area_ids)).order_by(Handover.id.desc())))


def handovers_for_member(user: User) -> list[Handover]:
    from marketplace.associations.access import member_association_ids

    ids = member_association_ids(user)
    if not ids:
        return []
    return list(db.session.scalars(select(Handover).where(Handover.association_id.in_(ids))
                                   .order_by(Handover.id.desc())))


def check_may_hand_over(actor: User, activity: Activity) -> None:
    """NotFound for someone who may not, Conflict for an activity that cannot be handed over."""
    if not actor.has_role("worker") or not is_area_worker_for(actor, activity.area_id):
        raise NotFound(N_("Deze activiteit bestaat niet."))
    if activity.association_id is not None:
        raise Conflict(N_("Deze activiteit wordt al door een vereniging georganiseerd. Alleen een "
                       "activiteit van de welzijnsorganisatie kan worden overgedragen."))
    if activity.status != "active":
        raise Conflict(N_("Deze activiteit gaat niet meer door."))
    if db.session.scalar(select(Handover.id).where(Handover.activity_id == activity.id,
                                                   Handover.handed_over_at.is_(None),
                                                   Handover.status != "stopped")):
        raise Conflict(N_("Deze activiteit wordt al overgedragen."))


def create_handover(actor: User, activity: Activity, *, association_id: Any,
                    transition_ends_on: date | None, checklist: dict[str, bool],
                    now: datetime | None = None) -> Handover:
    """Start the handover; ValidationFailed per field, Conflict when it cannot start."""
    now = now or clock_now()
    check_may_hand_over(actor, activity)
    errors: dict[str, list[str]] = {}
    association = None
    if association_id is None:
        errors["association_id"] = [N_("Kies de vereniging die de activiteit overneemt.")]
    else:
        try:
            association = db.session.get(Association, int(association_id))
        except (TypeError, ValueError, OverflowError):
            association = None
        if association is None:
            errors["association_id"] = [N_("Deze vereniging bestaat niet.")]
    day = today(now)
    if transition_ends_on is None:
        errors["transition_ends_on"] = [N_("Vul in wanneer de overgangstijd eindigt.")]
    elif transition_ends_on < day:
        errors["transition_ends_on"] = [N_("Deze datum is al voorbij. Kies vandaag of later.")]
    elif (transition_ends_on - day).days > MAX_TRANSITION_DAYS:
        errors["transition_ends_on"] = [N_("Kies een datum binnen twee jaar.")]
    unknown = set(checklist) - set(CHECKLIST)
    if unknown:
        errors["checklist"] = [N_("Onbekend onderdeel: %(parts)s.",
                                  parts=", ".join(sorted(unknown)))]
    if errors:
        raise ValidationFailed(errors)
    assert association is not None and transition_ends_on is not None
    handover = Handover(
        activity_id=activity.id, association_id=association.id,
        transition_ends_on=transition_ends_on, status="in_transition",
        created_by_id=actor.id, created_at=now,
        **{f"has_{key}": bool(checklist.get(key, False)) for key in CHECKLIST})
    handover.activity = activity
    handover.checks = [HandoverCheck(due_on=add_months(transition_ends_on, months))
                       for months in CHECK_AFTER_MONTHS]
    db.session.add(handover)
    db.session.flush()
    complete_if_due(handover, now)
    return handover


def complete_if_due(handover: Handover, now: datetime) -> bool:
    """From the transition end on, the association runs the activity (unless it said the
    activity stopped: then the workers, alerted, decide). An answer given during the
    transition keeps its status; otherwise the status becomes "handed_over"."""
    if handover.handed_over_at is not None or handover.status == "stopped" \
            or handover.transition_ends_on > today(now):
        return False
    handover.activity.association_id = handover.association_id
    if handover.status == "in_transition":
        handover.status = "handed_over"
    handover.handed_over_at = now
    db.session.flush()
    return True


def _target_check(handover: Handover, day: date, now: datetime) -> HandoverCheck:
    """The check an answer belongs to: the earliest one asked or due and not answered;
    an answer between due dates is recorded as a check of its own day."""
    for check in handover.checks:
        if check.answered_at is None and (check.asked_at is not None or check.due_on <= day):
            return check
    existing = next((c for c in handover.checks if c.due_on == day), None)
    if existing is not None:
        return existing
    check = HandoverCheck(due_on=day, asked_at=now)  # nobody needs to ask this one
    handover.checks.append(check)
    return check


def record_answer(actor: User, handover: Handover, *, running: Any, note: Any = None,
                  check: HandoverCheck | None = None,
                  now: datetime | None = None) -> HandoverCheck:
    """"Still running?" answered by a member of the association or a worker of the area.

    "Stopped" alerts the area's workers at once (handover_sweeps.alert_stopped) and drops
    the questions not asked yet: nobody asks a stopped activity whether it still runs.
    ``check``: the one a mailed link asked (default: the one due, see ``_target_check``).
    """
    now = now or clock_now()
    if not can_see(actor, handover):
        raise NotFound(N_("Deze overdracht bestaat niet."))
    errors: dict[str, list[str]] = {}
    if not isinstance(running, bool):
        errors["running"] = [N_("Kies: de activiteit loopt nog (true) of is gestopt (false).")]
    if note is not None and not isinstance(note, str):
        errors["note"] = [N_("Stuur tekst.")]
    elif note and len(note) > NOTE_MAX:
        errors["note"] = [N_("Houd het korter: hoogstens %(max)s tekens.", max=NOTE_MAX)]
    if errors:
        raise ValidationFailed(errors)
    if check is None:
        check = _target_check(handover, today(now), now)
    check.answer = running
    check.answered_at = now
    check.answered_by_id = actor.id
    check.note = (note or "").strip() or None
    handover.status = "still_running" if running else "stopped"
    if not running:
        for later in list(handover.checks):
            if later.asked_at is None and later.answered_at is None:
                handover.checks.remove(later)
    db.session.flush()
    if not running:
        from marketplace.associations.handover_sweeps import alert_stopped

        alert_stopped(check, now)
    return check


# One-click answers from the mail: a signed token per check and member ---------------------

def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="buurtmakelaar.handover-check")


def answer_token(check: HandoverCheck, user: User, secret_key: str) -> str:
    return _serializer(secret_key).dumps([check.id, user.id])


def check_for_token(token: str, secret_key: str) -> tuple[HandoverCheck, User]:
    """The check and the member it was sent to; NotFound for a wrong or stale link."""
    try:
        check_id, user_id = _serializer(secret_key).loads(token)
        check = db.session.get(HandoverCheck, int(check_id))
        user = db.session.get(User, int(user_id))
    except (BadSignature, ValueError, TypeError, OverflowError):
        raise NotFound(N_("Deze link klopt niet.")) from None
    if check is None or user is None or not user.is_active \
            or not is_member(user, check.handover.association_id):
        raise NotFound(N_("Deze link klopt niet."))
    return check, user
