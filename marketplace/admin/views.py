"""The administrator manages users, their roles and areas, and the areas themselves."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from marketplace.accounts import services as accounts
from marketplace.accounts.forms import ROLE_LABELS
from marketplace.admin.blueprint import admin_bp
from marketplace.admin.forms import (
    KIND_LABELS,
    SETTING_FIELDS,
    AreaForm,
    UserForm,
    UserSearchForm,
)
from marketplace.areas import services as areas
from marketplace.areas import settings as area_settings
from marketplace.areas.models import Area
from marketplace.boundary import MAX_ID
from marketplace.cleaning import whole_number
from marketplace.errors import DomainError
from marketplace.extensions import db

PAGE_SIZE = 50


@admin_bp.get("/")
def index():
    return redirect(url_for("admin.users"))


@admin_bp.get("/gebruikers")
def users():
    form = UserSearchForm(request.args)
    # Keyset paging on (name, id): the page after or before the user named by id.
    found = accounts.search_users(form.q.data or "", form.role.data or None, limit=PAGE_SIZE,
                                  after=whole_number(request.args.get("na"), MAX_ID),
                                  before=whole_number(request.args.get("voor"), MAX_ID))
    return render_template("admin/users.html", form=form, found=found, users=found.users,
                           total=found.total, role_labels=ROLE_LABELS)


def _area_label(area: Area, depth: int) -> str:
    return "— " * depth + f"{area.name} ({KIND_LABELS[area.kind]})"


def _area_choices() -> list[SelectChoice]:
    return [SelectChoice(a.id, _area_label(a, depth)) for a, depth in areas.tree()]


def _apply_error(form, error: DomainError) -> None:
    field = getattr(form, error.field or "", None)
    (field.errors if field is not None else form.form_errors).append(error.message)


@admin_bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
def user_new():
    form = UserForm()
    form.areas.choices = _area_choices()
    if form.validate_on_submit():
        try:
            chosen = [db.session.get(Area, i) for i in form.areas.data]
            user = accounts.create_user(
                form.email.data or None, form.name.data, roles=form.roles.data,
                areas=[a for a in chosen if a], confirmed=True, actor_id=current_user.id,
            )
            accounts.set_active(user, form.is_active.data, actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            _apply_error(form, error)
        else:
            db.session.commit()
            flash(_("Gebruiker %(name)s is aangemaakt.", name=user.name), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=None)


@admin_bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    user = db.session.get(accounts.User, user_id) or abort(404)
    form = UserForm(obj=user)
    form.areas.choices = _area_choices()
    if request.method == "GET":
        form.roles.data = user.roles
        form.areas.data = [a.id for a in user.areas]
    if form.validate_on_submit():
        try:
            if user.id == current_user.id and "admin" not in form.roles.data:
                raise DomainError(_("U kunt uw eigen beheerdersrol niet afnemen."), field="roles")
            if user.id == current_user.id and not form.is_active.data:
                raise DomainError(_("U kunt uw eigen account niet blokkeren."),
                                  field="is_active")
            new_email = accounts.normalise_email(form.email.data) if form.email.data else None
            if new_email != user.email:
                other = accounts.find_by_email(new_email) if new_email else None
                if other is not None and other.id != user.id:
                    raise DomainError(_("Er is al een account met dit e-mailadres."),
                                      field="email")
                user.email = new_email
            user.name = form.name.data.strip()
            accounts.set_roles(user, form.roles.data, actor_id=current_user.id)
            chosen = [db.session.get(Area, i) for i in form.areas.data]
            accounts.set_areas(user, [a for a in chosen if a], actor_id=current_user.id)
            accounts.set_active(user, form.is_active.data, actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            _apply_error(form, error)
        else:
            db.session.commit()
            flash(_("De gegevens van %(name)s zijn opgeslagen.", name=user.name), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=user)


@admin_bp.get("/gebieden")
def areas_list():
    return render_template("admin/areas.html", tree=areas.tree(), kind_labels=KIND_LABELS)


def _fill_area_form(form: AreaForm, area: Area | None) -> None:
    form.parent.choices = [SelectChoice("", _("Niets (bovenste niveau)"))] + [
        SelectChoice(a.code, _area_label(a, depth)) for a, depth in areas.tree()
        if area is None or (a.id != area.id and f"/{area.id}/" not in a.path)
    ]
    for key in SETTING_FIELDS[1:]:
        field = getattr(form, key)
        field.description = _("Leeg laten: zoals het bovenliggende gebied.")
        if area is not None:
            # Say what an empty field means here, so nobody has to look it up higher up.
            field.description = _(
                "Leeg laten: zoals het bovenliggende gebied (nu %(value)s).",
                value=area_settings.effective(area.parent, key),
            )


def _save_area(form: AreaForm, area: Area | None):
    try:
        saved = areas.save_area(form.code.data, form.name.data, form.kind.data,
                                parent_code=form.parent.data or None, actor_id=current_user.id,
                                area=area)
        areas.set_postcodes(saved, form.pc4.data or "")
        for key in SETTING_FIELDS:
            area_settings.set_value(saved, key, getattr(form, key).data)
    except DomainError as error:
        db.session.rollback()
        _apply_error(form, error)
        return None
    db.session.commit()
    flash(_("Gebied %(name)s is opgeslagen.", name=saved.name), "success")
    return redirect(url_for("admin.area_edit", area_id=saved.id))


@admin_bp.route("/gebieden/nieuw", methods=["GET", "POST"])
def area_new():
    form = AreaForm()
    _fill_area_form(form, None)
    if form.validate_on_submit():
        if areas.get_by_code(form.code.data):
            form.code.errors.append(_("Er is al een gebied met deze code."))
        elif (response := _save_area(form, None)) is not None:
            return response
    return render_template("admin/area_form.html", form=form, area=None)


@admin_bp.route("/gebieden/<int:area_id>", methods=["GET", "POST"])
def area_edit(area_id: int):
    area = db.session.get(Area, area_id) or abort(404)
    form = AreaForm(obj=area)
    _fill_area_form(form, area)
    if request.method == "GET":
        form.parent.data = area.parent.code if area.parent else ""
        form.pc4.data = ", ".join(p.pc4 for p in area.postcodes)
        own = area_settings.own_values(area)
        for key in SETTING_FIELDS:
            getattr(form, key).data = own.get(key, "")
    if form.validate_on_submit() and (response := _save_area(form, area)) is not None:
        return response
    return render_template("admin/area_form.html", form=form, area=area,
                           kind_labels=KIND_LABELS)
