"""Mail about offers and matches. Mails never carry an address, phone or e-mail of the other
side: they say what happened and link to the site, where access rules apply."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from marketplace.accounts.models import User, UserRole
from marketplace.brokering.models import Arrangement, Match
from marketplace.categories.services import label
from marketplace.extensions import db
from marketplace.help_requests.access import worker_area_ids
from marketplace.help_requests.models import HelpRequest
from marketplace.notifications.outbox import enqueue


def public_url(endpoint: str, **values) -> str:
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


def area_workers(help_request: HelpRequest) -> list[User]:
    if help_request.area_id is None:
        return []
    stmt = select(User).join(UserRole).where(UserRole.role == "worker",
                                             User.is_active.is_(True))
    return [u for u in db.session.scalars(stmt) if help_request.area_id in worker_area_ids(u)]


def workers_for(help_request: HelpRequest) -> list[User]:
    """Who hears about a case: its own worker, else the workers of its area."""
    if help_request.assigned_worker_id and help_request.assigned_worker is not None:
        return [help_request.assigned_worker]
    return area_workers(help_request)


def mailable(user: User | None) -> bool:
    return user is not None and bool(user.email) and user.is_active


def _send(user: User | None, template: str, key: str, now: datetime | None, **context) -> None:
    if not mailable(user):
        return
    enqueue(user.email, template, dedupe_key=key, locale=user.locale, now=now, user=user,
            **context)


def offer_made(match: Match, now: datetime | None = None) -> None:
    help_request = match.request
    context = {"category": label(help_request.category), "pc4": help_request.pc4}
    if match.awaiting == "resident" and mailable(help_request.owner):
        _send(help_request.owner, "offer_to_resident", f"offer:{match.id}:resident", now,
              url=public_url("help_requests.detail", request_id=help_request.id), **context)
    elif match.awaiting == "resident":
        # A resident we cannot mail (no e-mail address: a worker typed the request in for
        # them) would never hear of it: the case's worker calls them and answers for them.
        for worker in workers_for(help_request):
            _send(worker, "offer_for_resident", f"offer:{match.id}:for-resident:{worker.id}",
                  now, url=public_url("casework.answer_offer_for_resident",
                                      request_id=help_request.id, match_id=match.id),
                  **context)
    else:
        for worker in area_workers(help_request):
            _send(worker, "offer_to_worker", f"offer:{match.id}:worker:{worker.id}", now,
                  url=public_url("help_requests.detail", request_id=help_request.id),
                  **context)


def match_proposed(match: Match, now: datetime | None = None) -> None:
    _send(match.volunteer, "match_proposed", f"match:{match.id}:proposed", now,
          url=public_url("volunteers.match", match_id=match.id),
          category=label(match.request.category), pc4=match.request.pc4)


def match_accepted(match: Match, arrangement: Arrangement, now: datetime | None = None) -> None:
    help_request = match.request
    url = public_url("help_requests.detail", request_id=help_request.id)
    context = {"category": label(help_request.category),
               "planned_end_on": arrangement.planned_end_on}
    _send(help_request.owner, "match_accepted_resident", f"match:{match.id}:accepted:resident",
          now, url=url, **context)
    _send(match.volunteer, "match_accepted_volunteer", f"match:{match.id}:accepted:volunteer",
          now, url=url, **context)


def match_declined(match: Match, now: datetime | None = None) -> None:
    help_request = match.request
    if match.origin == "offer":
        _send(match.volunteer, "offer_declined", f"match:{match.id}:declined", now,
              category=label(help_request.category),
              url=public_url("volunteers.nearby"))
    else:
        proposer = db.session.get(User, match.proposed_by_id) if match.proposed_by_id else None
        _send(proposer, "match_declined_worker", f"match:{match.id}:declined", now,
              category=label(help_request.category),
              url=public_url("help_requests.detail", request_id=help_request.id))


def new_message(help_request: HelpRequest, recipient: User | None, message_id: int,
                now: datetime | None = None) -> None:
    _send(recipient, "new_message", f"message:{message_id}:{recipient.id if recipient else 0}",
          now, category=label(help_request.category),
          url=public_url("help_requests.detail", request_id=help_request.id))


def volunteer_stopped(match: Match, arrangement: Arrangement, now: datetime | None = None) -> None:
    """The case's worker (else the area's) and the resident hear that the volunteer stopped.
    Why is on the request page, for workers only: a mail says what happened, not why."""
    help_request = match.request
    url = public_url("help_requests.detail", request_id=help_request.id)
    context = {"category": label(help_request.category), "pc4": help_request.pc4}
    for worker in workers_for(help_request):
        _send(worker, "volunteer_stopped_worker",
              f"stopped:{arrangement.id}:worker:{worker.id}", now, url=url, **context)
    _send(help_request.owner, "volunteer_stopped_resident",
          f"stopped:{arrangement.id}:resident", now, url=url, **context)
