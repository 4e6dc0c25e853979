"""Association pages: "Mijn vereniging" (a member's home), profiles, members.

Activity pages are in activity_views.py and nearby_views.py (same blueprint). Views stay thin:
form → plain values → one service call → flash/redirect; a DomainError goes back onto the
form's fields, with what was typed kept.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from marketplace.accounts.loading import role_required
from marketplace.accounts.models import User
from marketplace.associations import services
from marketplace.associations.access import can_manage_association, is_member, own_association
from marketplace.associations.forms import AssociationForm, MemberForm, apply_errors
from marketplace.associations.models import Activity, Association, Signup
from marketplace.associations.occurrences import next_starts
from marketplace.errors import DomainError, NotFound
from marketplace.extensions import db

associations_bp = Blueprint("associations", __name__)


def signup_counts(activity_ids: list[int]) -> dict[int, dict[str, int]]:
    """{activity_id: {"registered": n, "waitlisted": m}} in one query."""
    counts: dict[int, dict[str, int]] = {i: {"registered": 0, "waitlisted": 0}
                                         for i in activity_ids}
    if activity_ids:
        rows = db.session.execute(
            select(Signup.activity_id, Signup.status, func.count(Signup.id))
            .where(Signup.activity_id.in_(activity_ids), Signup.status != "cancelled")
            .group_by(Signup.activity_id, Signup.status))
        for activity_id, status, n in rows:
            counts[activity_id][status] = n
    return counts


def association_or_404(association_id: int) -> Association:
    try:
        association = services.get_association(association_id)
    except NotFound:
        abort(404)
    own_association(association.id)  # the menu: "Mijn vereniging" for its members
    return association


@associations_bp.get("/mijn-vereniging")
@role_required("association", "worker", "admin")
def home():
    """The member's home: their associations with activities, next times, sign-up counts.
    A worker also sees the activities the welfare organisation runs in their area."""
    mine = services.associations_of(current_user)
    groups: list[tuple[Association | None, list[Activity]]] = [
        (a, services.activities_of(a)) for a in mine]
    if current_user.has_role("worker"):
        groups.append((None, services.welfare_activities_for(current_user)))
    ids = [a.id for _, acts in groups for a in acts]
    return render_template("associations/home.html", groups=groups,
                           counts=signup_counts(ids), starts=next_starts(ids))


@associations_bp.get("/verenigingen/")
@role_required()
def index():
    return render_template("associations/index.html",
                           associations=services.all_associations(),
                           may_create=current_user.has_role("admin", "worker"))


@associations_bp.route("/verenigingen/nieuw", methods=["GET", "POST"])
@role_required("admin", "worker")
def new():
    form = AssociationForm()
    if form.validate_on_submit():
        try:
            association = services.create_association(
                current_user, name=form.name.data, postcode=form.postcode.data,
                description=form.description.data, contact=form.contact.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("De vereniging is aangemaakt. Voeg nu de leden toe die haar beheren."),
                  "success")
            return redirect(url_for(".profile", association_id=association.id))
    return render_template("associations/form.html", form=form, association=None)


@associations_bp.get("/verenigingen/<int:association_id>")
@role_required()
def profile(association_id: int):
    association = association_or_404(association_id)
    manager = can_manage_association(current_user, association)
    ids = [a.id for a in services.activities_of(association)]
    return render_template(
        "associations/profile.html", association=association, manager=manager,
        member=is_member(current_user, association),
        members=services.members_of(association) if manager else [],
        activities=[a for a in services.activities_of(association) if a.status == "active"],
        starts=next_starts(ids), member_form=MemberForm(formdata=None))


@associations_bp.route("/verenigingen/<int:association_id>/bewerken", methods=["GET", "POST"])
@role_required()
def edit(association_id: int):
    association = association_or_404(association_id)
    if not can_manage_association(current_user, association):
        abort(404)
    form = AssociationForm(obj=association)
    if not form.is_submitted():
        form.postcode.data = association.pc4
    if form.validate_on_submit():
        try:
            services.update_association(
                current_user, association, name=form.name.data, postcode=form.postcode.data,
                description=form.description.data, contact=form.contact.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("Het profiel is opgeslagen."), "success")
            return redirect(url_for(".profile", association_id=association.id))
    return render_template("associations/form.html", form=form, association=association)


@associations_bp.post("/verenigingen/<int:association_id>/leden")
@role_required()
def add_member(association_id: int):
    association = association_or_404(association_id)
    if not can_manage_association(current_user, association):
        abort(404)
    form = MemberForm()
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        try:
            if user is None:
                raise DomainError(_("Er is geen account met dit e-mailadres. Vraag de persoon "
                                    "eerst een account te maken."), field="email")
            services.add_member(current_user, association, user)
        except DomainError as error:
            db.session.rollback()
            error.field = "email" if error.field in (None, "user_id") else error.field
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is nu lid en beheert de activiteiten mee.", name=user.name),
                  "success")
            return redirect(url_for(".profile", association_id=association.id))
    ids = [a.id for a in services.activities_of(association)]
    return render_template(
        "associations/profile.html", association=association, manager=True,
        member=is_member(current_user, association), members=services.members_of(association),
        activities=[a for a in services.activities_of(association) if a.status == "active"],
        starts=next_starts(ids), member_form=form)


from marketplace.associations import (  # noqa: E402,F401
    activity_views,
    nearby_views,
    occurrence_views,
)
