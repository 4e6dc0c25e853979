"""API: associations and activities (CONTRACT.md "Associations and activities").

Sign-up names go only to the association's members and the workers of the activity's area;
nobody's address is in any answer (only the venue, a public place, and the PC4).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _

from marketplace.accounts import audit
from marketplace.accounts.models import User
from marketplace.api import api_bp
from marketplace.api.auth import api_user, roles_required
from marketplace.api.errors import json_body
from marketplace.associations import services
from marketplace.associations.models import Activity, Association
from marketplace.associations.nearby import own_pc4
from marketplace.associations.occurrences import next_starts, upcoming
from marketplace.associations.signups import (
    active_signup,
    signups_of,
    spots_left,
    waitlist_position,
    waitlist_positions,
)
from marketplace.boundary import MAX_ID
from marketplace.clock import DOMAIN_TZ
from marketplace.errors import NotFound, ValidationFailed
from marketplace.extensions import db


def association_dict(association: Association) -> dict[str, Any]:
    return {"id": association.id, "name": association.name, "pc4": association.pc4,
            "place": association.place}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def activity_dict(activity: Activity, user: User, *, full: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": activity.id, "title": activity.title, "category": activity.category,
        "description": activity.description, "pc4": activity.pc4, "place": activity.place,
        "venue": activity.venue, "starts_at": _iso(activity.starts_at),
        "ends_at": _iso(activity.ends_at), "recurrence": activity.recurrence,
        "repeat_until": activity.repeat_until.isoformat() if activity.repeat_until else None,
        "capacity": activity.capacity, "accessible": activity.accessible,
        "audience": activity.audience, "status": activity.status, "run_by": activity.run_by,
        "association_id": activity.association_id,
        "association": activity.association.name if activity.association else None,
        "next_starts_at": _iso(next_starts([activity.id]).get(activity.id)),
        "spots_left": spots_left(activity),
    }
    if not full:
        return data
    data["occurrences"] = [
        {"id": o.id, "starts_at": _iso(o.starts_at), "ends_at": _iso(o.ends_at),
         "status": o.status, "moved_from": _iso(o.moved_from)} for o in upcoming(activity)]
    mine = active_signup(activity, user)
    data["my_signup"] = ({"id": mine.id, "status": mine.status,
                          "position": waitlist_position(mine)} if mine else None)
    if services.can_see_signups(user, activity):
        # Names only: never an e-mail, phone or address.
        signups = signups_of(activity)
        places = waitlist_positions(signups)
        data["signups"] = [{"id": s.id, "name": s.user.name, "status": s.status,
                            "position": places.get(s.id)} for s in signups]
    return data


def _text(data: dict[str, Any], key: str, errors: dict[str, list[str]], *,
          required: bool = False, max_length: int = 5000) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            errors.setdefault(key, []).append(_("Vul dit veld in."))
        return None
    if not isinstance(value, str):
        errors.setdefault(key, []).append(_("Stuur hier tekst."))
        return None
    if len(value) > max_length:
        errors.setdefault(key, []).append(_("Gebruik hoogstens %(n)s tekens.", n=max_length))
        return None
    return value


def _ident(data: dict[str, Any], key: str, errors: dict[str, list[str]], *,
           required: bool = False) -> int | None:
    value = data.get(key)
    if value is None:
        if required:
            errors.setdefault(key, []).append(_("Vul dit veld in."))
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_ID:
        errors.setdefault(key, []).append(
            _("Stuur het nummer (id), een geheel getal groter dan 0."))
        return None
    return value


def parse_moment(value: Any) -> datetime:
    """ISO-8601; without an offset it is Dutch time (Europe/Amsterdam)."""
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError(value)
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=DOMAIN_TZ)
    return moment


def _moment(data: dict[str, Any], key: str, errors: dict[str, list[str]], *,
            required: bool = False) -> datetime | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            errors.setdefault(key, []).append(_("Vul dit veld in."))
        return None
    try:
        return parse_moment(value)
    except (ValueError, TypeError, OverflowError):
        errors.setdefault(key, []).append(_("Gebruik datum en tijd als 2027-01-05T19:30."))
        return None


def _merge(errors: dict[str, list[str]], failure: ValidationFailed) -> None:
    for key, messages in failure.errors.items():
        errors.setdefault(key, messages)


@api_bp.post("/associations")
@roles_required("admin", "worker")
def create_association():
    data = json_body()
    errors: dict[str, list[str]] = {}
    name = _text(data, "name", errors, required=True, max_length=160)
    postcode = _text(data, "postcode", errors, required=True, max_length=20)
    description = _text(data, "description", errors)
    contact = _text(data, "contact", errors, max_length=200)
    association = None
    try:
        association = services.create_association(
            api_user(), name=name or "", postcode=postcode or "", description=description,
            contact=contact)
    except ValidationFailed as failure:
        _merge(errors, failure)
    if errors or association is None:
        raise ValidationFailed(errors)
    db.session.commit()
    return jsonify(association_dict(association)), 201


@api_bp.get("/associations")
def list_associations():
    return jsonify([association_dict(a) for a in services.all_associations()])


@api_bp.post("/associations/<int:association_id>/members")
def add_member(association_id: int):
    association = services.get_association(association_id)
    data = json_body()
    errors: dict[str, list[str]] = {}
    user_id = _ident(data, "user_id", errors, required=True)
    if errors:
        raise ValidationFailed(errors)
    user = db.session.get(User, user_id)
    if user is None:
        raise ValidationFailed({"user_id": [_("Deze persoon bestaat niet.")]})
    member = services.add_member(api_user(), association, user)
    db.session.commit()
    return jsonify({"id": member.id, "association_id": association.id,
                    "user_id": user.id}), 201


@api_bp.post("/activities")
@roles_required("association", "worker", "admin")
def create_activity():
    data = json_body()
    errors: dict[str, list[str]] = {}
    association_id = _ident(data, "association_id", errors)
    recurrence = data.get("recurrence", "none")
    if recurrence is None:
        recurrence = "none"
    if not isinstance(recurrence, str):
        errors["recurrence"] = [_("Kies: none, weekly, biweekly of monthly.")]
        recurrence = "none"
    capacity = data.get("capacity")
    if capacity is not None and (isinstance(capacity, bool) or not isinstance(capacity, int)):
        errors["capacity"] = [_("Stuur een geheel getal, of null voor onbeperkt.")]
        capacity = None
    elif isinstance(capacity, int) and abs(capacity) > MAX_ID:
        errors["capacity"] = [_("Dat zijn te veel plaatsen.")]
        capacity = None
    accessible = data.get("accessible", False)
    if not isinstance(accessible, bool):
        errors["accessible"] = [_("Stuur hier true of false.")]
        accessible = False
    repeat_until = None
    if data.get("repeat_until") not in (None, ""):
        try:
            repeat_until = parse_moment(data["repeat_until"]).date()
        except (ValueError, TypeError, OverflowError):
            errors["repeat_until"] = [_("Gebruik een datum als 2027-06-30.")]
    payload = services.ActivityInput(
        title=_text(data, "title", errors, required=True, max_length=160) or "",
        category=_text(data, "category", errors, required=True, max_length=30) or "",
        description=_text(data, "description", errors),
        postcode=_text(data, "postcode", errors, required=True, max_length=20) or "",
        venue=_text(data, "venue", errors, max_length=200),
        audience=_text(data, "audience", errors, max_length=300),
        starts_at=_moment(data, "starts_at", errors, required=True),
        ends_at=_moment(data, "ends_at", errors),
        recurrence=recurrence, repeat_until=repeat_until, capacity=capacity,
        accessible=accessible, association_id=association_id)
    activity = None
    try:
        activity = services.create_activity(api_user(), payload)
    except ValidationFailed as failure:
        _merge(errors, failure)
    if errors or activity is None:
        raise ValidationFailed(errors)
    db.session.commit()
    return jsonify(activity_dict(activity, api_user(), full=False)), 201


@api_bp.get("/activities/nearby")
def activities_nearby():
    user = api_user()
    postcode = request.args.get("postcode") or own_pc4(user)
    if not postcode:
        raise ValidationFailed({"postcode": [_("Vul een postcode in.")]})
    found = services.activities_nearby(
        postcode, radius_km=request.args.get("radius_km", 5) or 5,
        category=request.args.get("category") or None,
        weekday=request.args.get("weekday") or None)
    return jsonify([{
        "id": n.activity.id, "title": n.activity.title, "category": n.activity.category,
        "pc4": n.activity.pc4, "place": n.activity.place, "venue": n.activity.venue,
        "distance_km": n.distance_km, "next_starts_at": _iso(n.next_starts_at),
        "spots_left": n.spots_left, "accessible": n.activity.accessible,
        "run_by": n.activity.run_by} for n in found])


@api_bp.get("/activities/<int:activity_id>")
def get_activity(activity_id: int):
    activity = services.get_activity(activity_id)
    data = activity_dict(activity, api_user())
    if data.get("signups"):
        # Who signed up is personal data: each read of the names is on the audit trail.
        audit.record("activity.signups_viewed", actor_id=api_user().id,
                     object_type="activity", object_id=activity.id, ip=request.remote_addr)
        db.session.commit()
    return jsonify(data)


@api_bp.post("/activities/<int:activity_id>/signups")
@roles_required("resident", "worker")
def sign_up(activity_id: int):
    activity = services.get_activity(activity_id)
    user = api_user()
    data = json_body() if request.get_data() else {}
    errors: dict[str, list[str]] = {}
    resident_id = _ident(data, "resident_id", errors)
    if errors:
        raise ValidationFailed(errors)
    if resident_id is None:
        if not user.has_role("resident"):
            raise ValidationFailed({"resident_id": [_("Kies de inwoner die u aanmeldt.")]})
        person = user
    else:
        person = db.session.get(User, resident_id)
        if person is None:
            raise NotFound(_("Deze inwoner bestaat niet."))
    entry = services.signup(activity, person, actor=user)
    db.session.commit()
    body: dict[str, Any] = {"id": entry.id, "status": entry.status}
    if entry.status == "waitlisted":
        body["position"] = waitlist_position(entry)
    return jsonify(body), 201


@api_bp.delete("/activities/<int:activity_id>/signups/me")
def sign_off(activity_id: int):
    activity = services.get_activity(activity_id)
    services.cancel_signup(activity, api_user())
    db.session.commit()
    return "", 204
