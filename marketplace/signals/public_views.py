"""The signed-out side of /zorg-melden: the form, the throttle, the receipt without a number.

Registered on the signals blueprint; `views.new` hands a visitor who is not signed in here.
"""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.signals import services
from marketplace.signals.forms import apply_errors
from marketplace.signals.public import PublicSignalForm, allow, public_limit


def new_without_account():
    form = PublicSignalForm()
    status = 200
    if form.validate_on_submit():
        if not allow(request.remote_addr or "", public_limit(current_app.config)):
            db.session.rollback()
            form.form_errors.append(_("U heeft in korte tijd veel meldingen gedaan. Probeer het "
                                      "over een uur nog eens. Is er nu gevaar? Bel dan 112."))
            status = 429
        else:
            try:
                services.report(None, postcode=form.postcode.data, concern=form.concern.data,
                                about=form.about.data or None, contact=form.contact.data or None)
            except DomainError as error:
                db.session.rollback()
                apply_errors(form, error)
            else:
                db.session.commit()
                return redirect(url_for("signals.received"))
    return render_template("signals/new.html", form=form, public=True), status


def received():
    """The same page after every accepted report: no number, nothing to look up."""
    return render_template("signals/received.html")
