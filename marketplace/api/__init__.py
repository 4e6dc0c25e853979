"""JSON API v1: bearer tokens, problem+json errors, an OpenAPI 3.1 document."""

from flask import Blueprint

api_bp = Blueprint("api", __name__, url_prefix="/api/v1")

from marketplace.api import auth, brokering, errors, marketplace, openapi, views  # noqa: E402,F401
