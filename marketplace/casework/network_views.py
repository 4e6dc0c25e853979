"""The resident's own network, kept by the worker of the resident's area (beacon 2: the own
network first). A resident without a login, or who tells it at the kitchen table, cannot fill
in "Mijn netwerk" themselves; the worker writes down who can help with what, and the matching
then puts those people first, as for a resident who entered them.

Every page opens the file through ``open_resident`` (audited read); every change is written to
the audit trail too (who changed whose network), which the resident sees in their download.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from marketplace.accounts import audit
from marketplace.accounts.loading import role_required
from marketplace.accounts.models import User
from marketplace.boundary import MAX_ID
from marketplace.casework.blueprint import casework_bp, open_resident, own_request
from marketplace.categories.services import active_categories, label
from marketplace.errors import DomainError, NotFound, apply_errors
from marketplace.extensions import db
from marketplace.residents import services
from marketplace.residents.forms import RELATION_LABELS, DeleteForm, MemberForm
from marketplace.residents.models import NetworkMember


class WorkerMemberForm(MemberForm):
    """The resident's form, asked about the resident rather than "you"."""

    relation = RadioField(_l("Wie is dit voor de inwoner?"),
                          choices=MemberForm.relation.kwargs["choices"],
                          invalid_choice_message=MemberForm.relation.kwargs[
                              "invalid_choice_message"])


def _form(**kwargs) -> WorkerMemberForm:
    form = WorkerMemberForm(**kwargs)
    form.can_help.choices = [SelectChoice(c.code, label(c.code)) for c in active_categories()]
    return form


def _member(resident: User, member_id: int) -> NetworkMember:
    try:
        return services.get_member(resident, member_id) if member_id <= MAX_ID else abort(404)
    except NotFound:
        abort(404)


def _changed(resident: User, member_id: int, what: str) -> None:
    audit.record("network.changed", actor_id=current_user.id, subject_user_id=resident.id,
                 object_type="network_member", object_id=member_id, detail={"change": what},
                 ip=request.remote_addr)


def _back(resident: User):
    """To the request the worker came from (one of this resident's), else the network page."""
    about = own_request(resident, request.args.get("hulpvraag"))
    if about is not None:
        return redirect(url_for("help_requests.detail", request_id=about.id, _anchor="netwerk"))
    return redirect(url_for("casework.network", resident_id=resident.id))


def _save(form: WorkerMemberForm, resident: User, member_id: int | None) -> NetworkMember | None:
    try:
        member = services.save_member(
            resident, name=form.name.data, relation=form.relation.data,
            can_help=form.can_help.data or [], cannot_help=form.cannot_help.data,
            member_id=member_id)
    except DomainError as error:
        db.session.rollback()
        apply_errors(form, error)
        return None
    _changed(resident, member.id, "added" if member_id is None else "changed")
    db.session.commit()
    return member


@casework_bp.route("/dossier/<int:resident_id>/netwerk", methods=["GET", "POST"])
@role_required("worker")
def network(resident_id: int):
    resident = open_resident(resident_id, "network")
    form = _form()
    if form.validate_on_submit() and (member := _save(form, resident, None)) is not None:
        flash(_("%(name)s staat nu in het netwerk van %(resident)s.", name=member.name,
                resident=resident.name), "success")
        return _back(resident)
    about = own_request(resident, request.args.get("hulpvraag"))
    return render_template("casework/network.html", resident=resident, form=form,
                           members=services.network_of(resident.id), about=about,
                           relation_labels=RELATION_LABELS), 422 if form.errors else 200


@casework_bp.route("/dossier/<int:resident_id>/netwerk/<int:member_id>/wijzigen",
                   methods=["GET", "POST"])
@role_required("worker")
def network_edit(resident_id: int, member_id: int):
    resident = open_resident(resident_id, "network")
    member = _member(resident, member_id)
    form = _form() if request.method == "POST" else _form(obj=member)
    if form.validate_on_submit() and _save(form, resident, member.id) is not None:
        flash(_("De gegevens van %(name)s zijn opgeslagen.", name=member.name), "success")
        return redirect(url_for("casework.network", resident_id=resident.id))
    return render_template("casework/network_edit.html", resident=resident, member=member,
                           form=form), 422 if form.errors else 200


@casework_bp.route("/dossier/<int:resident_id>/netwerk/<int:member_id>/verwijderen",
                   methods=["GET", "POST"])
@role_required("worker")
def network_delete(resident_id: int, member_id: int):
    resident = open_resident(resident_id, "network")
    member = _member(resident, member_id)
    form = DeleteForm()
    if form.validate_on_submit():
        name = member.name
        services.delete_member(resident, member.id)
        _changed(resident, member_id, "removed")
        db.session.commit()
        flash(_("%(name)s staat niet meer in het netwerk van %(resident)s.", name=name,
                resident=resident.name), "success")
        return redirect(url_for("casework.network", resident_id=resident.id))
    return render_template("casework/network_delete.html", resident=resident, member=member,
                           form=form, relation_labels=RELATION_LABELS)
