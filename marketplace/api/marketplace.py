"""API: volunteer profile, requests, nearby requests, offers of help (CONTRACT.md §5)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _

from marketplace.accounts import audit
from marketplace.api import api_bp
from marketplace.api.auth import api_user, roles_required
from marketplace.api.body import Fields, json_fields
from marketplace.api.problems import problem
from marketplace.brokering import services as brokering
from marketplace.clock import today
from marketplace.errors import N_, NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.help_requests import services as requests_service
from marketplace.help_requests.access import View, view_of
from marketplace.help_requests.serialize import request_dict
from marketplace.volunteers import services as volunteers


@api_bp.get("/volunteers/me")
@roles_required("volunteer")
def volunteer_me():
    profile = volunteers.get_profile(api_user())
    if profile is None:
        return problem(404, _("Niet gevonden"), _("U heeft nog geen vrijwilligersprofiel."))
    data = _profile_dict(profile)
    db.session.commit()  # the first look makes the feed address
    return jsonify(data)


def _profile_dict(profile) -> dict[str, Any]:
    """The profile as GET and PUT /volunteers/me answer it: with the calendar feed address
    (made on first use; the caller commits)."""
    from marketplace.calendar.services import calendar_url

    return {**profile.as_dict(), "calendar_url": calendar_url(api_user())}


@api_bp.put("/volunteers/me")
@roles_required("volunteer")
def volunteer_me_put():
    body = json_fields()
    current = volunteers.get_profile(api_user())
    vog_until = body.date("vog_valid_until")
    paused_until = body.date("paused_until")
    skills = body.text_list("skills", default=current.skill_codes if current else [])
    availability = body.text_list("availability",
                                  default=current.slot_codes if current else [])
    languages = body.text_list("languages", default=["nl"])
    postcode = body.text("postcode", default=current.home_pc4 if current else "")
    radius = body.number("radius_km", default=current.radius_km if current else -1)
    has_vog = body.boolean("has_vog", default=current.has_vog if current else False)
    max_commitments = body.integer("max_commitments",
                                   default=current.max_commitments if current else 2)
    pause_reason = body.text("pause_reason")
    body.check()
    payload = volunteers.ProfileInput(
        skills=skills or [], postcode=postcode or "",
        radius_km=radius if radius is not None else -1, availability=availability or [],
        has_vog=bool(has_vog), vog_valid_until=vog_until, languages=languages or ["nl"],
        max_commitments=max_commitments if max_commitments is not None else 2,
        paused_until=paused_until, pause_reason=pause_reason,
    )
    profile = volunteers.save_profile(api_user(), payload)
    data = _profile_dict(profile)
    db.session.commit()
    return jsonify(data)


def _for_person(body: Fields) -> tuple[str | None, str | None, bool | None]:
    """The optional "for_person": a name, or {"name", "relation"?, "consent"?}. A problem
    inside the object is filed under "for_person.name" (.relation, .consent): the field as
    the client sent it. Never dropped in silence: a relation without a name is an error.
    (Lengths are the service's rule, renamed in _request_fields.)"""
    value = body.data.get("for_person")
    if value in (None, "", {}):  # left out ("" as for any field; "  " is a name missing)
        return None, None, None
    if isinstance(value, str):
        if not value.strip():
            body.error("for_person", N_("Vul de naam in van de persoon voor wie de hulp is."))
        return value.strip() or None, None, None
    if not isinstance(value, dict):
        body.error("for_person", N_("Stuur een naam of een object met name."))
        return None, None, None
    person = Fields(value)
    name, relation = person.text("name"), person.text("relation")
    consent = person.boolean("consent")
    if "name" not in person.errors and not (name or "").strip():
        person.error("name", N_("Vul de naam in van de persoon voor wie de hulp is."))
    for key, messages in person.errors.items():
        for message in messages:
            body.error(f"for_person.{key}", message)
    if person.errors:
        return None, None, None
    return name, relation, consent


def _availability(data: dict[str, Any], errors: dict[str, list[str]]) -> tuple[str, ...]:
    """The optional "availability" of a request (day parts as in PUT /volunteers/me), as
    strings for the service, which checks the codes; a wrong shape is reported here."""
    value = data.get("availability")
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        errors["availability"] = [N_("Stuur een lijst van dagdelen, zoals [\"mon_morning\"].")]
        return ()
    return tuple(value)


def _request_fields(errors: dict[str, list[str]], data: dict[str, Any]
                   ) -> dict[str, list[str]]:
    """The service's field names as the client spelled them: a date sent as "wanted_by" is
    wrong under "wanted_by", a consent sent inside for_person under "for_person.consent"."""
    names = {"day_parts": "availability",
             "wanted_on": "wanted_on" if data.get("wanted_on") not in (None, "")
             and data.get("wanted_by") in (None, "") else "wanted_by",
             **{f"for_person_{key}": f"for_person.{key}"
                if isinstance(data.get("for_person"), dict) else "for_person"
                for key in ("name", "relation", "consent")}}
    renamed: dict[str, list[str]] = {}
    for field, messages in errors.items():
        if field == "day_parts":
            messages = [N_("Gebruik dagdelen zoals mon_morning of tue_evening.")]
        renamed.setdefault(names.get(field, field), []).extend(messages)
    return renamed


@api_bp.post("/requests")
@roles_required("resident", "worker")
def create_request():
    body = json_fields()
    wanted_on = body.date("wanted_by") or body.date("wanted_on")
    wanted_until = body.date("wanted_until")
    house_number = body.data.get("house_number")
    if isinstance(house_number, int) and not isinstance(house_number, bool):
        house_number = str(house_number)  # 17 for "17": meant the same
    else:
        house_number = body.text("house_number", default="")
    category, description = body.text("category", default=""), body.text("description",
                                                                          default="")
    postcode, urgency = body.text("postcode", default=""), body.text("urgency",
                                                                    default="normal")
    timing = body.text("timing", default="date" if wanted_on else "flexible")
    recurrence, network_note = body.text("recurrence"), body.text("network_note")
    resident_id = body.ident("resident_id")
    shape_errors = body.errors
    availability = _availability(body.data, shape_errors)
    name, relation, consent = _for_person(body)
    owner = None
    if resident_id is not None:
        from marketplace.accounts.models import User

        owner = db.session.get(User, resident_id)
        if owner is None or not owner.has_role("resident"):
            raise ValidationFailed({"resident_id": [N_("Deze inwoner bestaat niet.")]})
    payload = requests_service.RequestInput(
        category=category or "", description=description or "", postcode=postcode or "",
        house_number=house_number or "", urgency=urgency or "normal",
        timing=timing or "flexible", wanted_on=wanted_on, wanted_until=wanted_until,
        recurrence=recurrence, network_note=network_note, for_person_name=name,
        for_person_relation=relation, for_person_consent=consent, day_parts=availability,
    )
    try:
        if shape_errors:  # report them together with the other fields' errors
            requests_service.validate(payload, today_=today())
            raise ValidationFailed({})
        created = requests_service.create_request(api_user(), payload, owner=owner)
    except ValidationFailed as error:
        raise ValidationFailed({**_request_fields(error.errors, body.data),
                                **shape_errors}) from None
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
        raise NotFound(N_("Deze hulpvraag bestaat niet."))
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
    body = json_fields(optional_body=True)
    reason = body.text("reason")
    body.check()
    requests_service.withdraw(api_user(), help_request, reason)
    db.session.commit()
    return jsonify(request_dict(help_request, View.FULL))


@api_bp.post("/requests/<int:request_id>/offers")
@roles_required("volunteer")
def offer(request_id: int):
    help_request, _view = visible_request(request_id)
    body = json_fields(optional_body=True)
    message = body.text("message")
    body.check()
    match = brokering.offer_help(api_user(), help_request, message)
    db.session.commit()
    return jsonify({"id": match.id, "status": match.status, "awaiting": match.awaiting}), 201
