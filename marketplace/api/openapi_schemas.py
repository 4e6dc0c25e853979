"""Schemas of the OpenAPI document (components/schemas)."""

from __future__ import annotations

from typing import Any

SCHEMAS: dict[str, Any] = {
    "Candidates": {
        "type": "object",
        "required": ["network", "candidates"],
        "properties": {
            "network": {"type": "array", "items": {
                "type": "object", "required": ["name", "relation", "can_help"],
                "properties": {"name": {"type": "string"}, "relation": {"type": "string"},
                               "can_help": {"type": "array", "items": {"type": "string"}}}}},
            "candidates": {"type": "array", "items": {
                "type": "object", "required": ["volunteer_id", "score", "distance_km", "reasons"],
                "properties": {"volunteer_id": {"type": "integer"}, "score": {"type": "number"},
                               "distance_km": {"type": "number"},
                               "reasons": {"type": "array", "items": {"type": "string"}}}}},
        },
    },
    "Problem": {
        "type": "object",
        "required": ["status", "title", "detail"],
        "properties": {
            "type": {"type": "string"},
            "status": {"type": "integer"},
            "title": {"type": "string"},
            "detail": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
    },
    "Me": {
        "type": "object",
        "required": ["id", "email", "name", "roles", "areas"],
        "properties": {
            "id": {"type": "integer"},
            "email": {"type": ["string", "null"]},
            "name": {"type": "string"},
            "roles": {"type": "array", "items": {"type": "string", "enum": [
                "resident", "volunteer", "association", "worker", "municipality", "admin",
                "partner"]}},
            "areas": {"type": "array", "items": {"type": "string"},
                      "description": "Codes of the areas the user works for."},
            "calendar_url": {"type": "string", "format": "uri",
                             "description": "Residents and volunteers: the secret, revocable "
                             "address of their iCalendar feed (text/calendar)."},
        },
    },
    "Category": {
        "type": "object",
        "required": ["code", "label"],
        "properties": {
            "code": {"type": "string"},
            "label": {"type": "string"},
            "vog_required": {"type": "boolean"},
            "default_support_weeks": {"type": "integer"},
        },
    },
}
