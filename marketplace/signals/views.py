"""Signals on the web: anyone reports a worry ("Ik maak me zorgen om iemand"), also without
an account (public_views.py); workers of the area see the signals with their respond-by
date, take them, log each attempt to reach the person, and record what came of the
outreach. A signal of another area answers 404, like a missing one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts import audit
from marketplace.accounts.loading import role_required
from marketplace.accounts.models import User
from marketplace.clock import today
from marketplace.errors import DomainError, NotFound
from marketplace.extensions import db
from marketplace.signals import public_views as public
from marketplace.signals import services
from marketplace.signals.forms import (
    ATTEMPT_METHOD_LABELS,
    OUTCOME_LABELS,
    STATUS_LABELS,
    AssignForm,
    AttemptForm,
    OutcomeForm,
    SignalForm,
    apply_errors,
    worker_choices,
)
from marketplace.signals.models import Signal
from marketplace.signals.rules import is_overdue

signals_bp = Blueprint("signals", __name__)

# Where "take this signal" leads back to; anything else goes to the signal's own page.
BACK = {"werklijst": "worker.worklist", "signalen": "signals.index"}


@signals_bp.app_template_global("signal_overdue")
def signal_overdue(signal: Signal) -> bool:
    return is_overdue(signal.respond_by, signal.status, today(), signal.first_attempt_on)


@signals_bp.app_template_global("signal_today")
def signal_today():
    """Today in the Netherlands: the respond-by dates are Dutch calendar days."""
    return today()


@signals_bp.route("/zorg-melden", methods=["GET", "POST"])
def new():
    if not current_user.is_authenticated:
        return public.new_without_account()
    form = SignalForm()
    if form.validate_on_submit():
        try:
            signal = services.report(current_user, postcode=form.postcode.data,
                                     concern=form.concern.data, about=form.about.data or None)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            return redirect(url_for(".thanks", signal_id=signal.id))
    return render_template("signals/new.html", form=form)


signals_bp.add_url_rule("/zorg-melden/ontvangen", "received", public.received,
                        methods=["GET"])


@signals_bp.get("/zorg-melden/bedankt/<int:signal_id>")
@role_required()
def thanks(signal_id: int):
    """The reporter's receipt: when and where, and (like the mail) whether it was handled.
    Never what the worker did. Anyone but the reporter gets 404."""
    signal = db.session.get(Signal, signal_id) if 0 < signal_id <= services.MAX_ID else None
    if signal is None or signal.reporter_id != current_user.id:
        abort(404)
    return render_template("signals/thanks.html", signal=signal)


@signals_bp.get("/signalen/")
@role_required("worker")
def index():
    handled = request.args.get("toon") == "afgehandeld"
    rows = services.handled_signals(current_user) if handled else services.open_signals(
        current_user)
    return render_template("signals/index.html", signals=rows, handled=handled,
                           status_labels=STATUS_LABELS, outcome_labels=OUTCOME_LABELS,
                           names=_names(s.assigned_worker_id for s in rows))


def _visible(signal_id: int) -> Signal:
    try:
        return services.get_for_worker(current_user, signal_id)
    except NotFound:
        abort(404)


def _names(ids) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {u.id: u.name for u in db.session.scalars(select(User).where(User.id.in_(wanted)))}


def _assign_choices(form: AssignForm, signal: Signal, *, include_self: bool = True) -> None:
    """Colleagues of the area, without the one who has the signal now. The signed-in worker
    has the "Ik pak dit signaal op" button, so the list on the page leaves them out; a POST of
    the own id (that button, or the worklist) is still a valid choice."""
    skip = {signal.assigned_worker_id} | (set() if include_self else {current_user.id})
    form.worker_id.choices = [
        c for c in worker_choices(services.colleagues(signal), current_user.id)
        if c.value not in skip]


def _page(signal: Signal, assign_form: AssignForm | None = None,
          outcome_form: OutcomeForm | None = None, attempt_form: AttemptForm | None = None):
    """The signal's page, also when a form on it is shown again: every showing of the
    concern and the attempts' notes goes into the audit trail."""
    audit.record("signal.viewed", actor_id=current_user.id, subject_user_id=signal.resident_id,
                 object_type="signal", object_id=signal.id, ip=request.remote_addr)
    audit.commit_read()
    assign_form = assign_form or AssignForm(formdata=None)
    if assign_form.worker_id.choices == []:
        _assign_choices(assign_form, signal, include_self=False)
    actors = _names([e.actor_id for e in signal.events]
                    + [a.worker_id for a in signal.attempts]
                    + [signal.reporter_id, signal.assigned_worker_id])
    return render_template(
        "signals/detail.html", signal=signal, assign_form=assign_form,
        outcome_form=outcome_form or OutcomeForm(formdata=None),
        attempt_form=attempt_form or AttemptForm(formdata=None), actors=actors,
        status_labels=STATUS_LABELS, outcome_labels=OUTCOME_LABELS,
        method_labels=ATTEMPT_METHOD_LABELS,
        mine=signal.assigned_worker_id == current_user.id)


@signals_bp.get("/signalen/<int:signal_id>")
@role_required("worker")
def detail(signal_id: int):
    return _page(_visible(signal_id))


def _already_handled(signal: Signal):
    flash(_("Dit signaal is al afgehandeld."), "info")
    return redirect(url_for(".detail", signal_id=signal.id))


@signals_bp.post("/signalen/<int:signal_id>/toewijzen")
@role_required("worker")
def assign(signal_id: int):
    signal = _visible(signal_id)
    if signal.status == "handled":
        return _already_handled(signal)
    form = AssignForm()
    _assign_choices(form, signal)
    if form.validate_on_submit():
        worker = db.session.get(User, form.worker_id.data)
        try:
            if worker is None:
                raise DomainError(_("Kies een collega uit de lijst."), field="worker_id")
            services.assign(current_user, signal, worker, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("U heeft dit signaal opgepakt.") if worker.id == current_user.id
                  else _("%(name)s pakt dit signaal op.", name=worker.name), "success")
            back = BACK.get(request.form.get("terug", ""))
            return redirect(url_for(back) if back else url_for(".detail", signal_id=signal.id))
    return _page(signal, assign_form=form)


@signals_bp.post("/signalen/<int:signal_id>/pogingen")
@role_required()
def attempt(signal_id: int):
    """Log one try to reach the person. Anyone but a worker of the area gets 404: the
    signal and its notes are not theirs to know of."""
    signal = _visible(signal_id)
    if signal.status == "handled":
        return _already_handled(signal)
    form = AttemptForm()
    if form.validate_on_submit():
        try:
            services.log_attempt(current_user, signal, on=form.attempted_on.data or today(),
                                 method=form.method.data,
                                 reached={"yes": True, "no": False}.get(form.reached.data),
                                 note=form.note.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("De contactpoging is vastgelegd."), "success")
            return redirect(url_for(".detail", signal_id=signal.id, _anchor="pogingen"))
    return _page(signal, attempt_form=form)


@signals_bp.post("/signalen/<int:signal_id>/uitkomst")
@role_required("worker")
def outcome(signal_id: int):
    signal = _visible(signal_id)
    if signal.status == "handled":
        return _already_handled(signal)
    form = OutcomeForm()
    if form.validate_on_submit():
        try:
            services.record_outcome(current_user, signal, form.outcome.data, form.note.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("De uitkomst is vastgelegd. De melder krijgt alleen bericht dat het "
                    "signaal is opgepakt."), "success")
            return redirect(url_for(".detail", signal_id=signal.id))
    return _page(signal, outcome_form=form)
