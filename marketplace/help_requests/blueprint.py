"""The help requests blueprint and what its route modules share (no routes here).

Routes live in ``views`` (a request's page and what is done with it) and ``steps`` (a new
request, in steps); ``filters`` adds the template filters. Each imports this module, none
imports another for the blueprint, so there is no import circle; ``routes`` imports them all
for the app factory.
"""

from __future__ import annotations

from flask import Blueprint, redirect, url_for

from marketplace.help_requests.models import HelpRequest

help_requests_bp = Blueprint("help_requests", __name__, url_prefix="/hulpvragen")
RETURN_HERE = "hulpvraag"  # residents.add leads back to the "who could help" step
COOKIE_LIMIT = 3800  # browsers drop a cookie over 4 KB, and every answer with it


def to_detail(help_request: HelpRequest, anchor: str | None = None):
    return redirect(url_for("help_requests.detail", request_id=help_request.id,
                            _anchor=anchor))
