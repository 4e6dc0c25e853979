"""A volunteer stops helping before the agreed end (ill, moved, no time, it does not click).

The support ends as it would at its end (check-ins close, the volunteer has room again and
no longer sees the name and house number), but the request is not solved: it is open
again, so a worker can find someone else. The case's worker (else the area's workers) and
the resident hear it by mail. Why the volunteer stopped is kept on the match, which only
workers see; the request's timeline, which the resident reads too, says only that the
volunteer stopped. Services flush; the view commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.brokering.models import Arrangement, Match
from marketplace.brokering.services import stop_arrangement
from marketplace.clock import now as clock_now
from marketplace.errors import N_, Conflict, DomainError, NotFound
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from marketplace.support import lifecycle

# Why a volunteer stops: the code, and the words a worker reads on the match.
REASONS = {
    "health": N_("gezondheid"),
    "time": N_("geen tijd meer"),
    "moved": N_("verhuisd of gaat verhuizen"),
    "fit": N_("het klikt niet"),
    "other": N_("iets anders"),
}
# The start of the match's reason after a stop; the rest says why.
STOPPED = "gestopt door de vrijwilliger"
NOTE_MAX = 300


def running_arrangement(match: Match) -> Arrangement | None:
    """The support that started with this match, while it runs."""
    if match.status != "accepted":
        return None
    return db.session.scalar(select(Arrangement).where(
        Arrangement.match_id == match.id, Arrangement.status.in_(("active", "ending"))))


def stopped(match: Match) -> bool:
    """This match ended because its volunteer stopped."""
    return match.status == "cancelled" and (match.reason or "").startswith(STOPPED)


def stop_helping(volunteer: User, match: Match, *, reason: str, note: str | None = None,
                 now: datetime | None = None) -> Arrangement:
    """404: not this volunteer's match. 409: its support is not running (any more).
    422: no reason chosen, or a note over NOTE_MAX characters."""
    if match.volunteer_id != volunteer.id:
        raise NotFound(N_("Deze afspraak bestaat niet."))
    # Changes to one request queue on its row (as accepting does): a stop and a worker's
    # evaluation at the same moment do not both end the support.
    db.session.execute(select(HelpRequest.id).where(HelpRequest.id == match.request_id)
                       .with_for_update())
    db.session.refresh(match)
    arrangement = running_arrangement(match)
    if arrangement is None:
        raise Conflict(N_("Deze afspraak loopt niet meer."))
    if reason not in REASONS:
        raise DomainError(N_("Kies waarom u stopt."), field="reason")
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX:
        raise DomainError(N_("Houd de toelichting korter: hoogstens 300 tekens."),
                          field="note")
    now = now or clock_now()
    stop_arrangement(arrangement, actor=volunteer, now=now)
    # Support that broke off is no occasion to ask the resident to give something back
    # (reciprocity.send_invitations); support that later runs its course with someone else is.
    arrangement.reciprocity_checked_at = now
    # Dutch, as the other reasons on a match: workers read it on the request page.
    why = f"{STOPPED}: {REASONS[reason]}"
    match.status, match.reason = "cancelled", f"{why}. {note}" if note else why
    match.decided_at = now
    request = match.request
    if request.status in ("matched", "in_progress"):
        lifecycle.record_status(request, "open", actor=volunteer, now=now,
                                reason="de vrijwilliger is gestopt")
    db.session.flush()
    from marketplace.brokering.notify import volunteer_stopped

    volunteer_stopped(match, arrangement, now=now)
    return arrangement
