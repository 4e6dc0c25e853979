"""A volunteer takes back an offer to help that no one has answered yet (plans changed, they
found they cannot after all). The offer disappears from the resident's page and the worker's
worklist; nothing else changes. Services flush; the view commits."""

from __future__ import annotations

from datetime import datetime

from marketplace.accounts.models import User
from marketplace.brokering.models import Match
from marketplace.clock import now as clock_now
from marketplace.errors import N_, Conflict, NotFound
from marketplace.extensions import db

WITHDRAWN = "withdrawn_by_volunteer"


def may_withdraw(user: User, match: Match) -> bool:
    return match.volunteer_id == user.id and match.origin == "offer" \
        and match.status == "proposed"


def withdraw_offer(volunteer: User, match: Match, now: datetime | None = None) -> Match:
    """404: not this volunteer's offer. 409: it was answered (or taken back) already."""
    if match.volunteer_id != volunteer.id or match.origin != "offer":
        raise NotFound(N_("Dit aanbod bestaat niet."))
    if match.status != "proposed":
        raise Conflict(N_("Op dit aanbod is al geantwoord."))
    match.status, match.reason = "cancelled", WITHDRAWN
    match.decided_at, match.decided_by_id = now or clock_now(), volunteer.id
    db.session.flush()
    return match
