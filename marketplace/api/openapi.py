"""The OpenAPI 3.1 document of API v1. Each feature adds its paths to PATHS."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from marketplace import __version__
from marketplace.api import api_bp

PROBLEM = {"$ref": "#/components/responses/Problem"}
PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
UNAUTHORIZED = {"$ref": "#/components/responses/Unauthorized"}

from marketplace.api.openapi_schemas import SCHEMAS  # noqa: E402

PATHS: dict[str, Any] = {
    "/me": {
        "get": {
            "summary": "The signed-in user",
            "operationId": "getMe",
            "responses": {
                "200": {"description": "The user", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Me"}}}},
                "401": UNAUTHORIZED,
            },
        }
    },
    "/categories": {
        "get": {
            "summary": "Help categories",
            "operationId": "listCategories",
            "responses": {
                "200": {"description": "Active categories in display order",
                        "content": {"application/json": {"schema": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Category"}}}}},
                "401": UNAUTHORIZED,
            },
        }
    },
    "/openapi.json": {
        "get": {
            "summary": "This document",
            "operationId": "getOpenApi",
            "security": [],
            "responses": {"200": {"description": "OpenAPI 3.1 document",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}},
        }
    },
    "/requests/{request_id}/candidates": {
        "get": {
            "summary": "Own network first, then volunteers best first, with reasons",
            "description": "Workers of the request's area; anyone else gets 404. Audited.",
            "operationId": "getCandidates",
            "parameters": [
                {"name": "request_id", "in": "path", "required": True,
                 "schema": {"type": "integer"}},
                {"name": "limit", "in": "query", "schema": {
                    "type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
            ],
            "responses": {
                "200": {"description": "The ranking", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Candidates"}}}},
                "401": UNAUTHORIZED, "404": PROBLEM, "422": PROBLEM,
            },
        }
    },
    "/residents/{resident_id}/file": {
        "get": {
            "summary": "A resident's file: intake, life domains then/now, plan, referrals, notes",
            "description": "Workers of the resident's area; others 404. Every read is audited "
            "and shows in the resident's data download.",
            "operationId": "getResidentFile",
            "parameters": [{"name": "resident_id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "The file", "content": {"application/json": {
                "schema": {"type": "object"}}}}, "401": UNAUTHORIZED, "403": PROBLEM,
                "404": PROBLEM},
        }
    },
    **{
        f"/residents/{{resident_id}}/{name}": {"post": {
            "summary": summary, "operationId": operation,
            "parameters": [{"name": "resident_id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "properties": body}}}},
            "responses": {"201": {"description": "Created", "content": {"application/json": {
                "schema": {"type": "object"}}}}, "401": UNAUTHORIZED, "403": PROBLEM,
                "404": PROBLEM, "422": PROBLEM},
        }}
        for name, operation, summary, body in (
            ("intake", "postIntake", "Question clarification: the question as asked apart "
             "from the need behind it; scores 1-5 per life domain need consent",
             {"question_as_asked": {"type": "string"}, "underlying_need": {"type": "string"},
              "own_strength": {"type": "string"}, "network_strength": {"type": "string"},
              "consent_special_data": {"type": "boolean"}, "consent_purpose": {"type": "string"},
              "scores": {"type": "object", "additionalProperties": {"type": "integer"}},
              "request_id": {"type": "integer"}}),
            ("goals", "postGoal", "A measurable goal in the resident's support plan",
             {"description": {"type": "string"}, "measure": {"type": "string"},
              "term": {"enum": ["short", "long"]}, "target_on": {"type": "string",
                                                                 "format": "date"},
              "arrangement_id": {"type": "integer"}}),
            ("notes", "postNote", "A case note or contact (workers of the area only)",
             {"kind": {"enum": ["note", "visit", "call", "no_answer", "follow_up"]},
              "body": {"type": "string"}, "follow_up_on": {"type": "string", "format": "date"}}),
            ("referrals", "postReferral", "Refer to a partner organisation (needs consent)",
             {"partner_id": {"type": "integer"}, "reason": {"type": "string"},
              "consent": {"type": "boolean"}}),
        )
    },
    "/residents/{resident_id}/referrals/{referral_id}/status": {
        "post": {
            "summary": "Move a referral one step; stepped_down brings the resident back to "
            "the 0th line",
            "operationId": "moveReferral",
            "parameters": [
                {"name": "resident_id", "in": "path", "required": True,
                 "schema": {"type": "integer"}},
                {"name": "referral_id", "in": "path", "required": True,
                 "schema": {"type": "integer"}}],
            "requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "required": ["status"], "properties": {
                    "status": {"enum": ["sent", "accepted", "in_care", "completed",
                                        "declined", "stepped_down"]},
                    "note": {"type": "string"}}}}}},
            "responses": {"200": {"description": "The referral"}, "401": UNAUTHORIZED,
                          "403": PROBLEM, "404": PROBLEM, "422": PROBLEM},
        }
    },
    "/signals": {
        "post": {
            "summary": "Report a worry about a possibly vulnerable resident (any signed-in user)",
            "description": "Only workers of the area read it; the reporter hears only that it "
            "was handled. respond_by is the outreach deadline in working days (area setting).",
            "operationId": "createSignal",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["postcode", "concern"],
                "properties": {
                    "postcode": {"type": "string", "examples": ["5531 AB", "5531"]},
                    "concern": {"type": "string", "minLength": 3, "maxLength": 4000,
                                "description": "At least 3 characters that are not spaces"},
                    "about": {"type": ["string", "null"], "maxLength": 300,
                              "description": "About whom or where, free text"}}}}}},
            "responses": {
                "201": {"description": "Received", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["id", "status", "respond_by"],
                    "properties": {
                        "id": {"type": "integer"},
                        "status": {"type": "string", "enum": ["new", "in_progress", "handled"]},
                        "respond_by": {"type": "string", "format": "date"}}}}}},
                "400": PROBLEM, "401": UNAUTHORIZED, "422": PROBLEM,
            },
        },
        "get": {
            "summary": "Open signals of the worker's areas, earliest respond-by first",
            "operationId": "listSignals",
            "responses": {
                "200": {"description": "Open signals", "content": {"application/json": {
                    "schema": {"type": "array", "items": {"type": "object", "required": [
                        "id", "status", "respond_by", "pc4", "concern", "overdue"],
                        "properties": {
                            "id": {"type": "integer"},
                            "status": {"type": "string",
                                       "enum": ["new", "in_progress", "handled"]},
                            "respond_by": {"type": "string", "format": "date"},
                            "overdue": {"type": "boolean"},
                            "pc4": {"type": "string"}, "area": {"type": ["string", "null"]},
                            "concern": {"type": "string"},
                            "about": {"type": ["string", "null"]},
                            "assigned_worker_id": {"type": ["integer", "null"]},
                            "outcome": {"type": ["string", "null"], "enum": [
                                "visited", "no_need", "consent_for_help", "referred",
                                "not_reached", None]},
                            "outcome_note": {"type": ["string", "null"]},
                            "created_at": {"type": "string", "format": "date-time"},
                            "handled_at": {"type": ["string", "null"], "format": "date-time"},
                            "events": {"type": "array", "items": {"type": "object"}}}}}}}},
                "401": UNAUTHORIZED, "403": PROBLEM,
            },
        },
    },
    "/signals/{signal_id}": {
        "get": {
            "summary": "One signal (workers of its area; anyone else 404)",
            "operationId": "getSignal",
            "parameters": [{"name": "signal_id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "The signal, as in the list",
                                  "content": {"application/json": {"schema": {"type": "object"}}}},
                          "401": UNAUTHORIZED, "403": PROBLEM, "404": PROBLEM},
        }
    },
    "/signals/{signal_id}/assign": {
        "post": {
            "summary": "Take the signal, or give it to a colleague of the area",
            "operationId": "assignSignal",
            "parameters": [{"name": "signal_id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {
                    "worker_id": {"type": "integer", "description": "Default: the caller"},
                    "reason": {"type": "string", "maxLength": 300}}}}}},
            "responses": {"200": {"description": "The signal",
                                  "content": {"application/json": {"schema": {"type": "object"}}}},
                          "401": UNAUTHORIZED, "403": PROBLEM, "404": PROBLEM,
                          "409": PROBLEM, "422": PROBLEM},
        }
    },
    "/signals/{signal_id}/outcome": {
        "post": {
            "summary": "Record the outcome; the reporter only hears that it was handled",
            "description": "not_reached only after a logged attempt that did not reach the "
                           "person (POST /signals/{signal_id}/attempts), else 422.",
            "operationId": "recordSignalOutcome",
            "parameters": [{"name": "signal_id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["outcome"], "properties": {
                    "outcome": {"type": "string", "enum": [
                        "visited", "no_need", "consent_for_help", "referred", "not_reached"]},
                    "note": {"type": "string", "maxLength": 2000}}}}}},
            "responses": {"200": {"description": "The signal",
                                  "content": {"application/json": {"schema": {"type": "object"}}}},
                          "400": PROBLEM, "401": UNAUTHORIZED, "403": PROBLEM, "404": PROBLEM,
                          "409": PROBLEM, "422": PROBLEM},
        }
    },
}


def document() -> dict[str, Any]:
    from marketplace.api.openapi_associations import add_to as add_associations
    from marketplace.api.openapi_paths import add_to

    add_to(PATHS)
    add_associations(PATHS)
    from marketplace.api.lifecycle import OPENAPI_PATHS as lifecycle_paths

    PATHS.update(lifecycle_paths)
    from marketplace.api.vacancies import add_openapi as add_vacancies

    add_vacancies(PATHS)
    from marketplace.api.collective import add_openapi as add_collective

    add_collective(PATHS)
    from marketplace.residents.erasure_api import add_openapi as add_erasure

    add_erasure(PATHS)
    from marketplace.api.openapi_answers import add_error_answers

    add_error_answers(PATHS)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Buurtmakelaar API",
            "version": __version__,
            "description": "Errors are application/problem+json (RFC 9457). A resource you "
            "may not see answers 404, exactly like a missing one.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
            "responses": {
                "Problem": {"description": "Problem details", "content": PROBLEM_CONTENT},
                "Unauthorized": {"description": "No valid bearer token",
                                 "content": PROBLEM_CONTENT},
            },
        },
    }


@api_bp.get("/openapi.json")
def openapi_document():
    return jsonify(document())
