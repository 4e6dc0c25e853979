"""The worker writes down what a resident (or a volunteer) told them, for someone who cannot
answer on the site: the answer to a volunteer's offer that waits for the resident, and the
answer to a check-in ("hoe gaat het?"). Workers of the request's area only; another area's
request answers 404, like a missing one. The services record it as given by the worker on
the person's behalf (``brokering.on_behalf``, ``followup.services.record_answer_for``).
"""

from __future__ import annotations

from flask import abort, flash, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from marketplace.accounts.forms import clean_text
from marketplace.accounts.loading import role_required
from marketplace.boundary import MAX_ID
from marketplace.brokering import on_behalf
from marketplace.brokering import services as brokering
from marketplace.brokering.models import Match
from marketplace.casework.blueprint import casework_bp
from marketplace.casework.labels import CHECKIN_LABELS
from marketplace.casework.request_views import area_request, to_panel
from marketplace.clock import today
from marketplace.errors import Conflict, DomainError
from marketplace.errors import apply_errors as apply_field_errors
from marketplace.extensions import db
from marketplace.followup import services as followup
from marketplace.followup.models import CheckIn
from marketplace.volunteers.models import VolunteerProfile

HOW_LABELS = {"phone": _l("Telefonisch"), "desk": _l("Aan de balie of op het spreekuur"),
              "visit": _l("Bij een huisbezoek")}
PICK_HOW = _l("Kies hoe u het antwoord kreeg.")


def how_field(label) -> RadioField:
    return RadioField(label, choices=[SelectChoice(k, v) for k, v in HOW_LABELS.items()],
                      validators=[InputRequired(PICK_HOW)], invalid_choice_message=PICK_HOW)


class OfferAnswerForm(FlaskForm):
    decision = RadioField(
        _l("Wat zegt de inwoner?"),
        choices=[SelectChoice("accept", _l("Ja, deze vrijwilliger mag helpen")),
                 SelectChoice("decline", _l("Nee, liever niet"))],
        validators=[InputRequired(_l("Kies ja of nee."))],
        invalid_choice_message=_l("Kies ja of nee."))
    how = how_field(_l("Hoe liet de inwoner het u weten?"))
    reason = StringField(_l("Zegt de inwoner nee? Dan mag u opschrijven waarom"),
                         filters=[clean_text],
                         validators=[Length(max=300, message=_l(
                             "Houd het korter: hoogstens 300 tekens."))])


PICK_ANSWER = _l("Kies: het gaat goed, of: er is aandacht nodig.")
PICK_ROLE = _l("Kies wie het antwoord gaf.")


class CheckInAnswerForm(FlaskForm):
    role = RadioField(_l("Wie gaf het antwoord?"), choices=[],
                      validators=[InputRequired(PICK_ROLE)], invalid_choice_message=PICK_ROLE)
    answer = RadioField(
        _l("Wat is het antwoord?"),
        choices=[SelectChoice("going_well", _l("Het gaat goed")),
                 SelectChoice("needs_attention", _l("Er is aandacht nodig"))],
        validators=[InputRequired(PICK_ANSWER)], invalid_choice_message=PICK_ANSWER)
    how = how_field(_l("Hoe kreeg u het antwoord?"))


def _offer(help_request, match_id: int) -> Match:
    """An offer on this request that waits for the resident (or did): else 404."""
    match = db.session.get(Match, match_id) if match_id <= MAX_ID else None
    if match is None or match.request_id != help_request.id or match.awaiting != "resident":
        abort(404)
    return match


@casework_bp.route("/hulpvragen/<int:request_id>/aanbod/<int:match_id>/namens-inwoner",
                   methods=["GET", "POST"])
@role_required("worker")
def answer_offer_for_resident(request_id: int, match_id: int):
    """Yes or no to a volunteer's offer, as the resident told the worker."""
    help_request = area_request(request_id)
    match = _offer(help_request, match_id)
    if match.status != "proposed":
        flash(_("Op dit aanbod is al geantwoord."), "info")
        return to_panel(help_request)
    form = OfferAnswerForm()
    if form.validate_on_submit():
        try:
            if form.decision.data == "accept":
                brokering.accept(current_user, match, for_resident=form.how.data)
            else:
                brokering.decline(current_user, match, form.reason.data,
                                  for_resident=form.how.data)
        except Conflict as error:
            db.session.rollback()
            flash(error.message, "error")
            return to_panel(help_request)
        except DomainError as error:
            db.session.rollback()
            apply_field_errors(form, error)
        else:
            db.session.commit()
            if form.decision.data == "accept":
                flash(_("Opgeslagen: de inwoner zegt ja. %(name)s gaat helpen en krijgt "
                        "bericht.", name=match.volunteer.name), "success")
            else:
                flash(_("Opgeslagen: de inwoner zegt nee. De vrijwilliger krijgt bericht."),
                      "success")
            return to_panel(help_request)
    profile = db.session.get(VolunteerProfile, match.volunteer_id)
    return render_template(
        "casework/answer_for_resident.html", form=form, help_request=help_request,
        match=match, profile=profile,
        vog_ok=profile is not None and profile.vog_valid_on(today()),
        online=on_behalf.can_answer_online(help_request.owner))


@casework_bp.route("/hulpvragen/<int:request_id>/hoe-gaat-het/<int:checkin_id>",
                   methods=["GET", "POST"])
@role_required("worker")
def checkin_answer(request_id: int, checkin_id: int):
    """How the support goes, as the resident or the volunteer told the worker."""
    help_request = area_request(request_id)
    checkin = db.session.get(CheckIn, checkin_id) if checkin_id <= MAX_ID else None
    if checkin is None or checkin.arrangement.request_id != help_request.id:
        abort(404)
    roles = followup.open_roles(checkin)
    if not roles:
        flash(_("Hier valt niets meer in te vullen: beide antwoorden zijn er, of de hulp is "
                "gestopt."), "info")
        return to_panel(help_request)
    volunteer = checkin.arrangement.match.volunteer
    names = {"resident": _("De inwoner (%(name)s)", name=help_request.owner.name)
             if help_request.owner else _("De inwoner"),
             "volunteer": _("De vrijwilliger (%(name)s)", name=volunteer.name)}
    form = CheckInAnswerForm()
    form.role.choices = [SelectChoice(role, names[role]) for role in roles]
    if not form.is_submitted() and len(roles) == 1:
        form.role.data = roles[0]  # one answer left to write down: it comes chosen
    if form.validate_on_submit():
        try:
            followup.record_answer_for(current_user, checkin, form.role.data,
                                       form.answer.data, how=form.how.data)
        except Conflict as error:
            db.session.rollback()
            flash(error.message, "error")
            return to_panel(help_request)
        except DomainError as error:
            db.session.rollback()
            apply_field_errors(form, error)
        else:
            db.session.commit()
            flash(_("Het antwoord is opgeslagen, als door u ingevuld."), "success")
            return to_panel(help_request)
    return render_template("casework/checkin_answer.html", form=form, help_request=help_request,
                           checkin=checkin, kind=CHECKIN_LABELS.get(checkin.kind, checkin.kind))
