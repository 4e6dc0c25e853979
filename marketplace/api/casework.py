"""API: ranked candidates for a request, and a resident's file for workers of their area
(intake, goals and actions, referrals, case notes). CONTRACT.md §5.

A request or file the caller may not see answers 404, exactly like a missing one. Every read
of a file (and of a request's candidates, which name the resident's network) is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, request

from marketplace.accounts import audit
from marketplace.accounts.models import User
from marketplace.api import api_bp
from marketplace.api.auth import api_user, roles_required
from marketplace.api.errors import json_body
from marketplace.boundary import MAX_ID
from marketplace.casework import file as casefile
from marketplace.casework import referrals, services
from marketplace.casework.panel import ranking_for
from marketplace.cleaning import whole_number
from marketplace.errors import N_, NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.help_requests import services as requests_service
from marketplace.help_requests.access import is_area_worker
from marketplace.help_requests.models import HelpRequest
from marketplace.matching.service import candidates_payload

MAX_LIMIT = 100


def area_request(request_id: int) -> HelpRequest:
    help_request = requests_service.get_request(request_id) if request_id <= MAX_ID else None
    if help_request is None or not is_area_worker(api_user(), help_request):
        raise NotFound(N_("Deze hulpvraag bestaat niet."))
    return help_request


def limit_arg() -> int:
    limit = whole_number(request.args.get("limit", "20"), MAX_LIMIT)
    if not limit:
        raise ValidationFailed({"limit": [N_("Kies een getal van 1 tot %(max)s.",
                                             max=MAX_LIMIT)]})
    return limit


@api_bp.get("/requests/<int:request_id>/candidates")
def candidates(request_id: int):
    help_request = area_request(request_id)
    limit = limit_arg()
    ranking = ranking_for(help_request, limit + 1)
    payload = candidates_payload(ranking)
    payload["candidates"] = [c for c in payload["candidates"]
                             if c["volunteer_id"] != help_request.owner_id][:limit]
    audit.record("request.candidates_viewed", actor_id=api_user().id,
                 subject_user_id=help_request.owner_id, object_type="help_request",
                 object_id=help_request.id, ip=request.remote_addr)
    db.session.commit()
    return jsonify(payload)


# --- The resident's file ---

def open_resident(resident_id: int, purpose: str) -> User:
    if resident_id > MAX_ID:
        raise NotFound(N_("Dit dossier bestaat niet."))
    return services.open_file(api_user(), resident_id, purpose=purpose, ip=request.remote_addr)


def text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValidationFailed({key: [N_("Stuur tekst.")]})
    return value


def day(data: dict[str, Any], key: str) -> date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed({key: [N_("Gebruik een datum als 2026-12-01.")]}) from None


def optional_id(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                              or not 0 < value <= MAX_ID):  # an id a column can hold
        raise ValidationFailed({key: [N_("Stuur een nummer (id).")]})
    return value


def file_dict(resident: User) -> dict[str, Any]:
    intake = casefile.latest_intake(resident)
    plan = services.plan_of(resident)
    return {
        "resident_id": resident.id, "name": resident.name,
        "intake": None if intake is None else {
            "id": intake.id, "question_as_asked": intake.question_as_asked,
            "underlying_need": intake.underlying_need, "own_strength": intake.own_strength,
            "network_strength": intake.network_strength,
            "consent_special_data": intake.consent_special_data,
            "consent_purpose": intake.consent_purpose,
            "created_at": intake.created_at.isoformat()},
        "scores": {d: {"then": then, "now": now}
                   for d, (then, now) in services.scores_then_now(resident).items()},
        "goals": [goal_dict(g) for g in (plan.goals if plan else [])],
        "actions": [{"id": a.id, "actor": a.actor, "description": a.description,
                     "goal_id": a.goal_id, "partner_id": a.partner_id, "done": a.done}
                    for a in (plan.actions if plan else [])],
        "referrals": [referral_dict(r) for r in referrals.referrals_of(resident)],
        "notes": [{"id": n.id, "kind": n.kind, "body": n.body, "request_id": n.request_id,
                   "follow_up_on": n.follow_up_on.isoformat() if n.follow_up_on else None,
                   "created_at": n.created_at.isoformat(), "author_id": n.author_id}
                  for n in services.notes_of(resident)],
    }


def goal_dict(goal) -> dict[str, Any]:
    return {"id": goal.id, "description": goal.description, "measure": goal.measure,
            "term": goal.term, "target_on": goal.target_on.isoformat() if goal.target_on
            else None, "status": goal.status, "arrangement_id": goal.arrangement_id}


def referral_dict(referral) -> dict[str, Any]:
    return {"id": referral.id, "partner_id": referral.partner_id,
            "partner": referral.partner.name, "request_id": referral.request_id,
            "reason": referral.reason, "status": referral.status,
            "created_at": referral.created_at.isoformat(),
            "stepped_down_at": referral.stepped_down_at.isoformat()
            if referral.stepped_down_at else None}


@api_bp.get("/residents/<int:resident_id>/file")
@roles_required("worker")
def resident_file(resident_id: int):
    resident = open_resident(resident_id, "file")
    db.session.commit()
    return jsonify(file_dict(resident))


@api_bp.post("/residents/<int:resident_id>/intake")
@roles_required("worker")
def resident_intake(resident_id: int):
    data = json_body()  # a malformed call is refused before the file is opened
    resident = open_resident(resident_id, "intake")
    scores = data.get("scores") or {}
    if not isinstance(scores, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in scores.values()):
        raise ValidationFailed({"scores": [N_("Stuur per leefgebied een getal van 1 tot 5.")]})
    about = optional_id(data, "request_id")
    help_request = db.session.get(HelpRequest, about) if about and about <= MAX_ID else None
    if about is not None and (help_request is None or help_request.owner_id != resident.id):
        raise ValidationFailed({"request_id": [N_("Deze hulpvraag hoort niet bij deze inwoner.")]})
    intake = services.save_intake(
        api_user(), resident, question_as_asked=text(data, "question_as_asked") or "",
        underlying_need=text(data, "underlying_need"), own_strength=text(data, "own_strength"),
        network_strength=text(data, "network_strength"),
        consent_special_data=data.get("consent_special_data") is True,
        consent_purpose=text(data, "consent_purpose"), scores=scores, request=help_request)
    db.session.commit()
    return jsonify({"id": intake.id, "request_id": intake.request_id,
                    "consent_special_data": intake.consent_special_data}), 201


@api_bp.post("/residents/<int:resident_id>/goals")
@roles_required("worker")
def resident_goal(resident_id: int):
    data = json_body()
    resident = open_resident(resident_id, "plan")
    goal = services.add_goal(resident, description=text(data, "description") or "",
                             measure=text(data, "measure"), term=text(data, "term") or "short",
                             target_on=day(data, "target_on"),
                             arrangement_id=optional_id(data, "arrangement_id"))
    db.session.commit()
    return jsonify(goal_dict(goal)), 201


@api_bp.post("/residents/<int:resident_id>/notes")
@roles_required("worker")
def resident_note(resident_id: int):
    data = json_body()
    resident = open_resident(resident_id, "notes")
    note = services.add_note(api_user(), resident, kind=text(data, "kind") or "note",
                             body=text(data, "body") or "",
                             follow_up_on=day(data, "follow_up_on"))
    db.session.commit()
    return jsonify({"id": note.id, "kind": note.kind}), 201


@api_bp.post("/residents/<int:resident_id>/referrals")
@roles_required("worker")
def resident_referral(resident_id: int):
    data = json_body()
    resident = open_resident(resident_id, "referral")
    partner_id = optional_id(data, "partner_id")
    referral = referrals.refer(api_user(), resident,
                               partner_id=partner_id if partner_id and partner_id <= MAX_ID
                               else 0,
                               reason=text(data, "reason") or "",
                               consent=data.get("consent") is True)
    db.session.commit()
    return jsonify(referral_dict(referral)), 201


@api_bp.post("/residents/<int:resident_id>/referrals/<int:referral_id>/status")
@roles_required("worker")
def resident_referral_status(resident_id: int, referral_id: int):
    data = json_body()
    resident = open_resident(resident_id, "referral")
    referral = casefile.referral_of(resident, referral_id) if referral_id <= MAX_ID else None
    if referral is None:
        raise NotFound(N_("Deze verwijzing bestaat niet."))
    referrals.move(api_user(), referral, text(data, "status") or "", text(data, "note"))
    db.session.commit()
    return jsonify(referral_dict(referral))
