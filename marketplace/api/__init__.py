"""JSON API v1: bearer tokens, problem+json errors, an OpenAPI 3.1 document."""

from flask import Blueprint

api_bp = Blueprint("api", __name__, url_prefix="/api/v1")

from marketplace.api import (  # noqa: E402,F401
    associations,
    auth,
    brokering,
    casework,
    collective,  # noqa: E402,F401  (handovers, clusters)
    errors,
    lifecycle,
    marketplace,
    openapi,
    reports,  # noqa: E402,F401  (indicators, CSV, gaps)
    signals,
    vacancies,  # noqa: E402,F401  (vacancies of activities)
    views,
    yearplans,  # noqa: E402,F401  (year plans, annual report PDF)
)
from marketplace.residents import erasure_api  # noqa: E402,F401  (DELETE /me)
