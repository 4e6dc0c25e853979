"""A worker gives the resident's answer to an offer for them ("namens de inwoner").

A volunteer's offer in a peer-to-peer area waits for the resident. A resident without an
e-mail address or a login (often an older person whose request a worker typed in) hears
nothing of it and cannot answer on the site. The area's worker may then give the answer the
resident gave them: by phone, at the desk, on a home visit. It is always the resident's own
answer, so the worker says how the resident gave it; the request's timeline and the audit
trail (``on_behalf_of``) record who answered for whom. It is allowed for every resident, also
one who could answer on the site (who phoned instead): such a resident gets the usual mail
and sees the answer, with who gave it, on their request page.

``brokering.services.accept`` and ``decline`` take the way it was given (``for_resident``);
this module holds the words and the records, so those stay one path for every answer.
"""

from __future__ import annotations

from datetime import datetime

from marketplace.accounts import audit
from marketplace.accounts.models import User
from marketplace.brokering.models import Match
from marketplace.errors import N_, ValidationFailed
from marketplace.extensions import db
from marketplace.help_requests.models import RequestEvent

# How the resident (or, for a check-in, the volunteer) gave their answer to the worker, as
# the timeline says it (stored Dutch, like every timeline reason); the forms show translated
# labels of the same codes. Check-ins use them too (followup.services.record_answer_for).
HOW = {"phone": "telefonisch", "desk": "aan de balie of op het spreekuur",
       "visit": "bij een huisbezoek"}


def check_how(how: str | None) -> str:
    if how not in HOW:
        raise ValidationFailed({"how": [N_("Kies hoe u het antwoord kreeg.")]})
    return how


def can_answer_online(user: User | None) -> bool:
    """The person can read our mail and sign in to answer on the site themselves."""
    return bool(user is not None and user.is_active and user.email and user.password_hash)


def accepted_reason(how: str) -> str:
    """The timeline's reason of the move to "matched" when a worker said yes for the resident."""
    return f"hulp gevonden; namens de inwoner ja gezegd ({HOW[how]})"


def record(worker: User, match: Match, *, accepted: bool, how: str, now: datetime) -> None:
    """The audit trail (the resident sees it in their data export) and, for a no, the
    timeline (a yes is on the timeline already: the move to "matched" says it)."""
    request = match.request
    if not accepted:
        text = (f"namens de inwoner nee gezegd tegen het aanbod van {match.volunteer.name} "
                f"({HOW[how]})")
        if match.reason:
            text = f"{text}: {match.reason}"
        db.session.add(RequestEvent(request=request, at=now, actor_id=worker.id,
                                    from_status=request.status, to_status=request.status,
                                    reason=text[:500]))
    audit.record("match.answered_for_resident", actor_id=worker.id,
                 subject_user_id=request.owner_id, on_behalf_of_id=request.owner_id,
                 object_type="match", object_id=match.id, now=now,
                 detail={"answer": "accepted" if accepted else "declined", "how": how,
                         "request_id": request.id})
    db.session.flush()
