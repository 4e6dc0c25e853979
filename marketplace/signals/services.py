"""Signalling (beacon 3): anyone (signed in, or without an account) reports a worry; a
worker goes out to the person before the respond-by date; the reporter only hears that it
was handled. Until then the worker logs each attempt to reach the person; the first one
meets the respond-by date, and "not reached" needs at least one attempt that did not."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.areas import settings as area_settings
from marketplace.areas.services import area_for_pc4
from marketplace.boundary import MAX_ID
from marketplace.brokering.notify import public_url
from marketplace.cleaning import MIN_FREE_TEXT, too_short
from marketplace.clock import as_utc, today
from marketplace.clock import now as clock_now
from marketplace.errors import Conflict, DomainError, NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.geo import InvalidPostcode, UnknownPostcode, default_gazetteer, parse_postcode
from marketplace.help_requests.access import worker_area_ids
from marketplace.notifications.outbox import enqueue
from marketplace.signals.models import (
    ATTEMPT_METHODS,
    OPEN_STATUSES,
    OUTCOMES,
    Signal,
    SignalAttempt,
    SignalEvent,
)
from marketplace.signals.rules import add_working_days, clean
from marketplace.teams.services import area_workers_for, coordinators_for

CONCERN_MIN, CONCERN_MAX, ABOUT_MAX, NOTE_MAX, REASON_MAX = MIN_FREE_TEXT, 4000, 300, 2000, 300
CONTACT_MAX, ATTEMPT_NOTE_MAX = 200, 500


def report(reporter: User | None, *, postcode: str, concern: str, about: str | None = None,
           contact: str | None = None, now: datetime | None = None) -> Signal:
    """A new signal; `reporter` None is a report without an account (`contact`: how the
    reporter may be reached, optional, workers of the area only)."""
    now = now or clock_now()
    errors: dict[str, list[str]] = {}
    pc4 = ""
    try:
        pc4 = default_gazetteer().require(parse_postcode(clean(postcode)).pc4).pc4
    except UnknownPostcode:
        errors["postcode"] = [_("Deze postcode kennen wij niet. Kijk of de cijfers kloppen.")]
    except InvalidPostcode:
        errors["postcode"] = [_("Vul een postcode in zoals 5531 AB of 5531.")]
    concern = clean(concern)
    if too_short(concern, CONCERN_MIN):
        errors["concern"] = [_("Vertel in een paar woorden wat u opviel (minstens 3 tekens).")]
    elif len(concern) > CONCERN_MAX:
        errors["concern"] = [_("Houd het korter: hoogstens 4000 tekens.")]
    if about is not None and not isinstance(about, str):
        errors["about"] = [_("Schrijf hier een korte tekst.")]
    about = clean(about)
    if len(about) > ABOUT_MAX:
        errors["about"] = [_("Houd dit korter: hoogstens 300 tekens.")]
    contact = clean(contact) if reporter is None and isinstance(contact, str) else ""
    if len(contact) > CONTACT_MAX:
        errors["contact"] = [_("Houd dit korter: hoogstens 200 tekens.")]
    if errors:
        raise ValidationFailed(errors)
    area = area_for_pc4(pc4)
    days = int(area_settings.effective(area, "signal_respond_days"))
    signal = Signal(reporter_id=reporter.id if reporter else None, pc4=pc4,
                    about=about or None, reporter_contact=contact or None,
                    concern=concern, area_id=area.id if area else None, status="new",
                    respond_by=add_working_days(today(now), days), created_at=now)
    signal.events.append(SignalEvent(at=now, actor_id=reporter.id if reporter else None,
                                     action="reported" if reporter else "reported_public"))
    db.session.add(signal)
    db.session.flush()
    for worker in area_workers_for(signal.area_id):
        if worker.email:
            enqueue(worker.email, "signal_new", dedupe_key=f"signal:{signal.id}:{worker.id}",
                    locale=worker.locale, now=now, user=worker, pc4=pc4,
                    respond_by=signal.respond_by,
                    url=public_url("signals.detail", signal_id=signal.id))
    return signal


def visible_to(user: User, signal: Signal) -> bool:
    return signal.area_id is not None and signal.area_id in worker_area_ids(user)


def get_for_worker(user: User, signal_id: int) -> Signal:
    signal = db.session.get(Signal, signal_id) if 0 < signal_id <= MAX_ID else None
    if signal is None or not visible_to(user, signal):
        raise NotFound(_("Dit signaal bestaat niet."))
    return signal


def colleagues(signal: Signal) -> list[User]:
    """Who can take the signal: the active workers of its area."""
    return area_workers_for(signal.area_id)


def assign(actor: User, signal: Signal, worker: User, reason: str | None = None,
           now: datetime | None = None) -> None:
    """Take the outreach task, or give it to a colleague of the area (with a reason)."""
    if not visible_to(actor, signal):
        raise NotFound(_("Dit signaal bestaat niet."))
    if not worker.is_active or not visible_to(worker, signal):
        raise DomainError(_("Kies een collega die in dit gebied werkt."), field="worker_id")
    if signal.status == "handled":
        raise Conflict(_("Dit signaal is al afgehandeld."))
    if signal.assigned_worker_id == worker.id:
        raise DomainError(_("%(name)s heeft dit signaal al.", name=worker.name),
                          field="worker_id")
    reason = clean(reason)
    if len(reason) > REASON_MAX:
        raise DomainError(_("Houd de reden korter: hoogstens 300 tekens."), field="reason")
    signal.assigned_worker_id = worker.id
    if signal.status == "new":
        signal.status = "in_progress"
    note = worker.name + (f": {reason}" if reason else "")
    signal.events.append(SignalEvent(at=now or clock_now(), actor_id=actor.id, action="assigned",
                                     note=note[:500]))
    db.session.flush()


def record_outcome(worker: User, signal: Signal, outcome: str, note: str | None = None,
                   now: datetime | None = None) -> None:
    """Record what came of the outreach; the reporter hears only that it was handled."""
    now = now or clock_now()
    if not visible_to(worker, signal):
        raise NotFound(_("Dit signaal bestaat niet."))
    if outcome not in OUTCOMES:
        raise DomainError(_("Kies wat er uit het contact kwam."), field="outcome")
    if signal.status == "handled":
        raise Conflict(_("Dit signaal is al afgehandeld."))
    if outcome == "not_reached" and not any(not a.reached for a in signal.attempts):
        raise DomainError(_("Leg eerst een contactpoging vast waarbij u de persoon niet "
                            "bereikte. Daarna kunt u \"niet bereikt\" kiezen."),
                          field="outcome")
    note = clean(note)
    if len(note) > NOTE_MAX:
        raise DomainError(_("Houd de toelichting korter: hoogstens 2000 tekens."), field="note")
    signal.outcome, signal.outcome_note = outcome, note or None
    signal.status, signal.handled_at = "handled", now
    signal.assigned_worker_id = signal.assigned_worker_id or worker.id
    signal.events.append(SignalEvent(at=now, actor_id=worker.id, action=f"outcome:{outcome}"))
    db.session.flush()
    reporter = signal.reporter
    if reporter is not None and reporter.email and reporter.is_active:
        enqueue(reporter.email, "signal_handled", dedupe_key=f"signal:{signal.id}:handled",
                locale=reporter.locale, now=now, user=reporter)


def log_attempt(worker: User, signal: Signal, *, on: date | None, method: str,
                reached: bool | None, note: str | None = None,
                now: datetime | None = None) -> SignalAttempt:
    """One try to reach the person (visit, call, letter, through someone they know). The
    first attempt meets the respond-by date; acting on an unassigned signal takes it on."""
    now = now or clock_now()
    if not visible_to(worker, signal):
        raise NotFound(_("Dit signaal bestaat niet."))
    if signal.status == "handled":
        raise Conflict(_("Dit signaal is al afgehandeld."))
    errors: dict[str, list[str]] = {}
    reported_on = today(as_utc(signal.created_at))
    if not isinstance(on, date):
        errors["attempted_on"] = [_("Vul in op welke dag u het probeerde, zoals 25-12-2026.")]
    elif on > today(now):
        errors["attempted_on"] = [_("Die dag is nog niet geweest. Vul de dag in waarop u "
                                    "het probeerde.")]
    elif on < reported_on:
        day = f"{reported_on.day}-{reported_on.month}-{reported_on.year}"
        errors["attempted_on"] = [_("Die dag is vóór de melding. Vul een dag in vanaf "
                                    "%(date)s.", date=day)]
    if method not in ATTEMPT_METHODS:
        errors["method"] = [_("Kies hoe u het probeerde.")]
    if not isinstance(reached, bool):
        errors["reached"] = [_("Kies of u de persoon heeft bereikt.")]
    note = clean(note)
    if len(note) > ATTEMPT_NOTE_MAX:
        errors["note"] = [_("Houd de notitie korter: hoogstens 500 tekens.")]
    if errors:
        raise ValidationFailed(errors)
    attempt = SignalAttempt(worker_id=worker.id, attempted_on=on, method=method,
                            reached=reached, note=note or None, created_at=now)
    signal.attempts.append(attempt)
    if signal.first_attempt_on is None or on < signal.first_attempt_on:
        signal.first_attempt_on = on
    if signal.assigned_worker_id is None:
        signal.assigned_worker_id = worker.id
    if signal.status == "new":
        signal.status = "in_progress"
    # The timeline says that someone tried, not what they wrote (that is in the attempt).
    signal.events.append(SignalEvent(at=now, actor_id=worker.id,
                                     action=f"attempt:{method}:{'yes' if reached else 'no'}"))
    db.session.flush()
    return attempt


def open_signals(user: User) -> list[Signal]:
    ids = worker_area_ids(user)
    if not ids:
        return []
    stmt = (select(Signal).where(Signal.area_id.in_(ids), Signal.status != "handled")
            .order_by(Signal.respond_by, Signal.id))
    return list(db.session.scalars(stmt))


def handled_signals(user: User, limit: int = 100) -> list[Signal]:
    """The most recently handled signals of the worker's areas."""
    ids = worker_area_ids(user)
    if not ids:
        return []
    stmt = (select(Signal).where(Signal.area_id.in_(ids), Signal.status == "handled")
            .order_by(Signal.handled_at.desc(), Signal.id.desc()).limit(limit))
    return list(db.session.scalars(stmt))


def escalate_overdue(now: datetime) -> int:
    """Past the respond-by date, not handled and nobody tried to reach the person yet: to the
    team's coordinator, once. A logged attempt met the date; the signal is not untouched."""
    # Open statuses by name, not "!= handled": ix_signal_status_respond_by reads only them.
    stmt = (select(Signal).where(Signal.status.in_(OPEN_STATUSES),
                                 Signal.respond_by < today(now),
                                 Signal.first_attempt_on.is_(None),
                                 Signal.escalated_at.is_(None))
            .order_by(Signal.respond_by, Signal.id).limit(500))
    handled = 0
    for signal in db.session.scalars(stmt):
        for lead in coordinators_for(signal.area_id) or area_workers_for(signal.area_id):
            if lead.email:
                enqueue(lead.email, "signal_overdue",
                        dedupe_key=f"signal:{signal.id}:overdue:{lead.id}", locale=lead.locale,
                        now=now, user=lead, pc4=signal.pc4, respond_by=signal.respond_by,
                        url=public_url("signals.detail", signal_id=signal.id))
        signal.escalated_at = now
        signal.events.append(SignalEvent(at=now, action="escalated"))
        handled += 1
    db.session.flush()
    return handled
