"""Domain errors and bad JSON become problem+json with per-field errors."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _

from marketplace.api import api_bp
from marketplace.api.problems import problem
from marketplace.errors import DomainError, ValidationFailed
from marketplace.extensions import db


class BadJSON(Exception):
    pass


def json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadJSON()
    return data


@api_bp.errorhandler(BadJSON)
def handle_bad_json(error: BadJSON):
    return problem(400, _("Ongeldige JSON"),
                   _("Stuur een JSON-object met Content-Type application/json."))


@api_bp.errorhandler(DomainError)
def handle_domain_error(error: DomainError):
    db.session.rollback()
    if isinstance(error, ValidationFailed):
        errors = error.errors
    elif error.field:
        errors = {error.field: [error.message]}
    else:
        errors = None
    titles = {404: _("Niet gevonden"), 409: _("Conflict"), 403: _("Geen toegang")}
    return problem(error.status, titles.get(error.status, _("Ongeldige invoer")), error.message,
                   errors if error.status == 422 else None)
