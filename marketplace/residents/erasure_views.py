""""Mijn gegevens wissen" for residents and volunteers, and erasure at the desk by a worker
of the person's area or an administrator. Thin: the confirmation step here, the work in
``residents.erasure``."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from marketplace.accounts.loading import role_required
from marketplace.accounts.models import User
from marketplace.accounts.passwords import verify_password
from marketplace.boundary import MAX_ID
from marketplace.casework.services import can_open_file
from marketplace.extensions import db
from marketplace.residents.erasure import can_be_erased, erase_person
from marketplace.residents.erasure_forms import EraseAtDeskForm, EraseMineForm

erasure_bp = Blueprint("erasure", __name__)


def _password_ok(password_hash: str, password: str) -> bool:
    try:
        return verify_password(password_hash, password)
    except UnicodeError:  # a lone surrogate cannot be a password anyone typed
        return False


@erasure_bp.route("/mijn-gegevens/wissen", methods=["GET", "POST"])
@role_required("resident", "volunteer")
def mine():
    user = current_user
    if not can_be_erased(user):
        return render_template("residents/erase_staff.html"), 409
    form = EraseMineForm()
    if form.validate_on_submit():
        if (form.email.data or "").strip().lower() != (user.email or "").lower():
            form.email.errors.append(_("Dit is niet het e-mailadres van uw account."))
        elif user.password_hash and not form.password.data:
            form.password.errors.append(_("Vul dit veld in."))
        elif user.password_hash and not _password_ok(user.password_hash, form.password.data):
            form.password.errors.append(_("Dit is niet uw wachtwoord."))
        else:
            erase_person(user, actor=user)
            db.session.commit()
            logout_user()
            session.clear()
            return redirect(url_for("erasure.done"))
    return render_template("residents/erase.html", form=form,
                           needs_password=bool(user.password_hash))


@erasure_bp.get("/gegevens-gewist")
def done():
    return render_template("residents/erased.html")


def may_erase_at_desk(staff: User, person: User) -> bool:
    """An administrator for anyone who is not staff; a worker for residents of their area."""
    if person.id == staff.id or not can_be_erased(person):
        return False
    return staff.has_role("admin") or (staff.has_role("worker") and can_open_file(staff, person))


@erasure_bp.route("/gegevens-wissen/<int:user_id>", methods=["GET", "POST"])
@role_required("worker", "admin")
def at_desk(user_id: int):
    person = db.session.get(User, user_id) if user_id <= MAX_ID else None
    if person is None or not may_erase_at_desk(current_user, person):
        abort(404)
    form = EraseAtDeskForm()
    if form.validate_on_submit():
        if (form.name.data or "").strip().casefold() != person.name.strip().casefold():
            form.name.errors.append(_("Typ de naam precies zoals hij hier staat."))
        else:
            erase_person(person, actor=current_user)
            db.session.commit()
            flash(_("De gegevens van deze persoon zijn gewist."), "success")
            if current_user.has_role("admin"):
                return redirect(url_for("admin.users"))
            return redirect(url_for("worker.worklist"))
    return render_template("residents/erase_desk.html", form=form, person=person)
