"""The worker's page of residents' offers to give something back ("Iets terugdoen"), and
recording what came of one. An offer outside the worker's areas answers 404, like a
missing one; each view of the list is on the audit trail."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from marketplace.accounts import audit
from marketplace.accounts.loading import role_required
from marketplace.boundary import MAX_ID
from marketplace.errors import DomainError, NotFound, apply_errors
from marketplace.extensions import db
from marketplace.i18n import translated
from marketplace.reciprocity import offers
from marketplace.reciprocity.views import CHOICES

offers_bp = Blueprint("reciprocity_offers", __name__, url_prefix="/werk/teruggeven")

FOLLOW_UP_LABELS = {
    "contacted": _l("Opgepakt: er is contact geweest"),
    "volunteer": _l("Opgepakt: is vrijwilliger geworden"),
    "activity": _l("Opgepakt: helpt bij een activiteit"),
    "neighbour": _l("Opgepakt: helpt een buur"),
    "not_needed": _l("Niet meer nodig"),
}
OFFER_LABELS = {c.value: c.label for c in CHOICES if c.value != "not_now"}


class FollowUpForm(FlaskForm):
    follow_up = RadioField(
        _l("Wat is er met dit aanbod gebeurd?"),
        choices=[SelectChoice(code, label) for code, label in FOLLOW_UP_LABELS.items()],
        validators=[InputRequired(_l("Kies wat er met het aanbod is gebeurd."))])
    submit = SubmitField(_l("Opslaan"))


def _after() -> int | None:
    value = request.args.get("na", "")
    return int(value) if re.fullmatch(r"[0-9]{1,10}", value) and int(value) <= MAX_ID \
        else None


@offers_bp.get("/")
@role_required("worker")
def index(forms: dict | None = None):
    after = _after()
    waiting, next_after = offers.open_offers(current_user, after)
    done = offers.followed_up(current_user)
    # Who offered what is personal data: each view of the list is on the audit trail.
    audit.record("reciprocity.offers_listed", actor_id=current_user.id,
                 object_type="reciprocity_invitation",
                 detail={"ids": [o.id for o in (*waiting, *done)]}, ip=request.remote_addr)
    audit.commit_read()
    return render_template("reciprocity/offers.html", waiting=waiting, done=done,
                           next_after=next_after, paged=after is not None,
                           forms=forms or {}, form_class=FollowUpForm,
                           offer_labels=translated(OFFER_LABELS),
                           follow_up_labels=translated(FOLLOW_UP_LABELS))


@offers_bp.post("/<int:invitation_id>")
@role_required("worker")
def follow_up(invitation_id: int):
    if invitation_id > MAX_ID:
        abort(404)
    form = FollowUpForm(prefix=f"o{invitation_id}")
    if not form.validate_on_submit():
        try:
            offers.offer_for(current_user, invitation_id)
        except NotFound:
            abort(404)
        return index(forms={invitation_id: form})
    try:
        found = offers.follow_up(current_user, invitation_id, form.follow_up.data)
    except NotFound:
        abort(404)
    except DomainError as error:
        db.session.rollback()
        apply_errors(form, error)
        return index(forms={invitation_id: form})
    db.session.commit()
    flash(_("Opgeslagen: %(what)s.", what=translated(FOLLOW_UP_LABELS)[found.follow_up]),
          "success")
    return redirect(url_for("reciprocity_offers.index", _anchor="afgehandeld"))
