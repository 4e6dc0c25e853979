"""API: matches (propose, accept, decline, a volunteer stops) and arrangements (CONTRACT.md §5)."""

from __future__ import annotations

from flask import jsonify

from marketplace.accounts.models import User
from marketplace.api import api_bp
from marketplace.api.auth import api_user, roles_required
from marketplace.api.body import json_fields
from marketplace.brokering import services as brokering
from marketplace.brokering.models import Arrangement, Match
from marketplace.brokering.stop import NOTE_MAX, stop_helping
from marketplace.errors import N_, NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.followup.services import checkins_of
from marketplace.help_requests import services as requests_service
from marketplace.help_requests.access import is_area_worker


def match_dict(match: Match) -> dict:
    arrangement = db.session.scalar(
        db.select(Arrangement.id).where(Arrangement.match_id == match.id))
    data = {"id": match.id, "request_id": match.request_id, "volunteer_id": match.volunteer_id,
            "status": match.status, "origin": match.origin,
            "awaiting": match.awaiting if match.status == "proposed" else None}
    if arrangement is not None:
        data["arrangement_id"] = arrangement
    return data


@api_bp.post("/matches")
@roles_required("worker")
def propose():
    body = json_fields()
    request_id = body.ident("request_id", required=True)
    volunteer_id = body.ident("volunteer_id", required=True)
    body.check()
    help_request = requests_service.get_request(request_id)
    if not is_area_worker(api_user(), help_request):
        raise NotFound(N_("Deze hulpvraag bestaat niet."))
    volunteer = db.session.get(User, volunteer_id)
    if volunteer is None:
        raise ValidationFailed({"volunteer_id": [N_("Deze vrijwilliger bestaat niet.")]})
    match = brokering.propose_match(api_user(), help_request, volunteer)
    db.session.commit()
    return jsonify(match_dict(match)), 201


@api_bp.post("/matches/<int:match_id>/accept")
def accept(match_id: int):
    match = brokering.get_match(match_id)
    brokering.accept(api_user(), match)
    db.session.commit()
    return jsonify(match_dict(match))


@api_bp.post("/matches/<int:match_id>/decline")
def decline(match_id: int):
    match = brokering.get_match(match_id)
    body = json_fields(optional_body=True)
    reason = body.text("reason")
    body.check()
    brokering.decline(api_user(), match, reason)
    db.session.commit()
    return jsonify(match_dict(match))


@api_bp.post("/matches/<int:match_id>/stop")
def stop(match_id: int):
    """The volunteer of a running arrangement stops helping (brokering.stop)."""
    match = brokering.get_match(match_id)
    if match.volunteer_id != api_user().id:
        raise NotFound(N_("Dit voorstel bestaat niet."))
    body = json_fields()
    reason = body.text("reason", required=True)
    note = body.text("note", max_length=NOTE_MAX)
    body.check()
    stop_helping(api_user(), match, reason=reason or "", note=note)
    db.session.commit()
    return jsonify(match_dict(match))


@api_bp.get("/arrangements/<int:arrangement_id>")
def arrangement(arrangement_id: int):
    found = db.session.get(Arrangement, arrangement_id)
    user = api_user()
    if found is None or not (
        found.volunteer_id == user.id or found.request.owner_id == user.id
        or is_area_worker(user, found.request)
    ):
        raise NotFound(N_("Deze afspraak bestaat niet."))
    return jsonify({
        "id": found.id, "request_id": found.request_id, "volunteer_id": found.volunteer_id,
        "status": found.status, "started_on": found.started_on.isoformat(),
        "planned_end_on": found.planned_end_on.isoformat(),
        "checkins": [
            {"kind": c.kind, "due_on": c.due_on.isoformat(),
             "done_at": c.done_at.isoformat() if c.done_at else None,
             "resident_answer": c.resident_answer, "volunteer_answer": c.volunteer_answer}
            for c in checkins_of(found)
        ],
    })
