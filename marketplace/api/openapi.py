"""The OpenAPI 3.1 document of API v1. Each feature adds its paths to PATHS."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from marketplace import __version__
from marketplace.api import api_bp

PROBLEM = {"$ref": "#/components/responses/Problem"}
UNAUTHORIZED = {"$ref": "#/components/responses/Unauthorized"}

SCHEMAS: dict[str, Any] = {
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
                "resident", "volunteer", "association", "worker", "municipality", "admin"]}},
            "areas": {"type": "array", "items": {"type": "string"},
                      "description": "Codes of the areas the user works for."},
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
}


def document() -> dict[str, Any]:
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
                "Problem": {"description": "Problem details", "content": {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                "Unauthorized": {"description": "No valid bearer token", "content": {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
            },
        },
    }


@api_bp.get("/openapi.json")
def openapi_document():
    return jsonify(document())
