"""Operations of the marketplace, brokering and casework API, documented compactly.

Each row: method, path, summary, the JSON body's properties (or None), success status,
and a short description of the answer. `add_to(paths)` fills what the hand-written PATHS
in openapi.py do not describe yet (it never overwrites them, and a path already there under
other parameter names is the same path: one entry each).
"""

from __future__ import annotations

import re
from typing import Any

S, INT, B, N = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}, {"type": "number"}
DATE = {"type": "string", "format": "date"}
CODES = {"type": "array", "items": S}
# Day parts: mon..sun + _morning/_afternoon/_evening, as in a volunteer's availability.
DAY_PARTS = {"type": "array", "uniqueItems": True,
             "items": {"type": "string", "pattern": "^(mon|tue|wed|thu|fri|sat|sun)_"
                                                    "(morning|afternoon|evening)$"},
             "description": "Day parts that suit, e.g. tue_morning; empty or left out: any"}

REQUEST_BODY = {
    "category": S, "description": S, "postcode": S, "house_number": S,
    "for_person": {"oneOf": [S, {"type": "object", "properties": {
        "name": S, "relation": S, "consent": B}}]},
    "wanted_by": DATE, "wanted_until": DATE, "urgency": {"enum": ["low", "normal", "high"]},
    "timing": {"enum": ["flexible", "date", "period", "recurring"]}, "recurrence": S,
    "network_note": S, "resident_id": INT, "availability": DAY_PARTS,
}
PROFILE_BODY = {"skills": CODES, "postcode": S, "radius_km": N, "availability": CODES,
                "has_vog": B, "vog_valid_until": DATE, "languages": CODES,
                "max_commitments": INT, "paused_until": DATE, "pause_reason": S}

OPERATIONS: tuple[tuple[str, str, str, dict[str, Any] | None, int, str], ...] = (
    ("get", "/volunteers/me", "The caller's volunteer profile", None, 200,
     "The profile, with calendar_url: the secret address of their iCalendar feed"),
    ("put", "/volunteers/me", "Create or replace the caller's volunteer profile", PROFILE_BODY,
     200, "The profile"),
    ("get", "/requests", "The caller's own requests", None, 200, "Requests, newest first"),
    ("post", "/requests", "Post a request (resident, or a worker on a resident's behalf)",
     REQUEST_BODY, 201,
     "The request: id, status, category, pc4, house_number, availability, timeline"),
    ("get", "/requests/nearby", "Open requests near the volunteer that fit their skills", None,
     200, "Requests with distance_km rounded to 0.5; never a house number or name"),
    ("get", "/requests/{request_id}", "One request, as much as the caller may see", None, 200,
     "house_number only for the resident, workers of its area, its active volunteer"),
    ("post", "/requests/{request_id}/withdraw", "Withdraw a request", {"reason": S}, 200,
     "The request"),
    ("post", "/requests/{request_id}/offers", "A volunteer offers help", {"message": S}, 201,
     "The match: id, status proposed, awaiting resident or worker"),
    ("get", "/requests/{request_id}/candidates", "Own network first, then ranked volunteers",
     None, 200, "{network: [...], candidates: [{volunteer_id, score, distance_km, reasons}]}"),
    ("post", "/matches", "A worker proposes a volunteer", {"request_id": INT, "volunteer_id": INT},
     201, "The match, status proposed"),
    ("post", "/matches/{match_id}/accept", "Accept a proposed match (409 when already taken)",
     None, 200, "The match with arrangement_id"),
    ("post", "/matches/{match_id}/decline", "Decline a proposed match", {"reason": S}, 200,
     "The match"),
    ("post", "/matches/{match_id}/stop",
     "The volunteer stops helping before the agreed end (the request opens again)",
     {"reason": {"enum": ["health", "time", "moved", "fit", "other"]}, "note": S}, 200,
     "The match, status cancelled, with arrangement_id (that arrangement ended)"),
    ("get", "/arrangements/{arrangement_id}", "An arrangement with its check-ins", None, 200,
     "{id, request_id, status, started_on, planned_end_on, checkins: [...]}"),
    ("get", "/signals/{signal_id}", "One signal (workers of its area)", None, 200, "The signal"),
    ("post", "/signals/{signal_id}/assign", "Assign a signal to a worker of its area",
     {"worker_id": INT, "reason": S}, 200, "The signal"),
    ("post", "/signals/{signal_id}/attempts",
     "Log an attempt to reach the person (the first one meets respond_by)",
     {"method": {"enum": ["visit", "phone", "letter", "via_contact"]}, "reached": B,
      "attempted_on": DATE, "note": S}, 201, "The signal, with its attempts"),
    ("post", "/signals/{signal_id}/outcome", "Record the outcome of the outreach",
     {"outcome": {"enum": ["visited", "no_need", "consent_for_help", "referred",
                           "not_reached"]}, "note": S}, 200, "The signal, status handled"),
    ("get", "/residents/{resident_id}/file", "The resident's file (audited read)", None, 200,
     "Intakes, life-domain scores, plan, referrals, notes"),
    ("post", "/residents/{resident_id}/intake", "Record an intake (question clarification)",
     {"question_as_asked": S, "underlying_need": S, "own_strength": S, "network_strength": S,
      "consent_special_data": B, "consent_purpose": S,
      "scores": {"type": "object", "additionalProperties": INT}}, 201, "The intake"),
    ("post", "/residents/{resident_id}/goals", "Add a measurable goal to the support plan",
     {"description": S, "measure": S, "term": {"enum": ["short", "long"]}, "target_on": DATE},
     201, "The goal"),
    ("post", "/residents/{resident_id}/notes", "Add a case note or contact",
     {"kind": {"enum": ["note", "visit", "call", "no_answer", "follow_up"]}, "body": S,
      "follow_up_on": DATE}, 201, "The note"),
    ("post", "/residents/{resident_id}/referrals", "Refer to a partner (with consent)",
     {"partner_id": INT, "reason": S, "consent": B, "request_id": INT}, 201, "The referral"),
    ("post", "/residents/{resident_id}/referrals/{referral_id}/status",
     "Move a referral a step (up to the step-down)", {"status": S, "note": S}, 200,
     "The referral"),
)

# Operations whose service may answer 409: the request or the proposal moved on already
# (offered twice, proposed when taken, accepted or declined after an answer, stopped when
# the support no longer runs).
CONFLICTS = {("post", "/matches"), ("post", "/matches/{match_id}/accept"),
             ("post", "/matches/{match_id}/decline"), ("post", "/matches/{match_id}/stop"),
             ("post", "/requests/{request_id}/offers")}


def _parameters(path: str) -> list[dict[str, Any]]:
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    return [{"name": n, "in": "path", "required": True, "schema": INT} for n in names]


def normalised(path: str) -> str:
    """The path with its parameter names left out: /requests/{id} is /requests/{request_id}."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def add_to(paths: dict[str, Any]) -> None:
    for method, path, summary, body, status, answer in OPERATIONS:
        spelled = {normalised(known): known for known in paths}
        item = paths.setdefault(spelled.get(normalised(path), path), {})
        if method in item:
            continue
        operation: dict[str, Any] = {
            "summary": summary,
            "operationId": f"{method}{''.join(p.strip('{}').title() for p in path.split('/'))}"
            .replace("_", ""),
            "responses": {
                str(status): {"description": answer,
                              "content": {"application/json": {"schema": {}}}},
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "404": {"$ref": "#/components/responses/Problem"},
                "422": {"$ref": "#/components/responses/Problem"},
            },
        }
        if (method, path) in CONFLICTS:
            operation["responses"]["409"] = {"$ref": "#/components/responses/Problem"}
        if _parameters(path):
            operation["parameters"] = _parameters(path)
        if body is not None:
            operation["requestBody"] = {"content": {"application/json": {"schema": {
                "type": "object", "properties": body}}}}
        item[method] = operation
