"""Request sweeps: stale open requests reach the worker; requests expire with a renewal offer."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, tuple_

from marketplace.areas import settings as area_settings
from marketplace.areas.models import AreaSetting
from marketplace.brokering.notify import area_workers, public_url
from marketplace.categories.services import label
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.followup.ledger import claim, key_expr, unclaimed
from marketplace.help_requests.models import HelpRequest
from marketplace.help_requests.services import record_status
from marketplace.notifications.outbox import enqueue

EXPIRY_WARNING_DAYS = 7
BATCH = 100  # one page per transaction; jobs.run_job calls again while there is work


def _mail(user, template: str, key: str, now: datetime, **context) -> None:
    if user is not None and user.email and user.is_active:
        enqueue(user.email, template, dedupe_key=key, locale=user.locale, now=now, user=user,
                **context)


def escalate_stale(now: datetime) -> int:
    """Open too long without help (area setting request_stale_days): tell the area's worker."""
    # The shortest period any area uses bounds the query; each area's own is checked below.
    configured = db.session.scalars(select(AreaSetting.value).where(
        AreaSetting.key == "request_stale_days"))
    shortest = min([int(area_settings.SETTINGS["request_stale_days"].default),
                    *(int(v) for v in configured)])
    handled = 0
    after: tuple = ()
    # Page through the candidates (keyset on created_at, id): a page of requests of areas with
    # a longer period (skipped below) must not hide stale requests of other areas behind it.
    while True:
        stmt = (select(HelpRequest)
                .where(HelpRequest.status.in_(("new", "open")),
                       HelpRequest.created_at <= now - timedelta(days=shortest),
                       unclaimed(key_expr("stale:", HelpRequest.id)))
                .order_by(HelpRequest.created_at, HelpRequest.id).limit(BATCH))
        if after:
            stmt = stmt.where(tuple_(HelpRequest.created_at, HelpRequest.id) > after)
        page = db.session.scalars(stmt).all()
        for request in page:
            days = int(area_settings.effective(request.area, "request_stale_days"))
            if request.created_at > now - timedelta(days=days):
                continue
            if not claim(f"stale:{request.id}", "stale_requests", now):
                continue
            workers = ([request.assigned_worker] if request.assigned_worker
                       else area_workers(request))
            for worker in workers:
                _mail(worker, "request_stale", f"stale:{request.id}:{worker.id}", now,
                      category=label(request.category), pc4=request.pc4, days=days,
                      url=public_url("help_requests.detail", request_id=request.id))
            handled += 1
        if len(page) < BATCH or handled >= BATCH:
            return handled
        after = (page[-1].created_at, page[-1].id)


def expire_requests(now: datetime) -> int:
    """Warn a week before expiry; at expiry close it and offer renewal in one click."""
    day = today(now)
    stmt = (select(HelpRequest)
            .where(HelpRequest.status.in_(("new", "clarifying", "open")),
                   HelpRequest.expires_on.is_not(None),
                   HelpRequest.expires_on <= day + timedelta(days=EXPIRY_WARNING_DAYS),
                   or_(HelpRequest.expires_on <= day,
                       unclaimed(key_expr("expiring:", HelpRequest.id, ":",
                                          HelpRequest.expires_on))))
            .order_by(HelpRequest.expires_on, HelpRequest.id).limit(BATCH)
            .with_for_update(skip_locked=True))
    handled = 0
    for request in db.session.scalars(stmt):
        url = public_url("help_requests.detail", request_id=request.id)
        context = {"category": label(request.category), "expires_on": request.expires_on,
                   "url": url}
        if request.expires_on <= day:
            record_status(request, "expired", actor=None, reason="verlopen", now=now)
            _mail(request.owner, "request_expired",
                  f"expired:{request.id}:{request.expires_on.isoformat()}", now, **context)
            handled += 1
        elif claim(f"expiring:{request.id}:{request.expires_on.isoformat()}", "expiry", now):
            _mail(request.owner, "request_expiring",
                  f"expiring:{request.id}:{request.expires_on.isoformat()}", now, **context)
            handled += 1
    db.session.flush()
    return handled
