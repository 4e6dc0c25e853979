"""The welfare worker's own pages: the worklist of their areas, taking a case or giving it
to a colleague (recorded in the request's timeline), their caseload, and for a team's
coordinator the caseload of every member, to balance it.

A request of another area answers 404, exactly like a missing one."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from marketplace.accounts.forms import clean_text
from marketplace.accounts.loading import role_required
from marketplace.accounts.models import User
from marketplace.boundary import MAX_ID
from marketplace.brokering import followups
from marketplace.brokering import worklist as cases
from marketplace.clock import today
from marketplace.errors import DomainError, NotFound
from marketplace.extensions import db
from marketplace.help_requests import services as requests_service
from marketplace.help_requests.access import is_area_worker
from marketplace.help_requests.forms import STATUS_LABELS, URGENCY_LABELS
from marketplace.help_requests.models import HelpRequest
from marketplace.i18n import translated
from marketplace.page_cache import cached
from marketplace.signals.forms import STATUS_LABELS as SIGNAL_STATUS_LABELS
from marketplace.signals.forms import apply_errors, as_id, worker_choices
from marketplace.teams.models import Team
from marketplace.teams.services import coordinated_by, get_team

worker_bp = Blueprint("worker", __name__, url_prefix="/werk")


class TransferForm(FlaskForm):
    # No InputRequired on the choice: its own "invalid choice" message already says it.
    worker_id = SelectField(_l("Aan wie geeft u de zaak?"), coerce=as_id, choices=[],
                            invalid_choice_message=_l("Kies een collega uit de lijst."),
                            invalid_value_message=_l("Kies een collega uit de lijst."))
    reason = TextAreaField(
        _l("Waarom geeft u de zaak door?"), filters=[clean_text],
        validators=[DataRequired(_l("Schrijf kort waarom u de zaak doorgeeft.")),
                    Length(max=300, message=_l("Houd de reden korter: hoogstens 300 tekens."))],
        description=_l("Bijvoorbeeld: ik ben drie weken afwezig, of: mijn collega kent de "
                       "familie al. Dit komt in de tijdlijn van de hulpvraag."))
    submit = SubmitField(_l("Zaak doorgeven"))


class FollowUpForm(FlaskForm):
    note = TextAreaField(_l("Wat is er gebeurd?"), filters=[clean_text],
                         validators=[Length(max=2000, message=_l(
                             "Houd de notitie korter: hoogstens 2000 tekens."))])
    new_date = DateField(_l("Of: nieuwe datum om op te volgen"), validators=[Optional()],
                         format="%Y-%m-%d")
    submit = SubmitField(_l("Opvolging afronden"))


def _back_value() -> str:
    """Where the button was: "werklijst", "mijn-zaken" or "team-<id>"; else ""."""
    where = request.values.get("terug", "")
    return where if re.fullmatch(r"werklijst|mijn-zaken|team-[0-9]{1,9}", where) else ""


def _back():
    where = _back_value()
    if where == "mijn-zaken":
        return redirect(url_for("worker.caseload"))
    if where.startswith("team-"):
        return redirect(url_for("worker.team", team_id=int(where[5:])))
    return redirect(url_for("worker.worklist"))


def _request_of_area(request_id: int) -> HelpRequest:
    try:
        found = requests_service.get_request(request_id) if request_id <= MAX_ID else None
    except NotFound:
        found = None
    if found is None or not is_area_worker(current_user, found):
        abort(404)
    return found


def _names(ids) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {u.id: u.name for u in db.session.scalars(select(User).where(User.id.in_(wanted)))}


# The query parameter that pages a worklist section on (keyset: the last id shown).
PAGE_PARAMS = {"new_requests": "nieuw_na", "stale_requests": "lang_open_na",
               "offers_waiting": "aanbod_na", "signals": "signalen_na",
               "arrangements_ending": "aflopend_na", "evaluations_overdue": "evaluatie_na",
               "referrals_waiting": "verwijzingen_na"}


@worker_bp.get("/")
@role_required("worker")
@cached
def worklist(fu_forms: dict | None = None):
    after = {section: int(value) for section, name in PAGE_PARAMS.items()
             if re.fullmatch(r"[0-9]{1,10}", value := request.args.get(name, ""))
             and int(value) <= MAX_ID}
    found = cases.worklist(current_user, after=after)
    holders = [r.assigned_worker_id for r in (*found.new_requests, *found.stale_requests)]
    holders += [s.assigned_worker_id for s in found.signals]
    due = followups.follow_ups(current_user)
    holders += [n.author_id for n in due.notes]
    mine = cases.caseload([current_user.id])[current_user.id]
    return render_template("worker/worklist.html", wl=found, names=_names(holders), fu=due,
                           fu_forms=fu_forms or {}, follow_up_form=FollowUpForm,
                           today_date=today(),
                           my_count=mine, teams=coordinated_by(current_user),
                           status_labels=translated(STATUS_LABELS),
                           urgency_labels=translated(URGENCY_LABELS),
                           signal_status_labels=translated(SIGNAL_STATUS_LABELS), paged=after,
                           page_params=PAGE_PARAMS)


@worker_bp.post("/opvolging/<int:note_id>")
@role_required("worker")
def follow_up_done(note_id: int):
    if note_id > MAX_ID:
        abort(404)
    form = FollowUpForm(prefix=f"f{note_id}")
    if form.validate_on_submit():
        try:
            followups.complete(current_user, note_id, text=form.note.data,
                               new_date=form.new_date.data)
        except NotFound:
            abort(404)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("De opvolging is afgerond."), "success")
            return redirect(url_for("worker.worklist", _anchor="opvolging"))
    elif not any(n.id == note_id for n in followups.follow_ups(current_user).notes):
        abort(404)
    return worklist(fu_forms={note_id: form})


@worker_bp.get("/mijn-zaken")
@role_required("worker")
def caseload():
    mine = cases.cases_of(current_user.id)
    return render_template("worker/caseload.html", cases=mine, teams=coordinated_by(current_user),
                           status_labels=STATUS_LABELS,
                           signal_status_labels=SIGNAL_STATUS_LABELS)


@worker_bp.get("/teams/<int:team_id>")
@role_required("worker")
def team(team_id: int):
    found: Team | None = get_team(team_id)
    if found is None or found not in coordinated_by(current_user):
        abort(404)
    loads = cases.team_caseload(found)
    total = sum(row.total for row in loads)
    average = total / len(loads) if loads else 0
    return render_template("worker/team.html", team=found, loads=loads, total=total,
                           average=format_decimal(round(average, 1), format="#,##0.#"),
                           many=average + 2,
                           status_labels=STATUS_LABELS,
                           signal_status_labels=SIGNAL_STATUS_LABELS)


@worker_bp.post("/hulpvragen/<int:request_id>/oppakken")
@role_required("worker")
def take(request_id: int):
    help_request = _request_of_area(request_id)
    try:
        cases.assign(current_user, help_request, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("U heeft deze zaak opgepakt."), "success")
    return _back()


@worker_bp.route("/hulpvragen/<int:request_id>/overdragen", methods=["GET", "POST"])
@role_required("worker")
def transfer(request_id: int):
    help_request = _request_of_area(request_id)
    if help_request.status not in cases.OPEN_CASE:
        flash(_("Deze hulpvraag is afgesloten. U kunt hem niet meer doorgeven."), "info")
        return redirect(url_for("help_requests.detail", request_id=help_request.id))
    form = TransferForm()
    form.worker_id.choices = worker_choices(cases.colleagues(help_request), current_user.id,
                                            skip_id=help_request.assigned_worker_id)
    if form.validate_on_submit():
        colleague = db.session.get(User, form.worker_id.data)
        try:
            if colleague is None:
                raise DomainError(_("Kies een collega uit de lijst."), field="worker_id")
            cases.assign(current_user, help_request, colleague, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s heeft de zaak nu.", name=colleague.name), "success")
            return _back()
    return render_template("worker/transfer.html", form=form, help_request=help_request,
                           back=_back_value(), status_labels=STATUS_LABELS)


from marketplace.brokering import batch_views  # noqa: E402, F401  (routes on worker_bp)
