"""A resident's file on the web, for workers of the resident's area only (others: 404).

Every page of the file opens it through ``services.open_file``, which writes the read to the
audit trail (who, what, when); the resident sees those reads in their data download. The
routes of the plan, referrals, partner list, the worker's actions on a request and the data
download live in sibling modules on the same blueprint (``blueprint.py``; all of them are
imported by ``routes.py``).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.loading import role_required
from marketplace.casework import file as casefile
from marketplace.casework import services
from marketplace.casework.blueprint import (
    casework_bp,
    open_resident,
    own_request,
    request_choices,
    to_file,
)
from marketplace.casework.forms import IntakeForm, NoteForm
from marketplace.casework.labels import (
    DOMAIN_LABELS,
    NOTE_KIND_LABELS,
    SCALE_LABELS,
)
from marketplace.casework.referrals import referrals_of
from marketplace.errors import DomainError, apply_errors
from marketplace.extensions import db
from marketplace.help_requests.forms import STATUS_LABELS
from marketplace.page_cache import cached

RECENT_NOTES = 5


@casework_bp.get("/dossier/<int:resident_id>")
@role_required("worker")
@cached
def file(resident_id: int):
    resident = open_resident(resident_id, "file")
    notes = services.notes_of(resident)
    intakes = casefile.intakes_of(resident)
    return render_template(
        "casework/file.html", resident=resident, intake=intakes[0] if intakes else None,
        intake_count=len(intakes),
        scores=services.scores_then_now(resident), plan=services.plan_of(resident),
        referrals=referrals_of(resident), notes=notes[:RECENT_NOTES], note_count=len(notes),
        requests=casefile.requests_of_resident(resident),
        domain_labels=DOMAIN_LABELS, scale_labels=SCALE_LABELS,
        note_kind_labels=NOTE_KIND_LABELS, status_labels=STATUS_LABELS)


@casework_bp.route("/dossier/<int:resident_id>/vraagverheldering", methods=["GET", "POST"])
@role_required("worker")
def intake(resident_id: int):
    resident = open_resident(resident_id, "intake")
    about = own_request(resident, request.args.get("hulpvraag"))
    latest = casefile.latest_intake(resident)
    form = IntakeForm() if request.method == "POST" else IntakeForm(obj=latest)
    if request.method == "GET":
        # Consent is asked anew each time: a box ticked in advance is no consent (GDPR).
        form.consent_special_data.data = False
    if request.method == "GET" and about is not None and (
            latest is None or latest.request_id != about.id):
        # A new question: start from the request as typed; what the person and their
        # network can do usually still holds, the need behind this question may not.
        form.question_as_asked.data, form.underlying_need.data = about.description, None
    if form.validate_on_submit():
        try:
            services.save_intake(
                current_user, resident, question_as_asked=form.question_as_asked.data,
                underlying_need=form.underlying_need.data, own_strength=form.own_strength.data,
                network_strength=form.network_strength.data,
                consent_special_data=form.consent_special_data.data,
                consent_purpose=form.consent_purpose.data, scores=form.scores(), request=about)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("De vraagverheldering is opgeslagen."), "success")
            if about is not None:
                return redirect(url_for("help_requests.detail", request_id=about.id,
                                        _anchor="werker"))
            return to_file(resident, "vraagverheldering")
    return render_template("casework/intake.html", form=form, resident=resident, about=about,
                           latest=latest)


@casework_bp.route("/dossier/<int:resident_id>/contact", methods=["GET", "POST"])
@role_required("worker")
def notes(resident_id: int):
    resident = open_resident(resident_id, "notes")
    form = NoteForm()
    form.request_id.choices = request_choices(resident)
    asked_about = own_request(resident, request.args.get("hulpvraag"))
    if request.method == "GET" and asked_about is not None:
        form.request_id.data = str(asked_about.id)
    if form.validate_on_submit():
        about = own_request(resident, form.request_id.data)
        try:
            services.add_note(current_user, resident, kind=form.kind.data, body=form.body.data,
                              follow_up_on=form.follow_up_on.data,
                              request_id=about.id if about else None)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("Het contact is vastgelegd."), "success")
            return redirect(url_for("casework.notes", resident_id=resident.id))
    return render_template("casework/notes.html", form=form, resident=resident,
                           notes=services.notes_of(resident), note_kind_labels=NOTE_KIND_LABELS)
