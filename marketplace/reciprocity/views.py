"""Answering the invitation to contribute back (from the mail; never a condition)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from marketplace.extensions import db
from marketplace.reciprocity import offers, services

reciprocity_bp = Blueprint("reciprocity", __name__, url_prefix="/iets-terugdoen")

CHOICES = [
    SelectChoice("help_neighbour", _l("Een buur helpen met iets kleins")),
    SelectChoice("help_activity", _l("Helpen bij een activiteit in de buurt")),
    SelectChoice("share_skill", _l("Iets wat ik goed kan aan anderen leren")),
    SelectChoice("not_now", _l("Nu niet")),
]


class ContributeForm(FlaskForm):
    answer = RadioField(_l("Wat zou u willen doen?"), choices=CHOICES,
                        validators=[InputRequired(_l("Kies wat u zou willen, of: nu niet."))])
    description = TextAreaField(_l("Wilt u er iets over vertellen?"),
                                validators=[Optional(), Length(max=500)],
                                description=_l("Bijvoorbeeld: ik kan goed met computers."))
    submit = SubmitField(_l("Verstuur"))


@reciprocity_bp.route("/<token>", methods=["GET", "POST"])
def answer(token: str):
    invitation = services.invitation_for_token(token)
    form = ContributeForm()
    if invitation.answered_at is not None and not form.is_submitted():
        form.answer.data = invitation.answer
    if form.validate_on_submit():
        services.answer(invitation, form.answer.data, form.description.data)
        db.session.commit()
        # Contact is promised only when a worker of the area sees the offer (offers.py).
        seen = form.answer.data != "not_now" and offers.reaches_a_worker(invitation)
        return render_template("reciprocity/thanks.html", answer=form.answer.data,
                               seen_by_worker=seen)
    return render_template("reciprocity/answer.html", form=form)
