"""Associations and activities: create, validate, change. Services add/flush; callers commit.

Sign-ups live in signups.py, occurrences and attendance in occurrences.py, the nearby list in
nearby.py; they are re-exported here so other features have one import.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.areas.services import area_for_pc4
from marketplace.associations.access import (
    can_manage,
    can_manage_association,
    can_see_signups,
    is_area_worker_for,
    is_member,
    member_association_ids,
)
from marketplace.associations.models import Activity, Association, AssociationMember
from marketplace.associations.validation import ActivityInput, place_for, validate_activity
from marketplace.boundary import MAX_ID
from marketplace.clock import now as clock_now
from marketplace.errors import Conflict, Forbidden, NotFound, ValidationFailed
from marketplace.extensions import db

__all__ = [
    "ActivityInput", "activities_nearby", "add_member", "can_manage", "can_see_signups",
    "cancel_occurrence", "cancel_signup", "create_activity", "create_association",
    "generate_occurrences", "is_member", "move_occurrence", "record_attendance", "signup",
]


# Associations ----------------------------------------------------------------------------

def get_association(association_id: Any) -> Association:
    try:
        key = int(association_id)
        association = db.session.get(Association, key) if 0 < key <= MAX_ID else None
    except (TypeError, ValueError, OverflowError):
        association = None
    if association is None:
        raise NotFound(_("Deze vereniging bestaat niet."))
    return association


def all_associations() -> list[Association]:
    return list(db.session.scalars(select(Association).order_by(Association.name,
                                                                Association.id)))


def associations_of(user: User) -> list[Association]:
    ids = member_association_ids(user)
    if not ids:
        return []
    return list(db.session.scalars(select(Association).where(Association.id.in_(ids))
                                   .order_by(Association.name)))


def _association_fields(name: Any, postcode: Any, description: Any,
                        contact: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        errors["name"] = [_("Vul de naam van de vereniging in.")]
    elif len(name) > 160:
        errors["name"] = [_("De naam is te lang (hoogstens 160 tekens).")]
    values["name"] = name
    try:
        values["pc4"], values["place"] = place_for(
            postcode if isinstance(postcode, str) else None)[:2]
    except ValueError as exc:
        errors["postcode"] = [str(exc)]
    if description is not None and not isinstance(description, str):
        errors["description"] = [_("Dit moet tekst zijn.")]
    values["description"] = (description or "").strip() or None
    if contact is not None and not isinstance(contact, str):
        errors["contact"] = [_("Dit moet tekst zijn.")]
    elif contact and len(contact) > 200:
        errors["contact"] = [_("Te lang (hoogstens 200 tekens).")]
    values["contact"] = (contact or "").strip() or None
    return values, errors


def create_association(actor: User, *, name: str, postcode: str, description: str | None = None,
                       contact: str | None = None) -> Association:
    """Admins and workers register an association (its members manage it from then on)."""
    if not actor.has_role("admin", "worker"):
        raise Forbidden(_("Alleen een beheerder of consulent kan een vereniging aanmaken."))
    values, errors = _association_fields(name, postcode, description, contact)
    if errors:
        raise ValidationFailed(errors)
    area = area_for_pc4(values["pc4"])
    association = Association(**values, area_id=area.id if area else None)
    db.session.add(association)
    db.session.flush()
    return association


def update_association(actor: User, association: Association, *, name: str, postcode: str,
                       description: str | None = None,
                       contact: str | None = None) -> Association:
    if not can_manage_association(actor, association):
        raise Forbidden(_("Alleen leden van de vereniging passen het profiel aan."))
    values, errors = _association_fields(name, postcode, description, contact)
    if errors:
        raise ValidationFailed(errors)
    for key, value in values.items():
        setattr(association, key, value)
    area = area_for_pc4(association.pc4)
    association.area_id = area.id if area else None
    db.session.flush()
    return association


def add_member(actor: User, association: Association, user: User) -> AssociationMember:
    """Admins, workers and the association's own members add a member."""
    if not can_manage_association(actor, association):
        raise Forbidden(_("Alleen leden, consulenten en beheerders voegen leden toe."))
    if user is None or not user.is_active:
        raise ValidationFailed({"user_id": [_("Deze persoon bestaat niet.")]})
    if is_member(user, association):
        raise Conflict(_("Deze persoon is al lid van de vereniging."), field="user_id")
    member = AssociationMember(association_id=association.id, user_id=user.id,
                               added_by_id=actor.id)
    db.session.add(member)
    db.session.flush()
    return member


def members_of(association: Association) -> list[AssociationMember]:
    return list(association.members)


# Activities ------------------------------------------------------------------------------

def activity_errors(data: ActivityInput, *, is_new: bool = True,
                    now: datetime | None = None) -> dict[str, list[str]]:
    """The rules' messages per field, without saving (a form shows them all at once)."""
    return validate_activity(data, now or clock_now(), is_new=is_new)[1]


def create_activity(actor: User, data: ActivityInput, *,
                    now: datetime | None = None) -> Activity:
    """A member creates an activity of their association; a worker also one the welfare
    organisation runs (no association) in their area. Occurrences are planned at once."""
    now = now or clock_now()
    association = None
    if data.association_id is not None:
        try:
            association = get_association(data.association_id)
        except NotFound:
            raise ValidationFailed(
                {"association_id": [_("Deze vereniging bestaat niet.")]}) from None
    values, errors = validate_activity(data, now, is_new=True)
    if errors:
        raise ValidationFailed(errors)
    area = area_for_pc4(values["pc4"])
    area_id = area.id if area else None
    if association is not None:
        allowed = (is_member(actor, association) or actor.has_role("admin")
                   or is_area_worker_for(actor, area_id))
    else:
        allowed = actor.has_role("admin") or is_area_worker_for(actor, area_id)
        if not allowed and actor.has_role("worker"):
            raise ValidationFailed({"postcode": [_("Deze postcode ligt buiten uw werkgebied.")]})
    if not allowed:
        raise Forbidden(_("U mag voor deze vereniging geen activiteit aanmaken."))
    activity = Activity(**values, association_id=association.id if association else None,
                        area_id=area_id, status="active", created_by_id=actor.id,
                        created_at=now)
    db.session.add(activity)
    db.session.flush()
    generate_occurrences(activity, now=now)
    return activity


def update_activity(actor: User, activity: Activity, data: ActivityInput, *,
                    now: datetime | None = None) -> Activity:
    """Change an activity. Occurrences still to come follow a new time or rhythm; a larger
    capacity moves people from the waiting list in."""
    now = now or clock_now()
    if not can_manage(actor, activity):
        raise NotFound(_("Deze activiteit bestaat niet."))
    values, errors = validate_activity(data, now, is_new=False)
    if errors:
        raise ValidationFailed(errors)
    planning_changed = any(getattr(activity, key) != values[key]
                           for key in ("starts_at", "ends_at", "recurrence", "repeat_until"))
    for key, value in values.items():
        setattr(activity, key, value)
    area = area_for_pc4(activity.pc4)
    activity.area_id = area.id if area else None
    db.session.flush()
    if planning_changed:
        replan_occurrences(activity, now=now)
    fill_from_waitlist(activity, now=now)
    return activity


def cancel_activity(actor: User, activity: Activity, *, now: datetime | None = None) -> int:
    """The activity stops: times still to come are cancelled, sign-ups can no longer be
    made, and everyone signed up or waiting is told. Returns how many were told."""
    now = now or clock_now()
    if not can_manage(actor, activity):
        raise NotFound(_("Deze activiteit bestaat niet."))
    if activity.status != "active":
        return 0
    activity.status = "cancelled"
    for occurrence in activity.occurrences:
        if occurrence.status == "scheduled" and occurrence.starts_at >= now:
            occurrence.status = "cancelled"
    db.session.flush()
    from marketplace.associations import notify
    from marketplace.associations.signups import signups_of

    people = [s.user for s in signups_of(activity)]
    for person in people:
        notify.activity_cancelled(activity, person, now=now)
    return len(people)


def get_activity(activity_id: Any) -> Activity:
    try:
        key = int(activity_id)
        activity = db.session.get(Activity, key) if 0 < key <= MAX_ID else None
    except (TypeError, ValueError, OverflowError):
        activity = None
    if activity is None:
        raise NotFound(_("Deze activiteit bestaat niet."))
    return activity


def activities_of(association: Association) -> list[Activity]:
    return list(db.session.scalars(select(Activity)
                                   .where(Activity.association_id == association.id)
                                   .order_by(Activity.starts_at, Activity.id)))


def welfare_activities_for(user: User) -> list[Activity]:
    """Activities the welfare organisation runs in this worker's areas."""
    from marketplace.help_requests.access import worker_area_ids

    ids = worker_area_ids(user)
    if not ids:
        return []
    return list(db.session.scalars(select(Activity).where(Activity.association_id.is_(None),
                                                          Activity.area_id.in_(ids))
                                   .order_by(Activity.starts_at, Activity.id)))


# Re-exported so other features import one module (placed last: these import models only).
from marketplace.associations.nearby import activities_nearby  # noqa: E402
from marketplace.associations.occurrences import (  # noqa: E402
    cancel_occurrence,
    generate_occurrences,
    move_occurrence,
    record_attendance,
    replan_occurrences,
)
from marketplace.associations.signups import (  # noqa: E402
    cancel_signup,
    fill_from_waitlist,
    signup,
)
