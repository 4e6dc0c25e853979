"""Referral to the 2nd line (only when necessary) and the step-down back to the 0th line;
the administrator keeps the list of partner organisations workers refer to."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from marketplace.accounts.loading import role_required
from marketplace.accounts.models import User
from marketplace.casework import file as casefile
from marketplace.casework import referrals
from marketplace.casework.blueprint import (
    MAX_ID,
    casework_bp,
    open_resident,
    own_request,
    request_choices,
)
from marketplace.casework.forms import PartnerForm, ReferralForm, ReferralStepForm
from marketplace.casework.labels import (
    LINE_LABELS,
    REFERRAL_STATUS_LABELS,
    REFERRAL_STEP_LABELS,
)
from marketplace.casework.models import PartnerOrganisation
from marketplace.errors import DomainError, NotFound, apply_errors
from marketplace.extensions import db


def referrals_page(resident: User, form: ReferralForm | None = None,
                   step_form: ReferralStepForm | None = None, step_for: int | None = None):
    form = form or ReferralForm(formdata=None)
    fill_referral_form(form, resident)
    return render_template(
        "casework/referrals.html", resident=resident, form=form,
        referrals=referrals.referrals_of(resident), next_steps=referrals.NEXT,
        status_labels=REFERRAL_STATUS_LABELS, step_labels=REFERRAL_STEP_LABELS,
        line_labels=LINE_LABELS, step_form=step_form, step_for=step_for,
        has_partners=bool(referrals.partners()))


def fill_referral_form(form: ReferralForm, resident: User) -> None:
    form.partner_id.choices = [SelectChoice("", _("Kies een organisatie"))] + [
        SelectChoice(str(p.id), f"{p.name} ({LINE_LABELS[p.line]})" if p.line in LINE_LABELS
                     else p.name) for p in referrals.partners()]
    form.request_id.choices = request_choices(resident, active_only=True)


@casework_bp.route("/dossier/<int:resident_id>/verwijzen", methods=["GET", "POST"])
@role_required("worker")
def refer(resident_id: int):
    resident = open_resident(resident_id, "referral")
    form = ReferralForm()
    fill_referral_form(form, resident)
    if form.validate_on_submit():
        try:
            referrals.refer(current_user, resident,
                            partner_id=int(form.partner_id.data or 0),
                            reason=form.reason.data, consent=form.consent.data,
                            request=own_request(resident, form.request_id.data))
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("De verwijzing is vastgelegd."), "success")
            return redirect(url_for("casework.refer", resident_id=resident.id,
                                    _anchor="verwijzingen"))
    return referrals_page(resident, form=form)


@casework_bp.post("/dossier/<int:resident_id>/verwijzingen/<int:referral_id>")
@role_required("worker")
def referral_step(resident_id: int, referral_id: int):
    resident = open_resident(resident_id, "referral")
    try:
        referral = casefile.referral_of(resident, referral_id) if referral_id <= MAX_ID else None
    except NotFound:
        referral = None
    if referral is None:
        abort(404)
    form = ReferralStepForm()
    if form.validate_on_submit():
        try:
            referrals.move(current_user, referral, form.status.data, form.note.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            if referral.status == "stepped_down":
                flash(_("De inwoner is terug in de buurt. Zet in het plan wie nu wat doet: "
                        "het netwerk, een vrijwilliger of een vereniging."), "success")
            else:
                flash(_("De verwijzing staat nu op: %(status)s.",
                        status=REFERRAL_STATUS_LABELS[referral.status]), "success")
            return redirect(url_for("casework.refer", resident_id=resident.id,
                                    _anchor=f"verwijzing-{referral.id}"))
    return referrals_page(resident, step_form=form, step_for=referral.id)


# --- The administrator's list of partner organisations ---

@casework_bp.get("/beheer/partners")
@role_required("admin")
def partners():
    return render_template("casework/partners.html", partners=referrals.partners(False),
                           line_labels=LINE_LABELS)


def save_partner_form(form: PartnerForm, partner: PartnerOrganisation | None):
    try:
        saved = referrals.save_partner(
            form.name.data, line=int(form.line.data), kind=form.kind.data,
            contact=form.contact.data, active=form.active.data,
            partner_id=partner.id if partner else None)
    except DomainError as error:
        db.session.rollback()
        apply_errors(form, error)
        return None
    db.session.commit()
    flash(_("%(name)s is opgeslagen.", name=saved.name), "success")
    return redirect(url_for("casework.partners"))


@casework_bp.route("/beheer/partners/nieuw", methods=["GET", "POST"])
@role_required("admin")
def partner_new():
    form = PartnerForm()
    if form.validate_on_submit() and (response := save_partner_form(form, None)) is not None:
        return response
    return render_template("casework/partner_form.html", form=form, partner=None)


@casework_bp.route("/beheer/partners/<int:partner_id>", methods=["GET", "POST"])
@role_required("admin")
def partner_edit(partner_id: int):
    partner = db.session.get(PartnerOrganisation, partner_id) if partner_id <= MAX_ID else None
    if partner is None:
        abort(404)
    form = PartnerForm(obj=partner)
    if not form.is_submitted():
        form.line.data = str(partner.line)
    if form.validate_on_submit() and (response := save_partner_form(form, partner)) is not None:
        return response
    return render_template("casework/partner_form.html", form=form, partner=partner)
