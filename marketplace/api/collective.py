"""API: handover of general activities and collective solutions (CONTRACT.md, "Associations
and activities": the handover, check, clusters and solve-collectively rows).

A handover is seen by the workers of the activity's area and the receiving association's
members; clusters only by the area's workers. For anyone else they answer 404, exactly like
a missing one.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from marketplace.api import api_bp
from marketplace.api.auth import api_user, roles_required
from marketplace.api.body import json_fields
from marketplace.associations import collective, handover
from marketplace.associations.handover_models import CHECKLIST, Handover
from marketplace.associations.models import Activity
from marketplace.clock import now as clock_now
from marketplace.errors import N_, NotFound
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest


def handover_dict(h: Handover) -> dict[str, Any]:
    return {
        "id": h.id, "activity_id": h.activity_id, "association_id": h.association_id,
        "status": h.status, "transition_ends_on": h.transition_ends_on.isoformat(),
        "run_by": h.activity.run_by, "checklist": h.checklist,
        "created_at": h.created_at.isoformat(),
        "checks": [{"due_on": c.due_on.isoformat(),
                    "asked_at": c.asked_at.isoformat() if c.asked_at else None,
                    "answer": c.answer,
                    "answered_at": c.answered_at.isoformat() if c.answered_at else None,
                    "note": c.note} for c in h.checks],
    }


@api_bp.post("/activities/<int:activity_id>/handover")
@roles_required("worker")
def create_handover(activity_id: int):
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        raise NotFound(N_("Deze activiteit bestaat niet."))
    handover.check_may_hand_over(api_user(), activity)  # 404 / 409 before the body's 422
    body = json_fields()
    association_id = body.ident("association_id", required=True)
    ends_on = body.date("transition_ends_on", required=True)
    checklist: dict[str, bool] = {}
    raw = body.data.get("checklist")
    if raw is not None and not isinstance(raw, dict):
        body.error("checklist", "Stuur een object: {\"volunteers\": true, …}.")
    elif isinstance(raw, dict):
        for key, value in raw.items():
            if key not in CHECKLIST:
                body.error("checklist", f"Onbekend onderdeel: {key}.")
            elif not isinstance(value, bool):
                body.error("checklist", f"{key}: stuur true of false.")
            else:
                checklist[key] = value
    body.check()  # the body's types first; the service then checks the values
    created = handover.create_handover(api_user(), activity, association_id=association_id,
                                       transition_ends_on=ends_on, checklist=checklist)
    db.session.commit()
    return jsonify(handover_dict(created)), 201


@api_bp.get("/handovers/<int:handover_id>")
def get_handover(handover_id: int):
    found = handover.visible_handover(api_user(), handover_id)
    if handover.complete_if_due(found, clock_now()):  # the sweep may not have run yet
        db.session.commit()
    return jsonify(handover_dict(found))


@api_bp.post("/handovers/<int:handover_id>/check")
def check_handover(handover_id: int):
    found = handover.visible_handover(api_user(), handover_id)
    body = json_fields()
    handover.record_answer(api_user(), found, running=body.data.get("running"),
                           note=body.data.get("note"))
    db.session.commit()
    return jsonify(handover_dict(found))


@api_bp.get("/clusters")
def list_clusters():
    user = api_user()
    if not user.has_role("worker"):
        raise NotFound(N_("Dit gebied bestaat niet."))
    area = collective.area_for_worker(user, request.args.get("area"))
    return jsonify([c.as_json() for c in collective.clusters_for_area(area)])


@api_bp.post("/requests/<int:request_id>/solve-collectively")
@roles_required("worker")
def solve_collectively(request_id: int):
    help_request = db.session.get(HelpRequest, request_id)
    if help_request is None:
        raise NotFound(N_("Deze hulpvraag bestaat niet."))
    body = json_fields(optional_body=True)
    activity_id = body.ident("activity_id", required=True)
    if not collective.is_area_worker(api_user(), help_request):
        raise NotFound(N_("Deze hulpvraag bestaat niet."))
    body.check()
    collective.solve_collectively(api_user(), help_request, activity_id)
    db.session.commit()
    from marketplace.api.marketplace import get_request

    return get_request(help_request.id)


# OpenAPI (called by openapi.document) -----------------------------------------------------

_S, _INT, _B, _DATE = ({"type": "string"}, {"type": "integer"}, {"type": "boolean"},
                       {"type": "string", "format": "date"})
_PROBLEM = {"$ref": "#/components/responses/Problem"}
_CHECK = {"type": "object", "properties": {
    "due_on": _DATE, "asked_at": {"type": ["string", "null"]},
    "answer": {"type": ["boolean", "null"]}, "answered_at": {"type": ["string", "null"]},
    "note": {"type": ["string", "null"]}}}
_HANDOVER = {"type": "object", "properties": {
    "id": _INT, "activity_id": _INT, "association_id": _INT,
    "status": {"enum": ["in_transition", "handed_over", "still_running", "stopped"]},
    "transition_ends_on": _DATE, "run_by": {"enum": ["association", "welfare"]},
    "checklist": {"type": "object", "properties": {k: _B for k in CHECKLIST}},
    "checks": {"type": "array", "items": _CHECK}}}
_CLUSTER = {"type": "object", "properties": {
    "category": _S, "count": _INT, "request_ids": {"type": "array", "items": _INT},
    "centre_pc4": _S, "suggested_activity_ids": {"type": "array", "items": _INT}}}


def _op(op_id: str, summary: str, status: int, schema: dict[str, Any], ids: list[str],
        body: dict[str, Any] | None = None, problems: tuple[int, ...] = (),
        query: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    responses: dict[str, Any] = {
        str(status): {"description": summary,
                      "content": {"application/json": {"schema": schema}}},
        "401": {"$ref": "#/components/responses/Unauthorized"}, "404": _PROBLEM}
    for code in problems:
        responses[str(code)] = _PROBLEM
    operation: dict[str, Any] = {
        "summary": summary, "tags": ["associations"], "operationId": op_id,
        "responses": responses,
        "parameters": [{"name": i, "in": "path", "required": True, "schema": _INT}
                       for i in ids] + (query or [])}
    if body is not None:
        operation["requestBody"] = {"content": {"application/json": {"schema": {
            "type": "object", "properties": body}}}}
    return operation


def add_openapi(paths: dict[str, Any]) -> None:
    paths["/activities/{activity_id}/handover"] = {"post": _op(
        "postActivitiesActivityIdHandover",
        "A worker of the area hands a welfare-run activity over to an association; from "
        "transition_ends_on (today or later) the association runs it", 201, _HANDOVER,
        ["activity_id"], {"association_id": _INT, "transition_ends_on": _DATE,
                          "checklist": _HANDOVER["properties"]["checklist"]},
        (400, 403, 409, 422))}
    paths["/handovers/{handover_id}"] = {"get": _op(
        "getHandoversHandoverId", "A handover with its 'still running?' checks (3 and 12 "
        "months after the transition end); the area's workers and the receiving "
        "association's members", 200, _HANDOVER, ["handover_id"])}
    paths["/handovers/{handover_id}/check"] = {"post": _op(
        "postHandoversHandoverIdCheck", "Answer 'still running?'; false (stopped) alerts the "
        "area's workers", 200, _HANDOVER, ["handover_id"], {"running": _B, "note": _S},
        (400, 422))}
    paths["/clusters"] = {"get": _op(
        "getClusters", "Clusters of open requests of one category close together, with "
        "active activities of that category nearby (workers of the area)", 200,
        {"type": "array", "items": _CLUSTER}, [],
        query=[{"name": "area", "in": "query", "required": True, "schema": _S}])}
    paths["/requests/{request_id}/solve-collectively"] = {"post": _op(
        "postRequestsRequestIdSolveCollectively",
        "Sign the resident up for the activity and close the request (solved_by activity); "
        "409 when the activity is full or not running, or the request ended", 200,
        {"type": "object"}, ["request_id"], {"activity_id": _INT}, (400, 403, 409, 422))}
