"""API: signals (CONTRACT.md §5). Anyone signed in reports a worry; workers of the area list
their open signals, take one, log attempts to reach the person and record the outcome. A
signal of another area is 404."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.accounts import audit
from marketplace.accounts.models import User
from marketplace.api import api_bp
from marketplace.api.auth import api_user, roles_required
from marketplace.api.body import json_fields
from marketplace.clock import today
from marketplace.errors import ValidationFailed
from marketplace.extensions import db
from marketplace.signals import services
from marketplace.signals.models import Signal
from marketplace.signals.rules import is_overdue


def receipt(signal: Signal) -> dict[str, Any]:
    """What the reporter gets back: no more than that the signal is on its way."""
    return {"id": signal.id, "status": signal.status, "respond_by": signal.respond_by.isoformat()}


def signal_dict(signal: Signal) -> dict[str, Any]:
    """The full signal, for workers of its area."""
    return {
        **receipt(signal),
        "pc4": signal.pc4,
        "area": signal.area.code if signal.area else None,
        "concern": signal.concern,
        "about": signal.about,
        "overdue": is_overdue(signal.respond_by, signal.status, today(),
                              signal.first_attempt_on),
        "assigned_worker_id": signal.assigned_worker_id,
        "outcome": signal.outcome,
        "outcome_note": signal.outcome_note,
        "created_at": signal.created_at.isoformat(),
        "handled_at": signal.handled_at.isoformat() if signal.handled_at else None,
        "events": [{"at": e.at.isoformat(), "action": e.action, "actor_id": e.actor_id,
                    "note": e.note} for e in signal.events],
        "first_attempt_on": (signal.first_attempt_on.isoformat()
                             if signal.first_attempt_on else None),
        "attempts": [{"attempted_on": a.attempted_on.isoformat(), "method": a.method,
                      "reached": a.reached, "note": a.note, "worker_id": a.worker_id}
                     for a in signal.attempts],
    }


@api_bp.post("/signals")
def create_signal():
    fields = json_fields()
    errors = fields.errors
    postcode = fields.text("postcode", required=True)
    concern = fields.text("concern", required=True)
    about = fields.text("about")
    try:
        signal = services.report(api_user(), postcode=postcode or "", concern=concern or "",
                                 about=about)
    except ValidationFailed as error:
        # Every field's problem at once: the type checks above and the service's rules.
        for key, messages in error.errors.items():
            errors.setdefault(key, messages)
    if errors:
        raise ValidationFailed(errors)  # the API's error handler rolls back
    db.session.commit()
    return jsonify(receipt(signal)), 201


@api_bp.get("/signals")
@roles_required("worker")
def list_signals():
    rows = services.open_signals(api_user())
    audit.record("signals.listed", actor_id=api_user().id, object_type="signal",
                 detail={"count": len(rows)}, ip=request.remote_addr)
    db.session.commit()
    return jsonify([signal_dict(s) for s in rows])


def _visible(signal_id: int) -> Signal:
    signal = services.get_for_worker(api_user(), signal_id)
    audit.record("signal.viewed", actor_id=api_user().id, subject_user_id=signal.resident_id,
                 object_type="signal", object_id=signal.id, ip=request.remote_addr)
    return signal


@api_bp.get("/signals/<int:signal_id>")
@roles_required("worker")
def get_signal(signal_id: int):
    signal = _visible(signal_id)
    db.session.commit()
    return jsonify(signal_dict(signal))


@api_bp.post("/signals/<int:signal_id>/assign")
@roles_required("worker")
def assign_signal(signal_id: int):
    """Body {"worker_id"?, "reason"?}: without worker_id the caller takes it."""
    signal = _visible(signal_id)
    body = json_fields(optional_body=True)
    worker_id = body.ident("worker_id") if "worker_id" in body else api_user().id
    reason = body.text("reason")
    worker = None
    if worker_id is not None and worker_id <= services.MAX_ID:
        worker = db.session.scalar(select(User).where(User.id == worker_id))
    if worker is None and "worker_id" not in body.errors:
        body.error("worker_id", _("Deze welzijnswerker bestaat niet."))
    body.check()
    services.assign(api_user(), signal, worker, reason)
    db.session.commit()
    return jsonify(signal_dict(signal))


@api_bp.post("/signals/<int:signal_id>/attempts")
@roles_required("worker")
def signal_attempt(signal_id: int):
    """Body {"method", "reached", "attempted_on"? (default today), "note"?}."""
    signal = _visible(signal_id)
    fields = json_fields()
    method = fields.text("method", required=True)
    reached = fields.boolean("reached", required=True)
    on = fields.date("attempted_on") if "attempted_on" in fields else today()
    note = fields.text("note")
    fields.check()
    services.log_attempt(api_user(), signal, on=on, method=method or "", reached=reached,
                         note=note)
    db.session.commit()
    return jsonify(signal_dict(signal)), 201


@api_bp.post("/signals/<int:signal_id>/outcome")
@roles_required("worker")
def signal_outcome(signal_id: int):
    """Body {"outcome", "note"?}; the reporter hears only that it was handled."""
    signal = _visible(signal_id)
    fields = json_fields()
    outcome = fields.text("outcome", required=True)
    note = fields.text("note")
    fields.check()
    services.record_outcome(api_user(), signal, outcome or "", note)
    db.session.commit()
    return jsonify(signal_dict(signal))
