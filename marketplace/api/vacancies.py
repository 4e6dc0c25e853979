"""API: volunteer vacancies of activities, their candidates and proposals (CONTRACT.md).

Who: a member of the activity's association or a worker of its area manages a vacancy
(create, candidates, propose, close); the volunteer answers their own proposal. Anyone else
gets 404, exactly as for a missing vacancy.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from marketplace.accounts.models import User
from marketplace.api import api_bp
from marketplace.api.auth import api_user
from marketplace.api.errors import json_body
from marketplace.associations import vacancy_services as vacancies
from marketplace.associations.access import can_manage
from marketplace.associations.services import get_activity
from marketplace.associations.vacancy_models import Vacancy, VacancyMatch
from marketplace.boundary import MAX_ID
from marketplace.cleaning import whole_number
from marketplace.errors import N_, NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.matching.service import candidates_payload


def vacancy_dict(vacancy: Vacancy) -> dict[str, Any]:
    return {
        "id": vacancy.id, "activity_id": vacancy.activity_id, "skill": vacancy.skill,
        "count": vacancy.count, "availability": list(vacancy.day_parts or []),
        "needs_vog": vacancy.needs_vog, "status": vacancy.status,
        "accepted": vacancy.accepted_count,
        "created_at": vacancy.created_at.isoformat(),
        "proposals": [proposal_dict(m) for m in vacancy.matches],
    }


def proposal_dict(match: VacancyMatch) -> dict[str, Any]:
    return {"id": match.id, "vacancy_id": match.vacancy_id, "volunteer_id": match.volunteer_id,
            "status": match.status,
            "decided_at": match.decided_at.isoformat() if match.decided_at else None}


def _body_or_empty() -> dict[str, Any]:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def _managed_activity(activity_id: int):
    try:
        activity = get_activity(activity_id)
    except NotFound:
        activity = None
    if activity is None or not can_manage(api_user(), activity):
        raise NotFound(N_("Deze activiteit bestaat niet."))
    return activity


@api_bp.post("/activities/<int:activity_id>/vacancies")
def create_vacancy(activity_id: int):
    activity = _managed_activity(activity_id)
    data = json_body()
    errors: dict[str, list[str]] = {}
    skill = data.get("skill")
    if not isinstance(skill, str) or not skill:
        errors["skill"] = [N_("Stuur de code van een soort hulp, zoals \"meals\".")]
    availability = data.get("availability", [])
    if availability is None:
        availability = []
    if not isinstance(availability, list) or not all(isinstance(a, str) for a in availability):
        errors["availability"] = [N_("Stuur een lijst van dagdelen, zoals [\"mon_morning\"].")]
    if "count" not in data:
        errors["count"] = [N_("Vul in hoeveel vrijwilligers u zoekt.")]
    payload = vacancies.VacancyInput(
        skill=skill if isinstance(skill, str) else "", count=data.get("count"),
        day_parts=availability if "availability" not in errors else [],
        needs_vog=data.get("needs_vog"))
    try:
        vacancy = vacancies.create_vacancy(api_user(), activity, payload)
    except ValidationFailed as error:
        found = dict(error.errors)
        if "day_parts" in found:
            found["availability"] = found.pop("day_parts")
        raise ValidationFailed({**found, **errors}) from None
    if errors:
        raise ValidationFailed(errors)
    db.session.commit()
    return jsonify(vacancy_dict(vacancy)), 201


@api_bp.get("/vacancies/<int:vacancy_id>")
def get_vacancy(vacancy_id: int):
    return jsonify(vacancy_dict(vacancies.managed_vacancy(api_user(), vacancy_id)))


@api_bp.get("/vacancies/<int:vacancy_id>/candidates")
def vacancy_candidates(vacancy_id: int):
    """The same engine and hard rules as for requests; volunteers already asked left out."""
    vacancy = vacancies.managed_vacancy(api_user(), vacancy_id)
    limit = whole_number(request.args.get("limit", "20"), 100)
    if not limit:
        raise ValidationFailed({"limit": [N_("Kies een aantal van 1 tot 100.")]})
    ranking = vacancies.candidates(vacancy, limit=limit)
    return jsonify({"candidates": candidates_payload(ranking)["candidates"]})


@api_bp.post("/vacancies/<int:vacancy_id>/proposals")
def propose_volunteer(vacancy_id: int):
    vacancy = vacancies.managed_vacancy(api_user(), vacancy_id)
    data = json_body()
    volunteer_id = data.get("volunteer_id")
    if not isinstance(volunteer_id, int) or isinstance(volunteer_id, bool) \
            or not 1 <= volunteer_id <= MAX_ID:
        raise ValidationFailed({"volunteer_id": [N_("Stuur het nummer (id) van de vrijwilliger.")]})
    match = vacancies.propose(api_user(), vacancy, db.session.get(User, volunteer_id))
    db.session.commit()
    return jsonify(proposal_dict(match)), 201


@api_bp.post("/vacancies/<int:vacancy_id>/close")
def close_vacancy(vacancy_id: int):
    vacancy = vacancies.managed_vacancy(api_user(), vacancy_id)
    vacancies.close_vacancy(api_user(), vacancy)
    db.session.commit()
    return jsonify(vacancy_dict(vacancy))


@api_bp.get("/vacancy-proposals")
def my_vacancy_proposals():
    """The caller's own proposals and places (as a volunteer), newest first."""
    return jsonify([{**proposal_dict(m), "activity_id": m.vacancy.activity_id,
                     "skill": m.vacancy.skill}
                    for m in vacancies.matches_of_volunteer(api_user())])


def _answer(match_id: int, action: str):
    match = vacancies.get_match(match_id)
    user = api_user()
    if action == "accept":
        vacancies.accept(user, match)
    elif action == "decline":
        vacancies.decline(user, match, _body_or_empty().get("reason")
                          if isinstance(_body_or_empty().get("reason"), str) else None)
    else:
        vacancies.stop(user, match)
    db.session.commit()
    return jsonify({**proposal_dict(match), "vacancy_status": match.vacancy.status})


@api_bp.post("/vacancy-proposals/<int:match_id>/accept")
def accept_vacancy_proposal(match_id: int):
    return _answer(match_id, "accept")


@api_bp.post("/vacancy-proposals/<int:match_id>/decline")
def decline_vacancy_proposal(match_id: int):
    return _answer(match_id, "decline")


@api_bp.post("/vacancy-proposals/<int:match_id>/cancel")
def cancel_vacancy_proposal(match_id: int):
    """The volunteer stops (or a manager withdraws the proposal); a filled vacancy reopens."""
    return _answer(match_id, "cancel")


# OpenAPI ----------------------------------------------------------------------------------

_DAY_PARTS = {"type": "array", "uniqueItems": True,
              "items": {"type": "string", "pattern": "^(mon|tue|wed|thu|fri|sat|sun)_"
                                                     "(morning|afternoon|evening)$"}}
_ID = {"type": "integer", "minimum": 1}


def _operation(op_id: str, summary: str, status: int, answer: str, params: list[str],
               body: dict[str, Any] | None = None, required: list[str] | None = None,
               query: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary, "operationId": op_id,
        "responses": {
            str(status): {"description": answer,
                          "content": {"application/json": {"schema": {}}}},
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "404": {"$ref": "#/components/responses/Problem"},
            "409": {"$ref": "#/components/responses/Problem"},
            "422": {"$ref": "#/components/responses/Problem"},
        },
        "parameters": [{"name": p, "in": "path", "required": True, "schema": _ID}
                       for p in params] + (query or []),
    }
    if body is not None:
        operation["requestBody"] = {"content": {"application/json": {"schema": {
            "type": "object", "properties": body, "required": required or []}}}}
    return operation


def add_openapi(paths: dict[str, Any]) -> None:
    """Describe the vacancy routes in the OpenAPI document (called by openapi.document)."""
    answer = ("{id, vacancy_id, volunteer_id, status, decided_at, vacancy_status}; 409 when "
              "answered already or every place is taken")
    paths["/activities/{activity_id}/vacancies"] = {"post": _operation(
        "postActivitiesActivityIdVacancies",
        "A member of the association or a worker of the area asks for volunteers", 201,
        "{id, status: open, activity_id, skill, count, availability, needs_vog, ...}",
        ["activity_id"],
        {"skill": {"type": "string", "description": "Category code"},
         "count": {"type": "integer", "minimum": 1, "maximum": vacancies.MAX_COUNT},
         "availability": _DAY_PARTS, "needs_vog": {"type": "boolean"}},
        ["skill", "count"])}
    paths["/vacancies/{vacancy_id}"] = {"get": _operation(
        "getVacanciesVacancyId", "A vacancy with its proposals (members, area workers)", 200,
        "The vacancy", ["vacancy_id"])}
    paths["/vacancies/{vacancy_id}/candidates"] = {"get": _operation(
        "getVacanciesVacancyIdCandidates",
        "Ranked volunteers by the request engine and hard rules (skill, both radii, VOG, "
        "capacity, pause); those already asked left out", 200,
        "{candidates: [{volunteer_id, score, distance_km, reasons}]}", ["vacancy_id"],
        query=[{"name": "limit", "in": "query", "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}}])}
    paths["/vacancies/{vacancy_id}/proposals"] = {"post": _operation(
        "postVacanciesVacancyIdProposals", "Propose a volunteer for the vacancy", 201,
        "{id, vacancy_id, volunteer_id, status: proposed}", ["vacancy_id"],
        {"volunteer_id": _ID}, ["volunteer_id"])}
    paths["/vacancies/{vacancy_id}/close"] = {"post": _operation(
        "postVacanciesVacancyIdClose", "No more volunteers wanted", 200, "The vacancy, closed",
        ["vacancy_id"])}
    paths["/vacancy-proposals"] = {"get": _operation(
        "getVacancyProposals", "The caller's own vacancy proposals and places", 200,
        "[{id, vacancy_id, activity_id, skill, status}]", [])}
    for action, summary in (("accept", "The volunteer says yes"),
                            ("decline", "The volunteer says no"),
                            ("cancel", "The volunteer stops, or a manager withdraws it")):
        paths[f"/vacancy-proposals/{{match_id}}/{action}"] = {"post": _operation(
            f"postVacancyProposalsMatchId{action.title()}", summary, 200, answer, ["match_id"],
            {"reason": {"type": "string"}} if action == "decline" else None)}
