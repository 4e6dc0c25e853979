"""Pages of partner contacts (their actions on residents' plans), the worker's consent per
partner, and the administrator's link between a contact and an organisation.

A plan action the contact may not see (another organisation, no consent) answers 404, as a
missing one does."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from marketplace.accounts.loading import role_required
from marketplace.accounts.models import User
from marketplace.boundary import MAX_ID
from marketplace.casework.blueprint import open_resident
from marketplace.casework.labels import REFERRAL_STATUS_LABELS
from marketplace.casework.referrals import partners
from marketplace.errors import DomainError, NotFound
from marketplace.extensions import db
from marketplace.i18n import translated
from marketplace.partners import referrals, services
from marketplace.partners.forms import STATUS_LABELS, AnswerForm, ContactForm, ReportForm
from marketplace.signals.forms import apply_errors

partners_bp = Blueprint("partners", __name__)


@partners_bp.app_template_global("partner_report_of")
def partner_report_of(action_id: int):
    """For the worker's plan page: what the partner reported on this action, if anything."""
    return services.reports_for([action_id]).get(action_id)


@partners_bp.app_template_global("partner_status_label")
def partner_status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def _after() -> int | None:
    """The keyset of a paged partner list (`?na=<last id shown>`); anything else: none."""
    value = request.args.get("na", "")
    return int(value) if re.fullmatch(r"[0-9]{1,10}", value) and int(value) <= MAX_ID else None


def _save(form: Any, act: Callable[[], object], message: str, back: str) -> Any:
    """A partner's answer (a plan action's report, a referral's next step): validate, act
    (a DomainError lands on the form), commit, and back to the same page of the list.
    None when the form must be shown again."""
    if not form.validate_on_submit():
        return None
    try:
        act()
    except DomainError as error:
        db.session.rollback()
        apply_errors(form, error)
        return None
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(back, na=request.args.get("na")))


def _page(forms: dict[int, ReportForm] | None = None):
    after = _after()
    page = services.actions_for(current_user, after=after, ip=request.remote_addr)
    db.session.commit()  # the audit of the read
    forms = forms or {}
    for item in page.items:
        if item.action.id not in forms:
            form = ReportForm(formdata=None, prefix=f"a{item.action.id}")
            if item.report is not None:
                form.status.data, form.note.data = item.report.status, item.report.note
            forms[item.action.id] = form
    return render_template("partners/actions.html", items=page.items, forms=forms,
                           next_after=page.next_after, after=after,
                           organisation=services.organisation_of(current_user),
                           status_labels=STATUS_LABELS)


@partners_bp.get("/partner/")
@role_required("partner")
def actions():
    return _page()


@partners_bp.post("/partner/acties/<int:action_id>")
@role_required("partner")
def report(action_id: int):
    if action_id > MAX_ID:
        abort(404)
    try:
        services.action_for(current_user, action_id)
    except NotFound:
        abort(404)
    form = ReportForm(prefix=f"a{action_id}")
    done = _save(form, lambda: services.report(current_user, action_id, form.status.data,
                                               form.note.data),
                 _("Doorgegeven. De welzijnswerker ziet het in het plan."), "partners.actions")
    return done or (_page({action_id: form}), 200)


@partners_bp.route("/dossier/<int:resident_id>/partners", methods=["GET", "POST"])
@role_required("worker")
def consent(resident_id: int):
    resident = open_resident(resident_id, "partner_consent")
    choices = partners()
    if request.method == "POST":
        wanted = {v for v in request.form.getlist("partner") if v.isdigit()}
        for partner in choices:
            services.set_consent(resident, partner, str(partner.id) in wanted,
                                 worker=current_user)
        db.session.commit()
        flash(_("De toestemming per partner is opgeslagen."), "success")
        return redirect(url_for("partners.consent", resident_id=resident.id))
    db.session.commit()  # the audit of the read
    return render_template("partners/consent.html", resident=resident, partners=choices,
                           consented=services.consented_partner_ids(resident.id))


@partners_bp.route("/beheer/partnercontacten", methods=["GET", "POST"])
@role_required("admin")
def contacts():
    form = ContactForm()
    people = services.contacts()
    form.user_id.choices = [SelectChoice(u.id, f"{u.name} ({u.email or '-'})")
                            for u, _org in people]
    form.partner_id.choices = [SelectChoice(p.id, p.name) for p in partners()]
    if form.validate_on_submit():
        user = db.session.get(User, form.user_id.data)
        partner = services.find_partner(str(form.partner_id.data))
        try:
            if user is None or partner is None:
                raise DomainError(_("Kies een contactpersoon uit de lijst."), field="user_id")
            services.set_contact(user, partner, actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s hoort nu bij %(org)s.", name=user.name, org=partner.name),
                  "success")
            return redirect(url_for("partners.contacts"))
    return render_template("partners/contacts.html", form=form, people=people)


# Referrals to the contact's organisation (partners/referrals.py) -----------------------

def _referrals_page(forms: dict[int, AnswerForm] | None = None):
    after = _after()
    page = referrals.referrals_for(current_user, after=after, ip=request.remote_addr)
    db.session.commit()  # the audit of the read
    forms = forms or {}
    for item in page.items:
        if item.referral.id not in forms:
            forms[item.referral.id] = AnswerForm(formdata=None,
                                                 prefix=f"v{item.referral.id}").offer(
                item.answers)
    return render_template("partners/referrals.html", items=page.items, forms=forms,
                           next_after=page.next_after, after=after,
                           organisation=services.organisation_of(current_user),
                           status_labels=translated(REFERRAL_STATUS_LABELS))


@partners_bp.get("/partner/verwijzingen")
@role_required("partner")
def referrals_list():
    return _referrals_page()


@partners_bp.post("/partner/verwijzingen/<int:referral_id>")
@role_required("partner")
def answer_referral(referral_id: int):
    if referral_id > MAX_ID:
        abort(404)
    try:
        referral = referrals.referral_for(current_user, referral_id)
    except NotFound:
        abort(404)
    form = AnswerForm(prefix=f"v{referral_id}").offer(referrals.ANSWERS[referral.status])
    done = _save(form, lambda: referrals.answer(current_user, referral_id, form.status.data,
                                                form.note.data),
                 _("Doorgegeven. De welzijnswerker ziet het bij de verwijzing."),
                 "partners.referrals_list")
    return done or (_referrals_page({referral_id: form}), 200)
