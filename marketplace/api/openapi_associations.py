"""OpenAPI operations of associations and activities (CONTRACT.md), added by document()."""

from __future__ import annotations

from typing import Any

S, INT, B, N = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}, {"type": "number"}
MOMENT = {"type": "string", "description": "ISO-8601 date-time; without an offset it is "
          "Dutch time (Europe/Amsterdam)"}
NULLABLE_INT = {"type": ["integer", "null"]}
ASSOCIATION = {"type": "object", "properties": {"id": INT, "name": S, "pc4": S, "place": S}}
ACTIVITY_BODY = {
    "association_id": INT, "title": S, "category": S, "description": S, "postcode": S,
    "venue": S, "starts_at": MOMENT, "ends_at": MOMENT,
    "recurrence": {"enum": ["none", "weekly", "biweekly", "monthly"]},
    "repeat_until": {"type": "string", "format": "date"},
    "capacity": {"type": ["integer", "null"], "minimum": 1,
                 "description": "Places; null or left out: unlimited"},
    "accessible": B, "audience": S,
}
NEARBY_ITEM = {"type": "object", "properties": {
    "id": INT, "title": S, "category": S, "pc4": S, "place": S, "venue": S,
    "distance_km": {"type": "number", "description": "Rounded to 0.5 km"},
    "next_starts_at": S, "spots_left": NULLABLE_INT, "accessible": B, "run_by": S}}

# method, path, summary, body, success status, answer schema, extra problem statuses
OPERATIONS: tuple[tuple[str, str, str, dict[str, Any] | None, int, dict[str, Any],
                        tuple[int, ...]], ...] = (
    ("post", "/associations", "Register an association (admin, worker)",
     {"name": S, "postcode": S, "description": S, "contact": S}, 201, ASSOCIATION, (403,)),
    ("get", "/associations", "All associations", None, 200,
     {"type": "array", "items": ASSOCIATION}, ()),
    ("post", "/associations/{association_id}/members",
     "Add a member (admin, worker, a member of it); members manage its activities",
     {"user_id": INT}, 201, {"type": "object"}, (403, 409)),
    ("post", "/activities", "Create an activity (a member of association_id; a worker also "
     "without one: run by the welfare organisation)", ACTIVITY_BODY, 201,
     {"type": "object", "properties": {"id": INT, "status": S, "run_by": {
         "enum": ["association", "welfare"]}}}, (403,)),
    ("get", "/activities/nearby", "Activities near a postcode, nearest first", None, 200,
     {"type": "array", "items": NEARBY_ITEM}, ()),
    ("get", "/activities/{activity_id}", "One activity; signups (names only) for its "
     "association's members and the workers of its area", None, 200, {"type": "object"}, ()),
    ("post", "/activities/{activity_id}/signups", "Sign up (a resident; a worker for "
     "resident_id); waitlisted with position when full", {"resident_id": INT}, 201,
     {"type": "object", "properties": {"id": INT, "status": {
         "enum": ["registered", "waitlisted"]}, "position": INT}}, (403, 409)),
    ("delete", "/activities/{activity_id}/signups/me",
     "Sign off; the first person waiting moves in and is told", None, 204, {}, ()),
)
QUERY = {
    "/activities/nearby": [
        {"name": "postcode", "in": "query", "schema": S,
         "description": "Default: the caller's own PC4"},
        {"name": "radius_km", "in": "query", "schema": {"type": "number", "default": 5}},
        {"name": "category", "in": "query", "schema": S},
        {"name": "weekday", "in": "query",
         "schema": {"enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}},
    ],
}


def add_to(paths: dict[str, Any]) -> None:
    for method, path, summary, body, status, answer, problems in OPERATIONS:
        item = paths.setdefault(path, {})
        if method in item:
            continue
        success: dict[str, Any] = {"description": summary}
        if status != 204:
            success["content"] = {"application/json": {"schema": answer}}
        responses: dict[str, Any] = {
            str(status): success,
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "404": {"$ref": "#/components/responses/Problem"},
            "422": {"$ref": "#/components/responses/Problem"},
        }
        for code in problems:
            responses[str(code)] = {"$ref": "#/components/responses/Problem"}
        operation: dict[str, Any] = {
            "summary": summary, "tags": ["associations"],
            "operationId": f"{method}{''.join(p.strip('{}').title() for p in path.split('/'))}"
            .replace("_", ""),
            "responses": responses,
        }
        parameters = [{"name": part[1:-1], "in": "path", "required": True, "schema": INT}
                      for part in path.split("/") if part.startswith("{")]
        parameters += QUERY.get(path, []) if method == "get" else []
        if parameters:
            operation["parameters"] = parameters
        if body is not None:
            operation["requestBody"] = {"content": {"application/json": {"schema": {
                "type": "object", "properties": body}}}}
        item[method] = operation
