"""The worker's page of the volunteers of an area ("Vrijwilligers in uw gebied"), and the
"how are you?" mail from it. An area or volunteer outside the worker's areas answers 404."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from marketplace.accounts.forms import clean_text
from marketplace.accounts.loading import role_required
from marketplace.areas.services import get_by_code
from marketplace.boundary import MAX_ID
from marketplace.errors import DomainError, NotFound
from marketplace.extensions import db
from marketplace.help_requests.access import worker_area_ids
from marketplace.signals.forms import apply_errors
from marketplace.volunteers import care

care_bp = Blueprint("volunteer_care", __name__, url_prefix="/werk/vrijwilligers")


class ContactForm(FlaskForm):
    gebied = HiddenField()
    message = TextAreaField(
        _l("Uw bericht"), filters=[clean_text],
        validators=[DataRequired(_l("Schrijf een kort bericht.")),
                    Length(max=1000, message=_l("Houd het bericht korter: hoogstens 1000 "
                                                "tekens."))],
        default=_l("Hoe gaat het met u? We hebben u een tijd niet gevraagd om te helpen. "
                   "Heeft u nog zin en tijd? Laat het gerust weten."))
    submit = SubmitField(_l("Bericht sturen"))


def _area(code: str | None):
    mine = sorted(current_user.areas, key=lambda a: (a.level, a.name))
    code = (code or "").strip()[:40]
    found = get_by_code(code) if code else (mine[0] if mine else None)
    if found is None or found.id not in worker_area_ids(current_user):
        abort(404)
    return found


@care_bp.get("/")
@role_required("worker")
def index():
    area = _area(request.args.get("gebied"))
    return render_template(
        "volunteers/care.html", area=area, rows=care.care_rows(area),
        vacancies=care.open_vacancies(area), not_matched_days=care.NOT_MATCHED_DAYS,
        areas=sorted(current_user.areas, key=lambda a: (a.level, a.name)))


@care_bp.route("/<int:user_id>/contact", methods=["GET", "POST"])
@role_required("worker")
def contact(user_id: int):
    if user_id > MAX_ID:
        abort(404)
    try:
        volunteer = care.volunteer_for(current_user, user_id)
    except NotFound:
        abort(404)
    form = ContactForm()
    if request.method == "GET":
        form.gebied.data = request.args.get("gebied", "")[:40]
    if form.validate_on_submit():
        try:
            care.contact(current_user, volunteer, form.message.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("Uw bericht aan %(name)s is verstuurd.", name=volunteer.name), "success")
            area = (form.gebied.data or "").strip()
            return redirect(url_for("volunteer_care.index", gebied=area) if area
                            else url_for("volunteer_care.index"))
    return render_template("volunteers/care_contact.html", form=form, volunteer=volunteer)
