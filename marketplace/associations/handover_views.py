"""Handover pages: the worker's form on a welfare-run activity, the handover page (checklist
and checks), the list for the worker's area (and a member's associations), and the one-click
"still running?" answer from the mail (a signed link; a GET records nothing)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts.loading import role_required
from marketplace.associations import handover as service
from marketplace.associations.collective_views import collective_bp
from marketplace.associations.handover_forms import (
    CHECKLIST_LABELS,
    STATUS_LABELS,
    HandoverForm,
    StillRunningForm,
)
from marketplace.associations.models import Activity, Association
from marketplace.associations.services import create_association
from marketplace.errors import DomainError, NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.help_requests.access import worker_area_ids
from marketplace.signals.forms import apply_errors


def _labels() -> dict:
    return {"checklist_labels": CHECKLIST_LABELS, "status_labels": STATUS_LABELS}


def _put_error(form, error: DomainError) -> None:
    if isinstance(error, ValidationFailed) or error.field in form._fields:
        apply_errors(form, error)
    else:
        form.form_errors.append(error.message)


@collective_bp.route("/activiteiten/<int:activity_id>/overdragen", methods=["GET", "POST"])
@role_required("worker")
def handover_new(activity_id: int):
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        abort(404)
    blocked = None
    try:
        service.check_may_hand_over(current_user, activity)
    except NotFound:
        abort(404)
    except DomainError as error:
        blocked = error.message
    form = HandoverForm()
    associations = db.session.scalars(select(Association).order_by(Association.name)).all()
    form.association_id.choices = [("", _("Kies een vereniging"))] + [
        (str(a.id), f"{a.name} ({a.place})") for a in associations]
    if blocked is None and form.validate_on_submit():
        try:
            association_id = form.association_id.data or None
            if association_id is None and form.new_group_name.data:
                group = create_association(current_user, name=form.new_group_name.data,
                                           postcode=form.new_group_postcode.data or "")
                association_id = group.id
            created = service.create_handover(
                current_user, activity, association_id=association_id,
                transition_ends_on=form.transition_ends_on.data,
                checklist={key: True for key in form.checklist.data or []})
        except DomainError as error:
            db.session.rollback()
            if isinstance(error, ValidationFailed):
                moved = {{"name": "new_group_name", "postcode": "new_group_postcode"}.get(k, k): v
                         for k, v in error.errors.items()}
                error = ValidationFailed(moved)
            _put_error(form, error)
        else:
            db.session.commit()
            flash(_("De overdracht is gestart."), "success")
            return redirect(url_for("collective.handover_detail", handover_id=created.id))
    return render_template("associations/handover_form.html", activity=activity, form=form,
                           blocked=blocked)


@collective_bp.get("/overdrachten")
@role_required("worker", "association")
def handover_list():
    mine = service.handovers_for_worker(current_user, worker_area_ids(current_user)) \
        if current_user.has_role("worker") else []
    theirs = [h for h in service.handovers_for_member(current_user)
              if h.id not in {m.id for m in mine}]
    return render_template("associations/handover_list.html", handovers=mine + theirs,
                           **_labels())


@collective_bp.route("/overdrachten/<int:handover_id>", methods=["GET", "POST"])
@role_required()
def handover_detail(handover_id: int):
    try:
        found = service.visible_handover(current_user, handover_id)
    except NotFound:
        abort(404)
    form = StillRunningForm()
    if form.validate_on_submit():
        try:
            service.record_answer(current_user, found, running=form.answer.data == "running",
                                  note=form.note.data)
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error)
        else:
            db.session.commit()
            flash(_("Dank u wel, uw antwoord is opgeslagen."), "success")
            return redirect(url_for("collective.handover_detail", handover_id=found.id))
    return render_template("associations/handover_detail.html", handover=found, form=form,
                           is_worker=service.is_area_worker_for(current_user,
                                                                found.activity.area_id),
                           **_labels())


@collective_bp.route("/overdracht-vraag/<token>/<answer>", methods=["GET", "POST"])
def handover_answer(token: str, answer: str):
    """The link in the mail pre-selects the answer; the button records it. (A GET never
    records anything: mail scanners open links, and must not answer for the members.)"""
    check, member = service.check_for_token(token, current_app.secret_key)
    form = StillRunningForm()
    if not form.is_submitted() and answer in ("running", "stopped"):
        form.answer.data = answer
    handover = check.handover
    if form.validate_on_submit():
        service.record_answer(member, handover, running=form.answer.data == "running",
                              note=form.note.data, check=check)
        db.session.commit()
        return render_template("associations/handover_thanks.html", handover=handover,
                               running=form.answer.data == "running")
    return render_template("associations/handover_answer.html", handover=handover, form=form)
