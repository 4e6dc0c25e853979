"""Domain errors and bad JSON become problem+json with per-field errors.

Reading a body: use marketplace.api.body (``json_fields``, ``json_body``,
``json_body_or_empty``); the last two are importable from here as well.
"""

from __future__ import annotations

from flask_babel import gettext as _

from marketplace.api import api_bp
from marketplace.api.body import BadJSON, json_body, json_body_or_empty
from marketplace.api.problems import problem
from marketplace.errors import DomainError, ValidationFailed
from marketplace.extensions import db
from marketplace.messages import translate

__all__ = ["BadJSON", "json_body", "json_body_or_empty"]


@api_bp.errorhandler(BadJSON)
def handle_bad_json(error: BadJSON):
    return problem(400, _("Ongeldige JSON"), error.detail or
                   _("Stuur een JSON-object met Content-Type application/json."))


@api_bp.errorhandler(DomainError)
def handle_domain_error(error: DomainError):
    db.session.rollback()
    message = translated(error.msgid)
    if isinstance(error, ValidationFailed):
        errors = error.translated_errors()
    elif error.field:
        errors = {error.field: [message]}
    else:
        errors = None
    titles = {404: _("Niet gevonden"), 409: _("Conflict"), 403: _("Geen toegang")}
    return problem(error.status, titles.get(error.status, _("Ongeldige invoer")), message,
                   errors if error.status == 422 else None)


def translated(message: object) -> object:
    """A service's Dutch message in the reader's language (the msgid itself when the
    catalogue has no English for it); see marketplace.messages."""
    return translate(message)
