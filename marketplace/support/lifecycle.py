"""The life of a help request, in one place: which status may follow which, who moved it,
and how a closed request was solved (``solved_by``).

    draft → new → clarifying → open → matched → in_progress → closed
                                 ↘ withdrawn / referred / expired (and expired → open)

Every change goes through ``record_status`` and leaves a timeline entry (RequestEvent) with
the actor, the time and a reason. Ending a request is done here too: ``close_request``
(solved, or not), ``withdraw_request`` and ``refer_request``. What other features do when
that happens (cancel proposed matches, end the arrangement, close check-ins) they do in
receivers of the signals in ``marketplace.support.events``: this module calls no feature.
"""

from __future__ import annotations

from datetime import datetime

from marketplace.accounts.models import User
from marketplace.clock import now as clock_now
from marketplace.errors import N_, Conflict, DomainError, ValidationFailed
from marketplace.extensions import db
from marketplace.help_requests.models import ACTIVE, HelpRequest, RequestEvent
from marketplace.support import events

# How a closed request was solved; the accountability reports count the 2 → 1 → 0 movement.
SOLVED_BY = ("own_network", "volunteer", "association", "activity", "worker", "referred",
             "not_solved")
# Solved in the 0th line: by the resident's own network or by the neighbourhood.
ZERO_LINE = ("own_network", "volunteer", "association", "activity")
# Statuses after which a request needs no more help (it may still be renewed after expiry).
ENDED = ("closed", "withdrawn", "referred", "expired")
REASON_MAX = 500

# Allowed status changes: (from, to). Anything else is refused.
TRANSITIONS = {
    ("draft", "new"), ("draft", "open"), ("new", "clarifying"), ("new", "open"),
    ("clarifying", "open"), ("open", "clarifying"), ("open", "matched"),
    ("matched", "in_progress"), ("matched", "open"), ("in_progress", "closed"),
    ("matched", "closed"), ("in_progress", "open"),
    ("expired", "open"),
}
for _status in ACTIVE:
    TRANSITIONS |= {(_status, "withdrawn"), (_status, "referred"), (_status, "closed")}
for _status in ("new", "clarifying", "open"):
    TRANSITIONS.add((_status, "expired"))

# The timeline reason of a closing without a note.
CLOSE_REASONS = {
    "own_network": "opgelost door het eigen netwerk",
    "volunteer": "opgelost door een vrijwilliger",
    "association": "opgelost door een vereniging",
    "activity": "opgelost met een activiteit",
    "worker": "opgelost door de welzijnswerker",
    "referred": "doorverwezen",
    "not_solved": "niet opgelost",
}


def record_status(request: HelpRequest, to_status: str, *, actor: User | None,
                  reason: str | None = None, now: datetime | None = None) -> None:
    """Change status through the transition table and write the timeline entry."""
    if request.status == to_status:
        return
    if (request.status, to_status) not in TRANSITIONS:
        raise DomainError(N_("Een hulpvraag met status %(status)s kan niet naar %(to)s.",
                             status=request.status, to=to_status),
                          field="status")
    now = now or clock_now()
    from_status = request.status
    # Added on its own: appending to request.events would first read the whole timeline.
    db.session.add(RequestEvent(request=request, from_status=from_status, to_status=to_status,
                                at=now, actor_id=actor.id if actor else None,
                                reason=(reason or "")[:REASON_MAX] or None))
    request.status = to_status
    # Renewed after expiry: open again, so no longer counting towards retention.
    request.closed_at = now if to_status in ENDED else None
    events.request_status_changed.send(request, from_status=from_status, to_status=to_status,
                                       actor=actor, reason=reason, now=now)


def _still_active(request: HelpRequest) -> None:
    if request.status not in ACTIVE:
        raise Conflict(N_("Deze hulpvraag is al afgesloten."))


def close_request(help_request: HelpRequest, *, solved_by: str, actor: User | None,
                  note: str | None = None, now: datetime | None = None) -> None:
    """Close a request and record how it was solved and by whom (the actor).

    Raises ValidationFailed for an unknown ``solved_by`` or a note that is too long, and
    Conflict when the request was closed, withdrawn, referred or expired already. Sends
    ``request_closed``: brokering cancels proposed matches and ends a running arrangement,
    follow-up then closes its check-ins.
    """
    errors: dict[str, list[str]] = {}
    if solved_by not in SOLVED_BY:
        errors["solved_by"] = [N_("Kies hoe de vraag is opgelost.")]
    note = (note or "").strip() or None
    if note is not None and len(note) > REASON_MAX:
        errors["note"] = [N_("Houd de toelichting korter: hoogstens %(max)s tekens.",
                             max=REASON_MAX)]
    if errors:
        raise ValidationFailed(errors)
    _still_active(help_request)
    now = now or clock_now()
    help_request.solved_by = solved_by
    record_status(help_request, "closed", actor=actor, reason=note or CLOSE_REASONS[solved_by],
                  now=now)
    events.request_closed.send(help_request, solved_by=solved_by, actor=actor, note=note,
                               now=now)


def withdraw_request(help_request: HelpRequest, *, actor: User | None,
                     reason: str | None = None, now: datetime | None = None) -> None:
    """The resident needs no help any more. Sends ``request_withdrawn``."""
    _still_active(help_request)
    now = now or clock_now()
    record_status(help_request, "withdrawn", actor=actor, reason=reason or "ingetrokken",
                  now=now)
    events.request_withdrawn.send(help_request, actor=actor, reason=reason, now=now)


def refer_request(help_request: HelpRequest, *, actor: User | None, reason: str,
                  now: datetime | None = None) -> bool:
    """Referred to the 2nd line: the request ends with ``solved_by`` "referred".

    A request that ended already keeps its status; returns whether it moved.
    """
    if help_request.status not in ACTIVE:
        return False
    help_request.solved_by = "referred"
    record_status(help_request, "referred", actor=actor, reason=reason, now=now)
    return True
