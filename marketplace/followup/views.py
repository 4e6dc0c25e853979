"""One-click answers to check-ins from the mail (a signed link; no login needed)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from marketplace.categories.services import label
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
