"""API: volunteer profile, requests, nearby requests, offers of help (CONTRACT.md §5)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _

from marketplace.accounts import audit
from marketplace.api import api_bp
from marketplace.api.auth import api_user, roles_required
from marketplace.api.errors import json_body
from marketplace.api.problems import problem
from marketplace.brokering import services as brokering
from marketplace.clock import today
from marketplace.errors import NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.help_requests import services as requests_service
from marketplace.help_requests.access import View, view_of
from marketplace.help_requests.serialize import request_dict
from marketplace.volunteers import services as volunteers


def _date(data: dict[str, Any], key: str, errors: dict[str, list[str]]) -> date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        errors.setdefault(key, []).append("Gebruik een datum als 2026-12-01.")
        return None


@api_bp.get("/volunteers/me")
@roles_required("volunteer")
def volunteer_me():
    profile = volunteers.get_profile(api_user())
    if profile is None:
        return problem(404, _("Niet gevonden"), _("U heeft nog geen vrijwilligersprofiel."))
    return jsonify(profile.as_dict())


@api_bp.put("/volunteers/me")
@roles_required("volunteer")
def volunteer_me_put():
    data = json_body()
    errors: dict[str, list[str]] = {}
    vog_until = _date(data, "vog_valid_until", errors)
    paused_until = _date(data, "paused_until", errors)
    for key, kind in (("skills", list), ("availability", list), ("languages", list)):
        if key in data and not isinstance(data[key], kind):
            errors.setdefault(key, []).append("Stuur een lijst.")
    if errors:
        raise ValidationFailed(errors)
    current = volunteers.get_profile(api_user())
    radius = data.get("radius_km", current.radius_km if current else None)
    payload = volunteers.ProfileInput(
        skills=data.get("skills", current.skill_codes if current else []),
        postcode=str(data.get("postcode", current.home_pc4 if current else "")),
        radius_km=radius if isinstance(radius, int | float) and not isinstance(radius, bool)
        else -1,
        availability=data.get("availability", current.slot_codes if current else []),
        has_vog=data.get("has_vog", current.has_vog if current else False),
        vog_valid_until=vog_until, languages=data.get("languages", ["nl"]),
        max_commitments=data.get("max_commitments", current.max_commitments if current else 2),
        paused_until=paused_until, pause_reason=data.get("pause_reason"),
    )
    profile = volunteers.save_profile(api_user(), payload)
    db.session.commit()
    return jsonify(profile.as_dict())


def _for_person(data: dict[str, Any]) -> tuple[str | None, str | None, bool | None]:
    value = data.get("for_person")
    if value in (None, "", {}):
        return None, None, None
    if isinstance(value, str):
        return value, None, None
    if isinstance(value, dict):
        consent = value.get("consent")
        return (str(value.get("name") or "") or None, value.get("relation"),
                consent if isinstance(consent, bool) else None)
    raise ValidationFailed({"for_person": ["Stuur een naam of een object met name."]})


def _availability(data: dict[str, Any], errors: dict[str, list[str]]) -> tuple[str, ...]:
    """The optional "availability" of a request (day parts as in PUT /volunteers/me), as
    strings for the service, which checks the codes; a wrong shape is reported here."""
    value = data.get("availability")
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        errors["availability"] = ["Stuur een lijst van dagdelen, zoals [\"mon_morning\"]."]
        return ()
    return tuple(value)


def _request_fields(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The service's field names as the API spells them."""
    renamed = dict(errors)
    if "day_parts" in renamed:
        renamed.pop("day_parts")
        renamed["availability"] = ["Gebruik dagdelen zoals mon_morning of tue_evening."]
    return renamed


@api_bp.post("/requests")
@roles_required("resident", "worker")
def create_request():
    data = json_body()
    errors: dict[str, list[str]] = {}
    wanted_on = _date(data, "wanted_by", errors) or _date(data, "wanted_on", errors)
    wanted_until = _date(data, "wanted_until", errors)
    if errors:
        raise ValidationFailed(errors)
    shape_errors: dict[str, list[str]] = {}
    availability = _availability(data, shape_errors)
    name, relation, consent = _for_person(data)
    owner = None
    if data.get("resident_id") is not None:
        from marketplace.accounts.models import User

        owner = db.session.get(User, data["resident_id"]) if isinstance(
            data["resident_id"], int) else None
        if owner is None or not owner.has_role("resident"):
            raise ValidationFailed({"resident_id": ["Deze inwoner bestaat niet."]})
    payload = requests_service.RequestInput(
        category=str(data.get("category") or ""), description=str(data.get("description") or ""),
        postcode=str(data.get("postcode") or ""), house_number=str(data.get("house_number") or ""),
        urgency=str(data.get("urgency") or "normal"),
        timing=str(data.get("timing") or ("date" if wanted_on else "flexible")),
        wanted_on=wanted_on, wanted_until=wanted_until, recurrence=data.get("recurrence"),
        network_note=data.get("network_note"), for_person_name=name,
        for_person_relation=relation, for_person_consent=consent, day_parts=availability,
    )
    try:
        if shape_errors:  # report them together with the other fields' errors
            requests_service.validate(payload, today_=today())
            raise ValidationFailed({})
        created = requests_service.create_request(api_user(), payload, owner=owner)
    except ValidationFailed as error:
        raise ValidationFailed({**_request_fields(error.errors), **shape_errors}) from None
    db.session.commit()
    return jsonify(request_dict(created, View.FULL)), 201


@api_bp.get("/requests")
def my_requests():
    return jsonify([request_dict(r, View.FULL) for r in requests_service.requests_of(api_user())])


@api_bp.get("/requests/nearby")
@roles_required("volunteer")
def nearby():
    profile = volunteers.get_profile(api_user())
    if profile is None:
        return jsonify([])
    found = volunteers.nearby_requests(profile, category=request.args.get("category") or None,
                                       sort=request.args.get("sort", "distance"))
    return jsonify([request_dict(n.request, View.LIMITED, from_point=(profile.lat, profile.lon))
                    for n in found])


def visible_request(request_id: int):
    """The request and the caller's view of it; 404 exactly like a missing one otherwise."""
    user = api_user()
    help_request = requests_service.get_request(request_id)
    view = view_of(user, help_request)
    if view is View.NONE:
        raise NotFound("Deze hulpvraag bestaat niet.")
    if view is View.FULL and help_request.owner_id != user.id:
        audit.record("request.viewed", actor_id=user.id, subject_user_id=help_request.owner_id,
                     object_type="help_request", object_id=help_request.id,
                     ip=request.remote_addr)
        db.session.commit()
    return help_request, view


@api_bp.get("/requests/<int:request_id>")
def get_request(request_id: int):
    help_request, view = visible_request(request_id)
    point = None
    profile = volunteers.get_profile(api_user()) if api_user().has_role("volunteer") else None
    if profile is not None and view is View.LIMITED:
        point = (profile.lat, profile.lon)
    return jsonify(request_dict(help_request, view, from_point=point))


@api_bp.post("/requests/<int:request_id>/withdraw")
def withdraw_request(request_id: int):
    help_request, _view = visible_request(request_id)
    requests_service.withdraw(api_user(), help_request, (request.get_json(silent=True) or {})
                              .get("reason"))
    db.session.commit()
    return jsonify(request_dict(help_request, View.FULL))


@api_bp.post("/requests/<int:request_id>/offers")
@roles_required("volunteer")
def offer(request_id: int):
    help_request, _view = visible_request(request_id)
    body = request.get_json(silent=True) or {}
    match = brokering.offer_help(api_user(), help_request, body.get("message"))
    db.session.commit()
    return jsonify({"id": match.id, "status": match.status, "awaiting": match.awaiting}), 201
