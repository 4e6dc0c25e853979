"""The casework blueprint and what its view modules share (no views here).

The routes live in ``views`` (the resident's file), ``plan_views``, ``referral_views``,
``request_views``, ``closing`` and ``for_resident``; each imports this module, none imports
another's routes module for the blueprint, so there is no import circle.
``marketplace.casework.routes`` imports them all for the app factory.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from marketplace.accounts.models import User
from marketplace.boundary import MAX_ID
from marketplace.casework import file as casefile
from marketplace.casework import services
from marketplace.categories.services import label
from marketplace.errors import NotFound
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest

casework_bp = Blueprint("casework", __name__)


def open_resident(resident_id: int, purpose: str) -> User:
    """The resident whose file this worker may open (audited), or 404."""
    if resident_id > MAX_ID:
        abort(404)
    try:
        return services.open_file(current_user, resident_id, purpose=purpose,
                                  ip=request.remote_addr)
    except NotFound:
        abort(404)


def request_choices(resident: User, *, active_only: bool = False) -> list[SelectChoice]:
    rows = casefile.requests_of_resident(resident, active_only=active_only)
    return [SelectChoice("", _("Geen bepaalde hulpvraag"))] + [
        SelectChoice(str(r.id), f"{label(r.category)} ({r.created_at:%d-%m-%Y})") for r in rows]


def own_request(resident: User, value: str | int | None) -> HelpRequest | None:
    """One of this resident's requests by id (from a form or the address), else None."""
    try:
        request_id = int(value or 0)
    except (TypeError, ValueError):
        return None
    found = db.session.get(HelpRequest, request_id) if 0 < request_id <= MAX_ID else None
    return found if found is not None and found.owner_id == resident.id else None


def to_file(resident: User, anchor: str | None = None):
    return redirect(url_for("casework.file", resident_id=resident.id, _anchor=anchor))
