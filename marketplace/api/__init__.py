"""JSON API v1: bearer tokens, problem+json errors, an OpenAPI 3.1 document."""

from flask import Blueprint

api_bp = Blueprint("api", __name__, url_prefix="/api/v1")

from marketplace.api import (  # noqa: E402,F401
    auth,
    brokering,
    casework,
    errors,
    marketplace,
    openapi,
    signals,
    views,
)
