"""Masked messages between the resident and the volunteer of the active arrangement."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.brokering.services import active_arrangement
from marketplace.clock import now as clock_now
from marketplace.errors import N_, DomainError
from marketplace.extensions import db
from marketplace.help_requests.access import is_area_worker
from marketplace.help_requests.models import HelpRequest, Message

# A page that already loaded the request's active arrangement passes it (`arrangement=`), so
# the checks do not ask for it again; UNKNOWN: look it up.
UNKNOWN = object()


def _active(request: HelpRequest, arrangement: object) -> object:
    return active_arrangement(request) if arrangement is UNKNOWN else arrangement


def can_read(user: User, request: HelpRequest, *, arrangement: object = UNKNOWN) -> bool:
    arrangement = _active(request, arrangement)
    return (request.owner_id == user.id or is_area_worker(user, request)
            or (arrangement is not None and arrangement.volunteer_id == user.id))


def can_send(user: User, request: HelpRequest, *, arrangement: object = UNKNOWN) -> bool:
    arrangement = _active(request, arrangement)
    if arrangement is None:
        return False
    return user.id in (request.owner_id, arrangement.volunteer_id)


def send(user: User, request: HelpRequest, body: str, now: datetime | None = None) -> Message:
    body = (body or "").strip()
    if not can_send(user, request):
        raise DomainError(N_("U kunt hier (nu) geen bericht sturen."))
    if not body:
        raise DomainError(N_("Schrijf eerst een bericht."), field="body")
    if len(body) > 2000:
        raise DomainError(N_("Houd het bericht korter: hoogstens 2000 tekens."), field="body")
    message = Message(request_id=request.id, sender_id=user.id, body=body,
                      created_at=now or clock_now())
    db.session.add(message)
    db.session.flush()
    arrangement = active_arrangement(request)
    recipient_id = arrangement.volunteer_id if user.id == request.owner_id else request.owner_id
    from marketplace.brokering.notify import new_message

    new_message(request, db.session.get(User, recipient_id) if recipient_id else None,
                message.id, now=now)
    return message


def thread(request: HelpRequest) -> list[Message]:
    stmt = select(Message).where(Message.request_id == request.id).order_by(
        Message.created_at, Message.id)
    return list(db.session.scalars(stmt))
