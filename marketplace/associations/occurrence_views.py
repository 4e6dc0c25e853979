"""One time of a series, for its managers: cancel it, move it, record who came."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.loading import role_required
from marketplace.associations import services
from marketplace.associations.activity_views import errors_to_form, managed_or_404
from marketplace.associations.forms import (
    AttendanceForm,
    CancelOccurrenceForm,
    MoveForm,
    apply_errors,
    local_moment,
)
from marketplace.associations.models import Activity, Occurrence
from marketplace.associations.occurrences import attendee_ids, get_occurrence
from marketplace.associations.signups import signups_of
from marketplace.associations.views import associations_bp
from marketplace.errors import DomainError, NotFound
from marketplace.extensions import db


def occurrence_or_404(activity: Activity, occurrence_id: int) -> Occurrence:
    try:
        return get_occurrence(activity, occurrence_id)
    except NotFound:
        abort(404)


@associations_bp.post("/activiteiten/<int:activity_id>/keer/<int:occurrence_id>/afzeggen")
@role_required()
def cancel_occurrence(activity_id: int, occurrence_id: int):
    activity = managed_or_404(activity_id)
    occurrence = occurrence_or_404(activity, occurrence_id)
    form = CancelOccurrenceForm()
    if form.validate_on_submit():
        try:
            services.cancel_occurrence(current_user, occurrence, note=form.note.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Deze keer gaat niet door. Wie zich aanmeldde, krijgt bericht."), "success")
    return redirect(url_for(".activity", activity_id=activity.id))


@associations_bp.route("/activiteiten/<int:activity_id>/keer/<int:occurrence_id>/verplaatsen",
                       methods=["GET", "POST"])
@role_required()
def move_occurrence(activity_id: int, occurrence_id: int):
    activity = managed_or_404(activity_id)
    occurrence = occurrence_or_404(activity, occurrence_id)
    form = MoveForm()
    if form.validate_on_submit():
        try:
            services.move_occurrence(current_user, occurrence,
                                     local_moment(form.day.data, form.start_time.data))
        except DomainError as error:
            db.session.rollback()
            errors_to_form(form, error)
        else:
            db.session.commit()
            flash(_("Deze keer is verplaatst. Wie zich aanmeldde, krijgt bericht."), "success")
            return redirect(url_for(".activity", activity_id=activity.id))
    return render_template("associations/move.html", form=form, activity=activity,
                           occurrence=occurrence)


@associations_bp.route("/activiteiten/<int:activity_id>/keer/<int:occurrence_id>/aanwezig",
                       methods=["GET", "POST"])
@role_required()
def attendance(activity_id: int, occurrence_id: int):
    activity = managed_or_404(activity_id)
    occurrence = occurrence_or_404(activity, occurrence_id)
    registered = [s for s in signups_of(activity) if s.status == "registered"]
    form = AttendanceForm()
    form.present.choices = [(s.user_id, s.user.name) for s in registered]
    if not form.is_submitted():
        form.present.data = sorted(attendee_ids(occurrence))
        form.headcount.data = occurrence.headcount
    if form.validate_on_submit():
        try:
            services.record_attendance(current_user, occurrence,
                                       present_user_ids=form.present.data or [],
                                       headcount=form.headcount.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("De aanwezigheid is opgeslagen."), "success")
            return redirect(url_for(".activity", activity_id=activity.id))
    return render_template("associations/attendance.html", form=form, activity=activity,
                           occurrence=occurrence)
