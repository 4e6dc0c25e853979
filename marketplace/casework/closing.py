"""The worker closes a request that was solved (or not) without a volunteer: by the
resident's own network, by the worker, or not solved. Support by a volunteer ends with the
evaluation instead. The same rule as ``POST /api/v1/requests/{id}/close``."""

from __future__ import annotations

from flask import flash, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from marketplace.accounts.loading import role_required
from marketplace.casework.blueprint import casework_bp
from marketplace.casework.forms import text_area
from marketplace.casework.labels import SOLVED_BY_LABELS
from marketplace.casework.request_views import area_request, to_panel
from marketplace.errors import Conflict, DomainError
from marketplace.extensions import db
from marketplace.followup.views import apply_field_errors
from marketplace.help_requests import services as requests_service


class CloseForm(FlaskForm):
    solved_by = RadioField(
        _l("Hoe is de vraag opgelost?"),
        choices=[SelectChoice(code, SOLVED_BY_LABELS[code])
                 for code in requests_service.CLOSE_WITHOUT_ARRANGEMENT],
        validators=[InputRequired(_l("Kies hoe de vraag is opgelost."))],
        invalid_choice_message=_l("Kies hoe de vraag is opgelost."))
    note = text_area(_l("Toelichting"), max_length=500,
                     description=_l("Bijvoorbeeld: de buurvrouw doet nu de boodschappen."))


@casework_bp.route("/hulpvragen/<int:request_id>/afsluiten", methods=["GET", "POST"])
@role_required("worker")
def close_request(request_id: int):
    help_request = area_request(request_id)
    form = CloseForm()
    if form.validate_on_submit():
        try:
            requests_service.close_without_arrangement(
                current_user, help_request, solved_by=form.solved_by.data,
                note=form.note.data)
        except Conflict as error:
            db.session.rollback()
            flash(error.message, "error")
            return to_panel(help_request)
        except DomainError as error:
            db.session.rollback()
            apply_field_errors(form, error)
        else:
            db.session.commit()
            flash(_("De hulpvraag is afgesloten."), "success")
            return to_panel(help_request)
    return render_template("casework/close.html", form=form, help_request=help_request)
