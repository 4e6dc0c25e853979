"""The support plan of a resident's file: measurable goals and who does what (beacons 6, 7)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from marketplace.accounts.loading import role_required
from marketplace.accounts.models import User
from marketplace.boundary import MAX_ID
from marketplace.casework import file as casefile
from marketplace.casework import services
from marketplace.casework.blueprint import casework_bp, open_resident
from marketplace.casework.forms import ActionDoneForm, ActionForm, GoalForm, GoalStatusForm
from marketplace.casework.labels import ACTOR_LABELS, GOAL_STATUS_LABELS, TERM_LABELS
from marketplace.casework.models import GOAL_STATUSES
from marketplace.casework.referrals import partners
from marketplace.categories.services import label
from marketplace.cleaning import whole_number
from marketplace.clock import today
from marketplace.errors import DomainError, NotFound, apply_errors
from marketplace.extensions import db


def fill_goal_form(form: GoalForm, resident: User) -> None:
    form.arrangement_id.choices = [SelectChoice("", _("Geen bepaalde afspraak"))] + [
        SelectChoice(str(a.id), _("%(category)s, tot %(date)s", category=label(
            a.request.category), date=a.planned_end_on.strftime("%d-%m-%Y")))
        for a in casefile.arrangements_of_resident(resident, active_only=True)]


def fill_action_form(form: ActionForm, resident: User) -> None:
    plan = services.plan_of(resident)
    form.goal_id.choices = [SelectChoice("", _("Geen bepaald doel"))] + [
        SelectChoice(str(g.id), g.description) for g in (plan.goals if plan else [])]
    form.partner_id.choices = [SelectChoice("", _("Geen organisatie"))] + [
        SelectChoice(str(p.id), p.name) for p in partners()]


def plan_page(resident: User, goal_form: GoalForm | None = None,
              action_form: ActionForm | None = None):
    goal_form = goal_form or GoalForm(formdata=None, prefix="doel")
    action_form = action_form or ActionForm(formdata=None, prefix="actie")
    fill_goal_form(goal_form, resident)
    fill_action_form(action_form, resident)
    plan = services.plan_of(resident)
    status_choices = [SelectChoice(s, GOAL_STATUS_LABELS[s]) for s in GOAL_STATUSES]
    return render_template(
        "casework/plan.html", resident=resident, plan=plan, goal_form=goal_form,
        action_form=action_form, status_choices=status_choices,
        goal_status_labels=GOAL_STATUS_LABELS, term_labels=TERM_LABELS,
        actor_labels=ACTOR_LABELS, partner_names={p.id: p.name for p in partners(False)},
        today_date=today())


def to_plan(resident: User, anchor: str | None = None):
    return redirect(url_for("casework.plan", resident_id=resident.id, _anchor=anchor))


def number(value: str | None) -> int | None:
    return whole_number(value, MAX_ID)


@casework_bp.get("/dossier/<int:resident_id>/plan")
@role_required("worker")
def plan(resident_id: int):
    return plan_page(open_resident(resident_id, "plan"))


@casework_bp.post("/dossier/<int:resident_id>/plan/doel")
@role_required("worker")
def add_goal(resident_id: int):
    resident = open_resident(resident_id, "plan")
    form = GoalForm(prefix="doel")
    fill_goal_form(form, resident)
    if form.validate_on_submit():
        try:
            services.add_goal(resident, description=form.description.data,
                              measure=form.measure.data, term=form.term.data,
                              target_on=form.target_on.data,
                              arrangement_id=number(form.arrangement_id.data))
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("Het doel staat in het plan."), "success")
            return to_plan(resident, "doelen")
    return plan_page(resident, goal_form=form)


@casework_bp.post("/dossier/<int:resident_id>/plan/actie")
@role_required("worker")
def add_action(resident_id: int):
    resident = open_resident(resident_id, "plan")
    form = ActionForm(prefix="actie")
    fill_action_form(form, resident)
    if form.validate_on_submit():
        try:
            services.add_action(resident, actor=form.actor.data,
                                description=form.description.data,
                                goal_id=number(form.goal_id.data),
                                partner_id=number(form.partner_id.data),
                                due_on=form.due_on.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("Het staat in het plan wie wat doet."), "success")
            return to_plan(resident, "wie-doet-wat")
    return plan_page(resident, action_form=form)


@casework_bp.post("/dossier/<int:resident_id>/plan/doel/<int:goal_id>")
@role_required("worker")
def goal_status(resident_id: int, goal_id: int):
    resident = open_resident(resident_id, "plan")
    try:
        goal = casefile.goal_in_plan(resident, goal_id) if goal_id <= MAX_ID else None
    except NotFound:
        goal = None
    if goal is None:
        abort(404)
    form = GoalStatusForm()
    form.status.choices = [SelectChoice(s, GOAL_STATUS_LABELS[s]) for s in GOAL_STATUSES]
    if not form.validate_on_submit():
        flash(_("Kies of het doel is gehaald."), "error")
        return to_plan(resident, "doelen")
    services.set_goal_status(goal, form.status.data)
    db.session.commit()
    flash(_("De stand van het doel is opgeslagen."), "success")
    return to_plan(resident, "doelen")


@casework_bp.post("/dossier/<int:resident_id>/plan/actie/<int:action_id>")
@role_required("worker")
def action_done(resident_id: int, action_id: int):
    resident = open_resident(resident_id, "plan")
    try:
        action = casefile.action_in_plan(resident, action_id) if action_id <= MAX_ID else None
    except NotFound:
        action = None
    if action is None:
        abort(404)
    form = ActionDoneForm()
    if form.validate_on_submit():  # an unticked checkbox is an answer: not done (yet)
        casefile.set_action_done(action, bool(form.done.data))
        db.session.commit()
        flash(_("Opgeslagen."), "success")
    else:
        flash(_("Dat lukte niet. Probeer het opnieuw."), "error")
    return to_plan(resident, "wie-doet-wat")
