"""Pages of vacancies: ask for volunteers, see ranked candidates and propose, and the
volunteer's answer. Thin views: form → plain value → one service call → flash/redirect.

Privacy: a member of an association (not a professional) sees candidates without their
names — a number, the distance rounded to 0.5 km and the reasons — and learns the name
only of a volunteer who said yes. Workers of the area see names, as for requests.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.loading import role_required
from marketplace.accounts.models import User
from marketplace.associations import vacancy_services as vacancies
from marketplace.associations.access import can_manage, is_area_worker_for
from marketplace.associations.models import Activity
from marketplace.associations.occurrences import next_occurrence
from marketplace.associations.services import get_activity
from marketplace.associations.vacancy_forms import PlainForm, VacancyAnswerForm, VacancyForm
from marketplace.associations.vacancy_models import Vacancy
from marketplace.boundary import MAX_ID
from marketplace.categories.services import active_categories, label
from marketplace.cleaning import whole_number
from marketplace.clock import DOMAIN_TZ
from marketplace.errors import DomainError, NotFound
from marketplace.extensions import db
from marketplace.help_requests.views import apply_errors
from marketplace.volunteers.forms import day_grid
from marketplace.volunteers.models import DAYS

vacancies_bp = Blueprint("vacancies", __name__)



def managed_activity(activity_id: int) -> Activity:
    try:
        activity = get_activity(activity_id) if activity_id <= MAX_ID else None
    except NotFound:
        activity = None
    if activity is None or not can_manage(current_user, activity):
        abort(404)
    return activity


def managed_vacancy(vacancy_id: int) -> Vacancy:
    if vacancy_id > MAX_ID:
        abort(404)
    try:
        return vacancies.managed_vacancy(current_user, vacancy_id)
    except NotFound:
        abort(404)


def day_part_of(moment: datetime) -> str:
    """The day-part code of a start in Dutch time ("mon_evening"): the form's first guess."""
    local = moment.astimezone(DOMAIN_TZ)
    part = "morning" if local.hour < 12 else "afternoon" if local.hour < 18 else "evening"
    return f"{DAYS[local.weekday()]}_{part}"


def shows_names(vacancy: Vacancy) -> bool:
    """Workers of the area see volunteers' names; association members do not."""
    return is_area_worker_for(current_user, vacancy.activity.area_id)


@vacancies_bp.get("/activiteiten/<int:activity_id>/vacatures")
@role_required()
def for_activity(activity_id: int):
    activity = managed_activity(activity_id)
    return render_template("associations/vacancy_index.html", activity=activity,
                           vacancies=vacancies.vacancies_of(activity))


@vacancies_bp.route("/activiteiten/<int:activity_id>/vacatures/nieuw", methods=["GET", "POST"])
@role_required()
def new(activity_id: int):
    activity = managed_activity(activity_id)
    form = VacancyForm()
    form.skill.choices = [("", _("Kies…"))] + [(c.code, label(c.code))
                                                for c in active_categories()]
    if request.method == "GET":
        form.skill.data = activity.category
        form.day_parts.data = [day_part_of(activity.starts_at)]
    if form.validate_on_submit():
        try:
            vacancy = vacancies.create_vacancy(current_user, activity, vacancies.VacancyInput(
                skill=form.skill.data or "", count=(form.count.data or "").strip() or None,
                day_parts=list(form.day_parts.data or []),
                needs_vog=True if form.needs_vog.data == "yes" else None))
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("De vacature staat open. Hieronder ziet u wie kan helpen."), "success")
            return redirect(url_for("vacancies.detail", vacancy_id=vacancy.id))
    return render_template("associations/vacancy_form.html", form=form, activity=activity,
                           **day_grid())


@vacancies_bp.get("/vacatures/<int:vacancy_id>")
@role_required()
def detail(vacancy_id: int):
    vacancy = managed_vacancy(vacancy_id)
    ranking = vacancies.candidates(vacancy) if vacancy.status == "open" else None
    names = shows_names(vacancy)
    people = {}
    if names and ranking is not None:
        ids = [c.user_id for c in ranking.candidates]
        people = {u.id: u for u in db.session.scalars(db.select(User).where(User.id.in_(ids)))}
    return render_template(
        "associations/vacancy_detail.html", vacancy=vacancy, activity=vacancy.activity,
        candidates=ranking.candidates if ranking else (), names=names, people=people,
        **day_grid())


@vacancies_bp.post("/vacatures/<int:vacancy_id>/voorstellen")
@role_required()
def propose(vacancy_id: int):
    vacancy = managed_vacancy(vacancy_id)
    raw = (request.form.get("volunteer_id") or "").strip()
    volunteer_id = whole_number(raw, MAX_ID) if PlainForm().validate_on_submit() else None
    volunteer = db.session.get(User, volunteer_id) if volunteer_id is not None else None
    try:
        vacancies.propose(current_user, vacancy, volunteer)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("De vrijwilliger krijgt een e-mail en zegt zelf ja of nee."), "success")
    return redirect(url_for("vacancies.detail", vacancy_id=vacancy.id))


@vacancies_bp.post("/vacatures/<int:vacancy_id>/sluiten")
@role_required()
def close(vacancy_id: int):
    vacancy = managed_vacancy(vacancy_id)
    if PlainForm().validate_on_submit():
        vacancies.close_vacancy(current_user, vacancy)
        db.session.commit()
        flash(_("De vacature is gesloten."), "success")
    return redirect(url_for("vacancies.detail", vacancy_id=vacancy.id))


@vacancies_bp.get("/vrijwilliger/vacatures")
@role_required("volunteer")
def mine():
    return render_template("associations/vacancy_mine.html",
                           matches=vacancies.matches_of_volunteer(current_user))


@vacancies_bp.route("/vrijwilliger/vacatures/<int:match_id>", methods=["GET", "POST"])
@role_required("volunteer")
def answer(match_id: int):
    try:
        match = vacancies.own_match(current_user, match_id) if match_id <= MAX_ID else None
    except NotFound:
        match = None
    if match is None:
        abort(404)
    form = VacancyAnswerForm()
    if form.validate_on_submit():
        decision = request.form.get("decision")
        try:
            if decision == "accept":
                vacancies.accept(current_user, match)
            elif decision == "decline":
                vacancies.decline(current_user, match, form.reason.data)
            elif decision == "stop":
                vacancies.stop(current_user, match)
            else:
                raise DomainError(_("Kies ja of nee."))
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash({"accept": _("Fijn dat u helpt! De activiteit staat nu bij uw afspraken."),
                   "decline": _("U heeft nee gezegd. Wij laten het de vereniging weten."),
                   "stop": _("U helpt hier niet meer. Wij laten het de vereniging weten.")}
                  [decision], "success")
            return redirect(url_for("vacancies.answer", match_id=match.id))
    activity = match.vacancy.activity
    return render_template("associations/vacancy_answer.html", form=form, match=match,
                           vacancy=match.vacancy, activity=activity,
                           upcoming=next_occurrence(activity), **day_grid())


@vacancies_bp.app_template_global()
def activity_vacancies(activity: Activity) -> list[Vacancy]:
    """For the partial on the activity page: its vacancies, for those who manage it."""
    if not current_user.is_authenticated or not can_manage(current_user, activity):
        return []
    return vacancies.vacancies_of(activity)


@vacancies_bp.app_template_global()
def my_vacancy_matches() -> list:
    """For the partial on the volunteer's commitments page."""
    if not current_user.is_authenticated:
        return []
    return [m for m in vacancies.matches_of_volunteer(current_user)
            if m.status in ("proposed", "accepted")]


@vacancies_bp.app_template_global()
def may_manage_activity(activity: Activity) -> bool:
    return current_user.is_authenticated and can_manage(current_user, activity)
