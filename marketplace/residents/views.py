"""The resident's own network (the 0th line): list, add, change and remove people."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from marketplace.accounts.loading import role_required
from marketplace.boundary import MAX_ID
from marketplace.categories.services import active_categories, label
from marketplace.errors import DomainError, NotFound, apply_errors
from marketplace.extensions import db
from marketplace.help_requests.blueprint import RETURN_HERE
from marketplace.residents import services
from marketplace.residents.forms import RELATION_LABELS, DeleteForm, MemberForm

residents_bp = Blueprint("residents", __name__, url_prefix="/mijn-netwerk")
# "Add someone" leads back only to this fixed place, never to a URL taken from the query.
RETURN_TO_REQUEST = RETURN_HERE


@residents_bp.before_request
@role_required("resident")
def require_resident():
    return None


def member_or_404(member_id: int):
    try:
        return services.get_member(current_user, member_id) if member_id <= MAX_ID else abort(404)
    except NotFound:
        abort(404)


def after_saving():
    if request.args.get("terug") == RETURN_TO_REQUEST:
        return redirect(url_for("help_requests.new", step="omschrijving"))
    return redirect(url_for("residents.index"))


def member_form(**kwargs) -> MemberForm:
    form = MemberForm(**kwargs)
    form.can_help.choices = [SelectChoice(c.code, label(c.code)) for c in active_categories()]
    return form


def save(form: MemberForm, member_id: int | None):
    try:
        member = services.save_member(
            current_user, name=form.name.data, relation=form.relation.data,
            can_help=form.can_help.data or [], cannot_help=form.cannot_help.data,
            member_id=member_id)
    except DomainError as error:
        db.session.rollback()
        apply_errors(form, error)
        return None
    db.session.commit()
    return member


@residents_bp.get("/")
def index():
    return render_template("residents/index.html", members=services.network_of(current_user.id),
                           relation_labels=RELATION_LABELS)


@residents_bp.route("/nieuw", methods=["GET", "POST"])
def add():
    form = member_form()
    if form.validate_on_submit() and (member := save(form, None)) is not None:
        flash(_("%(name)s staat nu in uw netwerk.", name=member.name), "success")
        return after_saving()
    back = request.args.get("terug") == RETURN_TO_REQUEST
    return render_template("residents/form.html", form=form, member=None, back_to_request=back)


@residents_bp.route("/<int:member_id>/wijzigen", methods=["GET", "POST"])
def edit(member_id: int):
    member = member_or_404(member_id)
    form = member_form() if request.method == "POST" else member_form(obj=member)
    if form.validate_on_submit() and save(form, member.id) is not None:
        flash(_("De gegevens van %(name)s zijn opgeslagen.", name=member.name), "success")
        return redirect(url_for("residents.index"))
    return render_template("residents/form.html", form=form, member=member, back_to_request=False)


@residents_bp.route("/<int:member_id>/verwijderen", methods=["GET", "POST"])
def delete(member_id: int):
    member = member_or_404(member_id)
    form = DeleteForm()
    if form.validate_on_submit():
        name = member.name
        services.delete_member(current_user, member.id)
        db.session.commit()
        flash(_("%(name)s staat niet meer in uw netwerk.", name=name), "success")
        return redirect(url_for("residents.index"))
    return render_template("residents/delete.html", form=form, member=member,
                           relation_labels=RELATION_LABELS)
