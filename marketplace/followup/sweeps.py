"""Follow-up sweeps. Each takes `now`, selects only what is due and not yet done, and marks
what it did (a timestamp on the row or a ledger key), so a second run does nothing new."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from flask import current_app, has_request_context
from sqlalchemy import select
from sqlalchemy.orm import aliased

from marketplace.accounts.models import User
from marketplace.brokering.models import Arrangement
from marketplace.brokering.notify import area_workers, public_url
from marketplace.categories.services import label
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.followup.ledger import claim, key_expr, unclaimed
from marketplace.followup.models import CheckIn
from marketplace.followup.services import answer_token
from marketplace.help_requests.models import HelpRequest
from marketplace.notifications.outbox import enqueue

NO_ANSWER_DAYS = 5
ENDING_NOTICE_DAYS = 14
# One page per transaction: short enough not to hold SQLite's one write lock for long (the
# job calls the sweep again while it finds work, see jobs.run_job).
BATCH = 100
# Pages that only close check-ins of ended support (nothing to mail) are read on at once, up
# to this many per call; a bound, so a row that somehow stays due can never loop forever.
QUIET_PAGES = 50


def _send(user, template: str, key: str, now: datetime, **context) -> int:
    if user is None or not user.email or not user.is_active:
        return 0
    return int(enqueue(user.email, template, dedupe_key=key, locale=user.locale, now=now,
                       user=user, **context) is not None)


def _workers_for(request: HelpRequest, cache: dict[int | None, list]) -> list:
    """`brokering.notify.workers_for`, with the area's workers looked up once per page."""
    if request.assigned_worker_id and request.assigned_worker is not None:
        return [request.assigned_worker]
    if request.area_id not in cache:
        cache[request.area_id] = area_workers(request)
    return cache[request.area_id]


@contextmanager
def _links_for_mail() -> Iterator[None]:
    """One request context (on PUBLIC_URL) for a whole page of mails, instead of one per link
    (`public_url` builds links with the current request context when there is one)."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"].rstrip("/")):
        yield


def send_checkins(now: datetime) -> int:
    """Ask resident and volunteer how it goes, once per check-in, when it is due.

    Reads the partial index of unsent, open check-ins (``UNSENT``): what is due today and
    what is planned, never the asked history. A check-in whose support ended without
    ``close_checkins`` (by any path) is closed here instead of asked, so it leaves the index.
    """
    day = today(now)
    resident, volunteer = aliased(User), aliased(User)
    # Everything a mail needs in one query: no lazy loads per check-in.
    stmt = (select(CheckIn, Arrangement, HelpRequest, resident, volunteer)
            .join(Arrangement, Arrangement.id == CheckIn.arrangement_id)
            .join(HelpRequest, HelpRequest.id == Arrangement.request_id)
            .outerjoin(resident, resident.id == HelpRequest.owner_id)
            .join(volunteer, volunteer.id == Arrangement.volunteer_id)
            .where(CheckIn.sent_at.is_(None), CheckIn.closed_at.is_(None),
                   CheckIn.due_on <= day)
            .order_by(CheckIn.due_on, CheckIn.id).limit(BATCH)
            # A second scheduler by mistake skips what this one is sending (PostgreSQL).
            .with_for_update(skip_locked=True, of=CheckIn))
    secret = current_app.secret_key
    handled = 0
    with _links_for_mail():
        for _ in range(QUIET_PAGES):
            rows = db.session.execute(stmt).all()
            handled += _ask(rows, secret, now)
            db.session.flush()
            # Counts check-ins asked, not check-ins closed: a full page of closed ones reads
            # the next page at once (jobs.run_job stops at the first 0).
            if handled or len(rows) < BATCH:
                return handled
    return handled  # QUIET_PAGES pages only closed check-ins: the rest waits a run


def _ask(rows, secret: str, now: datetime) -> int:
    asked = 0
    for checkin, arrangement, request, owner, helper in rows:
        if arrangement.status == "ended":
            checkin.closed_at = now
            continue
        context = {"category": label(request.category), "kind": checkin.kind}
        for role, person in (("resident", owner), ("volunteer", helper)):
            token = answer_token(checkin, role, secret)
            _send(person, f"checkin_{role}", f"checkin:{checkin.id}:{role}", now,
                  well_url=public_url("followup.answer", token=token, answer="going_well"),
                  attention_url=public_url("followup.answer", token=token,
                                           answer="needs_attention"), **context)
        checkin.sent_at = now
        asked += 1
    return asked


def escalate_checkins(now: datetime) -> int:
    """No answer within five days: the worker hears it, once per check-in.

    ("Needs attention" reaches the worker at once when it is answered: `record_answer`.)
    Reads the partial index of sent, unanswered, open check-ins (``UNANSWERED``): an answer,
    an escalation or the end of the support takes a check-in out of it.
    """
    silent_since = now - timedelta(days=NO_ANSWER_DAYS)
    stmt = (select(CheckIn, Arrangement, HelpRequest)
            .join(Arrangement, Arrangement.id == CheckIn.arrangement_id)
            .join(HelpRequest, HelpRequest.id == Arrangement.request_id)
            # The terms of the partial index ``UNANSWERED``, then the range on it.
            .where(CheckIn.sent_at.is_not(None), CheckIn.done_at.is_(None),
                   CheckIn.escalated_at.is_(None), CheckIn.closed_at.is_(None),
                   CheckIn.sent_at <= silent_since)
            .order_by(CheckIn.sent_at, CheckIn.id).limit(BATCH)
            .with_for_update(skip_locked=True, of=CheckIn))
    handled, workers = 0, {}
    with _links_for_mail():
        for _ in range(QUIET_PAGES):
            rows = db.session.execute(stmt).all()
            for checkin, arrangement, request in rows:
                if arrangement.status == "ended":
                    checkin.closed_at = now  # the support ended: nobody needs to hear it
                    continue
                for worker in _workers_for(request, workers):
                    _send(worker, "checkin_escalation",
                          f"checkin:{checkin.id}:escalation:{worker.id}", now,
                          category=label(request.category), attention=False,
                          url=public_url("help_requests.detail", request_id=request.id))
                checkin.escalated_at = now
                handled += 1
            db.session.flush()
            if handled or len(rows) < BATCH:  # as in send_checkins
                return handled
    return handled


def announce_endings(now: datetime) -> int:
    """Two weeks before the planned end: 'who carries on?' to everyone involved."""
    horizon = today(now) + timedelta(days=ENDING_NOTICE_DAYS)
    resident, volunteer = aliased(User), aliased(User)
    stmt = (select(Arrangement, HelpRequest, resident, volunteer)
            .join(HelpRequest, HelpRequest.id == Arrangement.request_id)
            .outerjoin(resident, resident.id == HelpRequest.owner_id)
            .join(volunteer, volunteer.id == Arrangement.volunteer_id)
            # ix_arrangement_status_planned_end_on: running support near its end only.
            .where(Arrangement.status == "active", Arrangement.planned_end_on <= horizon)
            .order_by(Arrangement.planned_end_on).limit(BATCH)
            .with_for_update(skip_locked=True, of=Arrangement))
    handled, workers = 0, {}
    with _links_for_mail():
        for arrangement, request, owner, helper in db.session.execute(stmt).all():
            url = public_url("help_requests.detail", request_id=request.id)
            context = {"category": label(request.category),
                       "planned_end_on": arrangement.planned_end_on, "url": url}
            key = f"ending:{arrangement.id}:{arrangement.planned_end_on.isoformat()}"
            _send(owner, "ending_resident", f"{key}:resident", now, **context)
            _send(helper, "ending_volunteer", f"{key}:volunteer", now, **context)
            for worker in _workers_for(request, workers):
                _send(worker, "ending_worker", f"{key}:worker:{worker.id}", now, **context)
            arrangement.status = "ending"
            handled += 1
    db.session.flush()
    return handled


def remind_overdue_evaluations(now: datetime) -> int:
    """Past the planned end and not evaluated: remind the worker once a week.

    An evaluation either ends the arrangement or extends it (a new planned end), so every
    arrangement still running past its planned end is overdue, also after an earlier
    extension (whose evaluation row exists).
    """
    year, week, _ = today(now).isocalendar()
    stmt = (select(Arrangement)
            .where(Arrangement.status.in_(("active", "ending")),
                   Arrangement.planned_end_on < today(now),
                   unclaimed(key_expr("evaluation-overdue:", Arrangement.id,
                                      f":{year}-{week}")))
            .order_by(Arrangement.planned_end_on, Arrangement.id).limit(BATCH))
    handled, workers = 0, {}
    for arrangement in db.session.scalars(stmt):
        if not claim(f"evaluation-overdue:{arrangement.id}:{year}-{week}", "evaluations", now):
            continue
        request = arrangement.request
        for worker in _workers_for(request, workers):
            _send(worker, "evaluation_overdue",
                  f"evaluation-overdue:{arrangement.id}:{year}-{week}:{worker.id}", now,
                  category=label(request.category), planned_end_on=arrangement.planned_end_on,
                  url=public_url("help_requests.detail", request_id=request.id))
        handled += 1
    db.session.flush()
    return handled
