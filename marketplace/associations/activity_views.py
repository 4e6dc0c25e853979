"""Activity pages: create/edit, the activity with its times, sign-ups and waiting list,
sign up / sign off, cancel or move one time, attendance per time."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from marketplace.accounts import audit
from marketplace.accounts.loading import role_required
from marketplace.accounts.models import User
from marketplace.associations import services
from marketplace.associations.access import can_manage, can_see_signups, is_member, own_association
from marketplace.associations.forms import (
    ActivityForm,
    CancelOccurrenceForm,
    apply_errors,
)
from marketplace.associations.models import Activity
from marketplace.associations.occurrences import (
    recent,
    upcoming,
)
from marketplace.associations.signups import (
    active_signup,
    residents_for,
    signups_of,
    spots_left,
    waitlist_position,
    waitlist_positions,
)
from marketplace.associations.views import association_or_404, associations_bp
from marketplace.boundary import MAX_ID
from marketplace.cleaning import whole_number
from marketplace.errors import DomainError, NotFound, ValidationFailed
from marketplace.extensions import db


def activity_or_404(activity_id: int) -> Activity:
    try:
        activity = services.get_activity(activity_id)
    except NotFound:
        abort(404)
    own_association(activity.association_id)  # the menu: "Mijn vereniging" for its members
    return activity


def managed_or_404(activity_id: int) -> Activity:
    activity = activity_or_404(activity_id)
    if not can_manage(current_user, activity):
        abort(404)
    return activity


def for_resident(activity: Activity | None = None) -> User | None:
    """The resident a worker is signing up (?voor=ID), if the worker may act for them
    (for this activity, or for any when none is given)."""
    from marketplace.associations.signups import may_sign_up_for

    person_id = whole_number(request.values.get("voor", ""), MAX_ID)
    if person_id is None or not current_user.has_role("worker"):
        return None
    person = db.session.get(User, person_id)
    if person is None or not person.has_role("resident"):
        return None
    return person if may_sign_up_for(current_user, activity or _Anywhere(), person) else None


class _Anywhere:
    """An activity outside every area: only the resident's file decides."""

    area_id = None


@associations_bp.route("/activiteiten/nieuw", methods=["GET", "POST"])
@associations_bp.route("/verenigingen/<int:association_id>/activiteiten/nieuw",
                       methods=["GET", "POST"])
@role_required("association", "worker", "admin")
def new_activity(association_id: int | None = None):
    """For an association (its members, workers, admins), or without one: a worker's
    welfare-run activity, or the association of a member of exactly one."""
    association = association_or_404(association_id) if association_id is not None else None
    if association is None and not current_user.has_role("worker", "admin"):
        mine = services.associations_of(current_user)
        if len(mine) != 1:
            flash(_("Kies eerst de vereniging waarvoor u een activiteit maakt."), "info")
            return redirect(url_for(".home"))
        association = mine[0]
    if association is not None and not (is_member(current_user, association)
                                        or current_user.has_role("worker", "admin")):
        abort(404)
    form = ActivityForm()
    form.set_choices()
    if request.method == "GET":
        # Started from a cluster of requests: its kind and place, still editable.
        if request.args.get("category") in {choice.value for choice in form.category.choices}:
            form.category.data = request.args["category"]
        form.postcode.data = form.postcode.data or (request.args.get("postcode") or "")[:20]
    if _submitted(form, association.id if association else None, is_new=True):
        try:
            activity = services.create_activity(
                current_user, form.to_input(association.id if association else None))
        except DomainError as error:
            db.session.rollback()
            errors_to_form(form, error)
        else:
            db.session.commit()
            flash(_("De activiteit staat erop. Inwoners in de buurt kunnen zich aanmelden."),
                  "success")
            return redirect(url_for(".activity", activity_id=activity.id))
    return render_template("associations/activity_form.html", form=form,
                           association=association, activity=None)


def _submitted(form: ActivityForm, association_id: int | None, *, is_new: bool) -> bool:
    """Valid as a form? If not, the service's rules add their messages for the fields the
    form found nothing wrong with, so every mistake shows at once."""
    if not form.is_submitted():
        return False
    if form.validate():
        return True
    found = services.activity_errors(form.to_input(association_id), is_new=is_new)
    if form.start_time.errors:
        found.pop("starts_at", None)  # the moment is missing because the time is wrong
    error = ValidationFailed({k: v for k, v in found.items()
                              if not getattr(form, RENAME.get(k) or k, None)
                              or not getattr(form, RENAME.get(k) or k).errors})
    errors_to_form(form, error)
    return False


RENAME = {"starts_at": "day", "ends_at": "end_time", "association_id": None}


def errors_to_form(form: ActivityForm, error: DomainError) -> None:
    """Service field names onto the form's: the moment is typed as a date and a time."""
    if isinstance(error, ValidationFailed):
        error.errors = {RENAME.get(k, k): v for k, v in error.errors.items()}
    elif error.field in RENAME:
        error.field = RENAME[error.field]
    apply_errors(form, error)


@associations_bp.route("/activiteiten/<int:activity_id>/bewerken", methods=["GET", "POST"])
@role_required()
def edit_activity(activity_id: int):
    activity = managed_or_404(activity_id)
    form = ActivityForm()
    form.set_choices()
    if not form.is_submitted():
        form.fill_from(activity)
    if _submitted(form, activity.association_id, is_new=False):
        try:
            services.update_activity(current_user, activity,
                                     form.to_input(activity.association_id))
        except DomainError as error:
            db.session.rollback()
            errors_to_form(form, error)
        else:
            db.session.commit()
            flash(_("De activiteit is opgeslagen."), "success")
            return redirect(url_for(".activity", activity_id=activity.id))
    return render_template("associations/activity_form.html", form=form,
                           association=activity.association, activity=activity)


@associations_bp.post("/activiteiten/<int:activity_id>/stoppen")
@role_required()
def cancel_activity(activity_id: int):
    activity = managed_or_404(activity_id)
    told = services.cancel_activity(current_user, activity)
    db.session.commit()
    flash(ngettext("De activiteit gaat niet meer door. %(num)d persoon krijgt bericht.",
                   "De activiteit gaat niet meer door. %(num)d mensen krijgen bericht.", told),
          "success")
    return redirect(url_for(".activity", activity_id=activity.id))


@associations_bp.get("/activiteiten/<int:activity_id>")
@role_required()
def activity(activity_id: int):
    activity = activity_or_404(activity_id)
    manager = can_manage(current_user, activity)
    show_names = can_see_signups(current_user, activity)
    if show_names:
        # Who signed up is personal data: each view of the names is on the audit trail.
        # Committed first, so nothing loaded below is expired by the commit.
        audit.record("activity.signups_viewed", actor_id=current_user.id,
                     object_type="activity", object_id=activity.id, ip=request.remote_addr)
        db.session.commit()
    signups = signups_of(activity) if show_names else []
    mine = active_signup(activity, current_user)
    return render_template(
        "associations/activity.html", activity=activity, manager=manager,
        own=g.get("menu_item") == "associations.home",
        show_names=show_names, signups=signups, positions=waitlist_positions(signups),
        mine=mine, my_position=waitlist_position(mine) if mine else None,
        spots_left=spots_left(activity), occurrences=upcoming(activity),
        past=recent(activity) if manager else [], for_person=for_resident(activity),
        cancel_form=CancelOccurrenceForm(formdata=None),
        residents=residents_for(current_user) if current_user.has_role("worker") else [])


@associations_bp.post("/activiteiten/<int:activity_id>/aanmelden")
@role_required("resident", "worker")
def sign_up(activity_id: int):
    activity = activity_or_404(activity_id)
    person = for_resident(activity) if request.form.get("voor") else current_user
    if person is None:
        flash(_("Kies een inwoner uit de lijst."), "error")
        return redirect(url_for(".activity", activity_id=activity.id))
    try:
        entry = services.signup(activity, person, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        if entry.status == "registered":
            flash(_("%(name)s is aangemeld.", name=person.name) if person.id != current_user.id
                  else _("U bent aangemeld. Tot dan!"), "success")
        else:
            flash(_("Het is vol. U staat op de wachtlijst, plek %(n)s. Komt er een plek vrij, "
                    "dan krijgt u meteen bericht.", n=waitlist_position(entry)), "info")
    return redirect(url_for(".activity", activity_id=activity.id))


@associations_bp.post("/activiteiten/<int:activity_id>/afmelden")
@role_required()
def sign_off(activity_id: int):
    activity = activity_or_404(activity_id)
    try:
        services.cancel_signup(activity, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("U bent afgemeld."), "success")
    return redirect(url_for(".activity", activity_id=activity.id))
