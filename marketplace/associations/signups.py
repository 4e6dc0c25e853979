"""Sign-ups with a waiting list: first come, first served, capacity held under parallel use.

Every change of an activity's sign-ups first writes its row (``signup_seq + 1``). On
PostgreSQL that UPDATE takes the row lock, so sign-ups of one activity queue behind each other
and each sees the ones committed before it; SQLite's BEGIN IMMEDIATE already serialises
writers. The new sequence number is the arrival order on the waiting list.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.associations import notify
from marketplace.associations.access import can_manage, is_area_worker_for
from marketplace.associations.models import Activity, Signup
from marketplace.clock import now as clock_now
from marketplace.errors import Conflict, DomainError, NotFound
from marketplace.extensions import db


def _lock(activity: Activity) -> int:
    """Take the activity's row for this transaction; returns the next arrival number."""
    seq = db.session.execute(
        update(Activity).where(Activity.id == activity.id)
        .values(signup_seq=Activity.signup_seq + 1)
        .returning(Activity.signup_seq)
        .execution_options(synchronize_session=False)).scalar_one()
    db.session.refresh(activity)
    return seq


def registered_count(activity: Activity) -> int:
    return db.session.scalar(select(func.count(Signup.id)).where(
        Signup.activity_id == activity.id, Signup.status == "registered")) or 0


def spots_left(activity: Activity) -> int | None:
    if activity.capacity is None:
        return None
    return max(activity.capacity - registered_count(activity), 0)


def active_signup(activity: Activity, person: User) -> Signup | None:
    return db.session.scalar(select(Signup).where(
        Signup.activity_id == activity.id, Signup.user_id == person.id,
        Signup.status != "cancelled"))


def active_signups_by_activity(person: User, activity_ids: list[int]) -> dict[int, Signup]:
    """The person's active sign-ups for these activities, in one query."""
    if not activity_ids:
        return {}
    rows = db.session.scalars(select(Signup).where(
        Signup.user_id == person.id, Signup.activity_id.in_(activity_ids),
        Signup.status != "cancelled"))
    return {s.activity_id: s for s in rows}


def waitlist_position(signup: Signup) -> int | None:
    """1 for the first person waiting."""
    if signup.status != "waitlisted":
        return None
    ahead = db.session.scalar(select(func.count(Signup.id)).where(
        Signup.activity_id == signup.activity_id, Signup.status == "waitlisted",
        Signup.position < signup.position)) or 0
    return ahead + 1


def may_sign_up_for(actor: User, activity: Activity, person: User) -> bool:
    """Oneself as a resident; a worker signs up a resident of their area, or for an
    activity in their area."""
    if actor.id == person.id:
        return person.has_role("resident")
    if not actor.has_role("worker") or not person.has_role("resident"):
        return False
    from marketplace.casework.services import can_open_file

    return can_open_file(actor, person) or is_area_worker_for(actor, activity.area_id)


def residents_for(worker: User, *, limit: int = 500) -> list[User]:
    """Residents a worker may sign up: their file or a request of theirs is in the worker's
    areas. Names only reach the page (a choice list)."""
    from marketplace.accounts.models import UserRole
    from marketplace.casework.models import ResidentArea
    from marketplace.help_requests.access import worker_area_ids
    from marketplace.help_requests.models import HelpRequest

    ids = worker_area_ids(worker)
    if not ids:
        return []
    in_area = or_(
        User.id.in_(select(ResidentArea.resident_id).where(ResidentArea.area_id.in_(ids))),
        User.id.in_(select(HelpRequest.owner_id).where(HelpRequest.area_id.in_(ids))))
    return list(db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == "resident", User.is_active.is_(True), in_area)
        .order_by(User.name, User.id).limit(limit)))


def signup(activity: Activity, person: User, *, actor: User,
           now: datetime | None = None) -> Signup:
    """Registered while there is room, else waitlisted (with its position)."""
    now = now or clock_now()
    if not may_sign_up_for(actor, activity, person):
        raise NotFound(_("Deze persoon kunt u niet aanmelden."))
    seq = _lock(activity)
    if activity.status != "active":
        raise Conflict(_("Deze activiteit gaat niet meer door; aanmelden kan niet."))
    if active_signup(activity, person) is not None:
        raise Conflict(_already(actor, person))
    full = activity.capacity is not None and registered_count(activity) >= activity.capacity
    entry = Signup(activity_id=activity.id, user_id=person.id,
                   status="waitlisted" if full else "registered", position=seq,
                   signed_up_by_id=actor.id if actor.id != person.id else None,
                   created_at=now)
    db.session.add(entry)
    try:
        db.session.flush()
    except IntegrityError:
        # Only possible when the lock was bypassed; the entry point rolls back.
        raise Conflict(_already(actor, person)) from None
    return entry


def _already(actor: User, person: User) -> str:
    """Said to the one who signs up: the person themself, or the worker acting for them."""
    if actor.id == person.id:
        return _("U bent al aangemeld voor deze activiteit.")
    return _("%(name)s is al aangemeld voor deze activiteit.", name=person.name)


def cancel_signup(activity: Activity, person: User, *, actor: User | None = None,
                  now: datetime | None = None) -> Signup:
    """Sign off. When a place frees up the first person waiting moves in and is told."""
    now = now or clock_now()
    actor = actor or person
    if actor.id != person.id and not (can_manage(actor, activity)
                                      or may_sign_up_for(actor, activity, person)):
        raise NotFound(_("Deze aanmelding bestaat niet."))
    _lock(activity)
    entry = active_signup(activity, person)
    if entry is None:
        raise NotFound(_("U bent niet aangemeld voor deze activiteit."))
    entry.status = "cancelled"
    entry.cancelled_at = now
    db.session.flush()
    fill_from_waitlist(activity, now=now)
    return entry


def fill_from_waitlist(activity: Activity, *, now: datetime | None = None) -> list[Signup]:
    """Move people waiting in while there is room, first come first served; each is told."""
    now = now or clock_now()
    if activity.status != "active":
        return []
    waiting = db.session.scalars(select(Signup).where(
        Signup.activity_id == activity.id, Signup.status == "waitlisted")
        .order_by(Signup.position, Signup.id))
    room = None if activity.capacity is None else activity.capacity - registered_count(activity)
    moved: list[Signup] = []
    for entry in waiting:
        if room is not None and room <= 0:
            break
        entry.status, entry.promoted_at = "registered", now
        moved.append(entry)
        if room is not None:
            room -= 1
    db.session.flush()
    for entry in moved:
        notify.promoted(entry, now=now)
    return moved


def signups_of(activity: Activity) -> list[Signup]:
    """Active sign-ups, registered first then the waiting list, each in arrival order (with
    the people, loaded in the same round)."""
    rows = db.session.scalars(select(Signup).options(selectinload(Signup.user)).where(
        Signup.activity_id == activity.id, Signup.status != "cancelled")
        .order_by(Signup.position, Signup.id))
    rows = list(rows)
    return ([s for s in rows if s.status == "registered"]
            + [s for s in rows if s.status == "waitlisted"])


def waitlist_positions(signups: list[Signup]) -> dict[int, int]:
    """{signup id: place on the waiting list} for signups_of's list, without a query."""
    waiting = [s for s in signups if s.status == "waitlisted"]
    return {s.id: place for place, s in enumerate(waiting, start=1)}


def signups_of_person(person: User) -> list[Signup]:
    return list(db.session.scalars(select(Signup).where(
        Signup.user_id == person.id, Signup.status != "cancelled")
        .order_by(Signup.created_at.desc())))


def ensure_active(activity: Activity) -> None:
    if activity.status != "active":
        raise DomainError(_("Deze activiteit gaat niet meer door."))
