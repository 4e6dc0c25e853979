"""A worker's actions on a request (propose a volunteer, open a clarified request to
volunteers) and everyone's "download my data"."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts import audit
from marketplace.accounts.loading import role_required
from marketplace.accounts.models import User
from marketplace.boundary import MAX_ID
from marketplace.brokering import services as brokering
from marketplace.casework.blueprint import casework_bp
from marketplace.casework.forms import PlainForm, ProposeForm
from marketplace.cleaning import whole_number
from marketplace.clock import now as clock_now
from marketplace.errors import DomainError, NotFound
from marketplace.extensions import db
from marketplace.help_requests import services as requests_service
from marketplace.help_requests.access import is_area_worker
from marketplace.help_requests.models import HelpRequest
from marketplace.residents.export import export_for


def area_request(request_id: int) -> HelpRequest:
    """The request, if the signed-in worker works in its area; 404 otherwise."""
    try:
        found = requests_service.get_request(request_id) if request_id <= MAX_ID else None
    except NotFound:
        found = None
    if found is None or not is_area_worker(current_user, found):
        abort(404)
    return found


def to_panel(help_request: HelpRequest):
    return redirect(url_for("help_requests.detail", request_id=help_request.id,
                            _anchor="werker"))


@casework_bp.post("/hulpvragen/<int:request_id>/voorstellen")
@role_required("worker")
def propose(request_id: int):
    help_request = area_request(request_id)
    form = ProposeForm()
    raw = form.volunteer_id.data or ""
    volunteer_id = whole_number(raw, MAX_ID) if form.validate_on_submit() else None
    volunteer = db.session.get(User, volunteer_id) if volunteer_id is not None else None
    if volunteer is None:
        flash(_("Kies een vrijwilliger uit de lijst."), "error")
        return to_panel(help_request)
    try:
        if help_request.status in ("new", "clarifying"):
            # Proposing means the question is clear; an accept can only follow from "open".
            requests_service.record_status(help_request, "open", actor=current_user,
                                           reason="vraag is helder, vrijwilliger gevraagd")
        match = brokering.propose_match(current_user, help_request, volunteer)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return to_panel(help_request)
    db.session.commit()
    flash(_("U heeft %(name)s gevraagd. %(name)s krijgt een e-mail en zegt ja of nee.",
            name=match.volunteer.name), "success")
    return to_panel(help_request)


@casework_bp.post("/hulpvragen/<int:request_id>/openzetten")
@role_required("worker")
def publish(request_id: int):
    """The question is clear: volunteers nearby may see it again and offer help."""
    help_request = area_request(request_id)
    if not PlainForm().validate_on_submit() or help_request.status not in ("new", "clarifying"):
        flash(_("Deze hulpvraag kan nu niet open worden gezet."), "info")
        return to_panel(help_request)
    requests_service.record_status(help_request, "open", actor=current_user,
                                   reason="vraag is helder")
    db.session.commit()
    flash(_("De hulpvraag staat open. Vrijwilligers in de buurt kunnen hem zien."), "success")
    return to_panel(help_request)


@casework_bp.get("/mijn-gegevens")
@role_required()
def my_data():
    return render_template("casework/my_data.html", form=PlainForm())


@casework_bp.post("/mijn-gegevens")
@role_required()
def download_my_data():
    if not PlainForm().validate_on_submit():
        flash(_("Dat lukte niet. Probeer het opnieuw."), "error")
        return redirect(url_for("casework.my_data"))
    now = clock_now()
    audit.record("data.exported", actor_id=current_user.id, subject_user_id=current_user.id,
                 object_type="user", object_id=current_user.id, ip=request.remote_addr, now=now)
    db.session.commit()
    body = json.dumps(export_for(current_user, now), ensure_ascii=False, indent=2)
    filename = f"buurtmakelaar-mijn-gegevens-{now:%Y-%m-%d}.json"
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store"})
