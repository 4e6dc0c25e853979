"""One-click answers to check-ins from the mail (a signed link; no login needed), and the
worker's evaluation of an arrangement at its end."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from marketplace.accounts.loading import role_required
from marketplace.categories.services import label
from marketplace.errors import DomainError, NotFound
from marketplace.errors import apply_errors as apply_field_errors
from marketplace.extensions import db
from marketplace.followup import services

followup_bp = Blueprint("followup", __name__, url_prefix="/hoe-gaat-het")


class AnswerForm(FlaskForm):
    answer = RadioField(_l("Hoe gaat het?"), choices=[
        SelectChoice("going_well", _l("Het gaat goed")),
        SelectChoice("needs_attention", _l("Er is aandacht nodig"))],
        validators=[InputRequired(_l("Kies een antwoord."))])
    submit = SubmitField(_l("Verstuur mijn antwoord"))


@followup_bp.route("/<token>/<answer>", methods=["GET", "POST"])
def answer(token: str, answer: str):
    """The link in the mail pre-selects the answer; the button records it. (A GET never
    records anything: mail scanners open links, and must not answer for the person.)"""
    checkin, role = services.checkin_for_token(token, current_app.secret_key)
    form = AnswerForm()
    if not form.is_submitted() and answer in ("going_well", "needs_attention"):
        form.answer.data = answer
    category = label(checkin.arrangement.request.category)
    if form.validate_on_submit():
        services.record_answer(checkin, role, form.answer.data)
        db.session.commit()
        return render_template("followup/thanks.html", answer=form.answer.data,
                               category=category)
    return render_template("followup/answer.html", form=form, category=category)


# --- The worker's evaluation of an arrangement ---

def _evaluation_page(arrangement, form, goals, **extra):
    from marketplace.casework.labels import CONTINUATION_LABELS, DOMAIN_LABELS, SCALE_LABELS
    from marketplace.casework.services import scores_then_now

    resident = arrangement.request.owner
    return render_template(
        "followup/evaluate.html", arrangement=arrangement, form=form, goals=goals,
        category=label(arrangement.request.category), resident=resident,
        scores=scores_then_now(resident) if resident else {}, domain_labels=DOMAIN_LABELS,
        scale_labels=SCALE_LABELS, continuation_labels=CONTINUATION_LABELS, **extra)


@followup_bp.route("/afspraken/<int:arrangement_id>/evaluatie", methods=["GET", "POST"])
@role_required("worker")
def evaluate(arrangement_id: int):
    """Goals attained, the life domains now, who carries on: then the support ends (or is
    extended with a reason) and the request records how it was solved."""
    from marketplace.casework import evaluation as ev
    from marketplace.casework.file import goals_for_evaluation, has_special_consent
    from marketplace.followup.forms import evaluation_form

    try:
        arrangement = ev.arrangement_for_worker(current_user, arrangement_id) \
            if arrangement_id <= 2**31 - 1 else None
    except NotFound:
        arrangement = None
    if arrangement is None:
        abort(404)
    resident = arrangement.request.owner
    if arrangement.status == "ended":
        return _evaluation_page(arrangement, None, [], done=ev.evaluation_of(arrangement))
    goals = goals_for_evaluation(resident, arrangement) if resident else []
    form = evaluation_form(goals)
    consent = resident is not None and has_special_consent(resident)
    if form.validate_on_submit():
        data = ev.EvaluationInput(
            continuation=form.continuation.data, goal_statuses=form.goal_statuses(),
            scores=form.scores() if consent else {}, solved_by=form.solved_by.data or None,
            extension_reason=form.extension_reason.data, extend_weeks=form.weeks(),
            note=form.note.data)
        try:
            ev.evaluate_arrangement(current_user, arrangement, data)
        except DomainError as error:
            db.session.rollback()
            apply_field_errors(form, error)
        else:
            db.session.commit()
            if data.continuation == "extension":
                flash(_("De afspraak is verlengd tot %(date)s.",
                        date=arrangement.planned_end_on.strftime("%d-%m-%Y")), "success")
            else:
                flash(_("Opgeslagen. De hulp is nu klaar."), "success")
            return redirect(url_for("help_requests.detail", request_id=arrangement.request_id,
                                    _anchor="werker"))
    return _evaluation_page(arrangement, form, goals, consent=consent)
