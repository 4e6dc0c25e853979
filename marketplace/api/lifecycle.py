"""API: close a request solved without an arrangement; evaluate (end or extend) an
arrangement. Both for workers of the request's area (CONTRACT.md, "Requests" rows).

Answers are the same representation as ``GET /requests/{id}`` and ``GET /arrangements/{id}``
(those views build them). Order of answers: 404 for anyone but a worker of the area (other
roles too, exactly like missing, as for the other accountability routes), 422 per field,
409 when the request or arrangement has moved on.
"""

from __future__ import annotations

from typing import Any

from marketplace.api import api_bp
from marketplace.api.auth import api_user
from marketplace.api.errors import json_body
from marketplace.boundary import MAX_ID
from marketplace.casework import evaluation as ev
from marketplace.casework.models import LIFE_DOMAINS
from marketplace.errors import N_, Conflict, NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.followup.models import CONTINUATIONS
from marketplace.help_requests import services as requests_service
from marketplace.help_requests.access import is_area_worker

# How a request solved by a volunteer's arrangement may be counted (CONTRACT.md).
EVALUATION_SOLVED_BY = ("volunteer", "own_network", "association", "activity")
# Weeks an extension adds when the body does not say (``extend_weeks``, 1-52).
DEFAULT_EXTEND_WEEKS = 4


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _note(data: dict[str, Any], key: str, errors: dict[str, list[str]],
          max_length: int = 500) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or "\x00" in value:
        errors[key] = [N_("Stuur tekst.")]
        return None
    if len(value) > max_length:
        errors[key] = [N_("Houd het korter: hoogstens %(max)s tekens.", max=max_length)]
        return None
    return value


@api_bp.post("/requests/<int:request_id>/close")
def close_request(request_id: int):
    worker = api_user()
    try:
        help_request = requests_service.get_request(request_id) if request_id <= MAX_ID \
            else None
    except NotFound:
        help_request = None
    if help_request is None or not is_area_worker(worker, help_request):
        raise NotFound(N_("Deze hulpvraag bestaat niet."))
    data = json_body()
    errors: dict[str, list[str]] = {}
    solved_by = data.get("solved_by")
    if solved_by not in requests_service.CLOSE_WITHOUT_ARRANGEMENT:
        errors["solved_by"] = [N_("Kies own_network, worker of not_solved.")]
    note = _note(data, "note", errors)
    if errors:
        raise ValidationFailed(errors)
    requests_service.close_without_arrangement(worker, help_request, solved_by=solved_by,
                                               note=note)
    db.session.commit()
    from marketplace.api.marketplace import get_request

    return get_request(help_request.id)


def _life_domains(data: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, int]:
    value = data.get("life_domains")
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors["life_domains"] = [N_("Stuur een object: leefgebied → cijfer van 1 tot 5.")]
        return {}
    if set(value) - set(LIFE_DOMAINS):
        errors["life_domains"] = [N_("Kies leefgebieden uit: %(choices)s.",
                                     choices=', '.join(LIFE_DOMAINS))]
    elif any(not _is_int(score) or not 1 <= score <= 5 for score in value.values()):
        errors["life_domains"] = [N_("Geef elk leefgebied een cijfer van 1 tot 5.")]
    return {} if "life_domains" in errors else dict(value)


def evaluation_input(data: dict[str, Any]) -> ev.EvaluationInput:
    """The body as the evaluation service takes it; ValidationFailed per field."""
    errors: dict[str, list[str]] = {}
    continuation = data.get("continuation")
    if continuation not in CONTINUATIONS:
        errors["continuation"] = [N_("Kies uit: %(choices)s.",
                                     choices=', '.join(CONTINUATIONS))]
    solved_by = data.get("solved_by")
    # An extension closes nothing yet: how it was solved may follow at the next evaluation.
    if not (solved_by is None and continuation == "extension") \
            and solved_by not in EVALUATION_SOLVED_BY:
        errors["solved_by"] = [N_("Kies uit: %(choices)s.",
                                  choices=', '.join(EVALUATION_SOLVED_BY))]
    reason = _note(data, "extension_reason", errors)
    if continuation == "extension" and not (reason or "").strip() and "extension_reason" \
            not in errors:
        errors["extension_reason"] = [N_("Schrijf op waarom de hulp langer nodig is.")]
    weeks = data.get("extend_weeks", DEFAULT_EXTEND_WEEKS)
    if continuation == "extension" and not (_is_int(weeks) and 1 <= weeks <= 52):
        errors["extend_weeks"] = [N_("Verleng met 1 tot 52 weken.")]
    for key in ("goals_attained", "goals_total"):
        if not _is_int(data.get(key)) or data[key] < 0:
            errors[key] = [N_("Stuur een geheel getal van 0 of meer.")]
    if "goals_attained" not in errors and "goals_total" not in errors \
            and data["goals_attained"] > data["goals_total"]:
        errors["goals_attained"] = [N_("Er zijn niet meer doelen gehaald dan er waren.")]
    scores = _life_domains(data, errors)
    note = _note(data, "note", errors, max_length=4000)
    if errors:
        raise ValidationFailed(errors)
    return ev.EvaluationInput(
        continuation=continuation, scores=scores, solved_by=solved_by,
        extension_reason=reason, extend_weeks=weeks if continuation == "extension" else None,
        note=note, goals_attained=data["goals_attained"], goals_total=data["goals_total"])


@api_bp.post("/arrangements/<int:arrangement_id>/evaluation")
def evaluate_arrangement(arrangement_id: int):
    if arrangement_id > MAX_ID:
        raise NotFound(N_("Deze afspraak bestaat niet."))
    arrangement = ev.arrangement_for_worker(api_user(), arrangement_id)
    payload = evaluation_input(json_body())
    if arrangement.status == "ended":
        raise Conflict(N_("Deze afspraak is al afgesloten."))
    try:
        ev.evaluate_arrangement(api_user(), arrangement, payload)
    except ValidationFailed as error:
        # The service names the scores "scores"; this API calls them "life_domains".
        raise ValidationFailed({("life_domains" if k == "scores" else k): v
                                for k, v in error.errors.items()}) from None
    db.session.commit()
    from marketplace.api.brokering import arrangement as arrangement_view

    return arrangement_view(arrangement.id)


def _operation(operation_id: str, summary: str, body: dict[str, Any], required: list[str],
               answer: str, parameter: str) -> dict[str, Any]:
    problem = {"$ref": "#/components/responses/Problem"}
    return {"post": {
        "summary": summary, "operationId": operation_id,
        "parameters": [{"name": parameter, "in": "path", "required": True,
                        "schema": {"type": "integer"}}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": required, "properties": body}}}},
        "responses": {"200": {"description": answer,
                              "content": {"application/json": {"schema": {}}}},
                      "400": problem, "401": {"$ref": "#/components/responses/Unauthorized"},
                      "404": problem, "409": problem, "422": problem},
    }}


_TEXT = {"type": "string", "maxLength": 500}
_COUNT = {"type": "integer", "minimum": 0}
# The two operations of this module in the OpenAPI document (openapi.document adds them).
OPENAPI_PATHS: dict[str, Any] = {
    "/requests/{request_id}/close": _operation(
        "postRequestsRequestIdClose",
        "A worker of its area closes a request solved without an arrangement",
        {"solved_by": {"enum": list(requests_service.CLOSE_WITHOUT_ARRANGEMENT)},
         "note": _TEXT}, ["solved_by"],
        "The request (as GET /requests/{id}), status closed. 409 while an arrangement runs "
        "or when it ended already", "request_id"),
    "/arrangements/{arrangement_id}/evaluation": _operation(
        "postArrangementsArrangementIdEvaluation",
        "A worker of its area evaluates an arrangement: it ends, or is extended",
        {"solved_by": {"enum": list(EVALUATION_SOLVED_BY)},
         "continuation": {"enum": list(CONTINUATIONS)}, "extension_reason": _TEXT,
         "extend_weeks": {"type": "integer", "minimum": 1, "maximum": 52,
                          "description": f"With extension; default {DEFAULT_EXTEND_WEEKS}"},
         "goals_attained": _COUNT, "goals_total": _COUNT,
         "life_domains": {"type": "object", "description": "Only with the resident's consent",
                          "properties": {d: {"type": "integer", "minimum": 1, "maximum": 5}
                                         for d in LIFE_DOMAINS},
                          "additionalProperties": False},
         "note": {"type": "string", "maxLength": 4000}},
        ["continuation", "goals_attained", "goals_total"],
        "The arrangement (as GET /arrangements/{id}): ended, or with continuation extension "
        "still active with its new planned_end_on. 409 when it ended already",
        "arrangement_id"),
}
