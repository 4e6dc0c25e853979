"""Matrix rows of the worker's pages that write down an answer for someone: a volunteer's
offer that waits for the resident ("namens de inwoner"), and a check-in answered by phone.
See test_security_matrix.py.

The World's worker works in the area of the World's resident, so they get the page (an empty
POST shows the form again, nothing saved); every other role is refused by role (403). A
worker of another area gets 404: tests/functional/test_answers_for_resident.py and
test_checkin_answers_by_worker.py.
"""

from __future__ import annotations

from typing import Any

from tests.security.matrix_rules import only
from tests.security.security_support import once


def _offer(w: Any, m: Any) -> dict[str, Any]:
    """An offer of the World's volunteer on a request of the World's resident, waiting for
    the resident (as in a peer-to-peer area)."""

    def make() -> dict[str, Any]:
        from marketplace.brokering.models import Match
        from marketplace.extensions import db
        from marketplace.help_requests.services import RequestInput, create_request

        request = create_request(w.users["resident"], RequestInput(
            category="shopping", description="Boodschappen op maandag, ik loop slecht.",
            postcode="5527 AB", house_number="9"))
        match = Match(request_id=request.id, volunteer_id=w.users["volunteer"].id,
                      status="proposed", origin="offer", awaiting="resident",
                      proposed_by_id=w.users["volunteer"].id)
        db.session.add(match)
        db.session.flush()
        return {"request_id": request.id, "match_id": match.id}

    return once(w, "for_resident.offer", make)


def _checkin(w: Any, m: Any) -> dict[str, Any]:
    """The first check-in of the Market's arrangement, asked (so an answer can be written)."""

    def make() -> dict[str, Any]:
        from datetime import UTC, datetime

        from marketplace.brokering.models import Arrangement
        from marketplace.extensions import db
        from marketplace.followup.services import checkins_of

        arrangement = db.session.get(Arrangement, m.arrangement)
        checkin = checkins_of(arrangement)[0]
        checkin.sent_at = datetime.now(UTC)
        return {"request_id": arrangement.request_id, "checkin_id": checkin.id}

    return once(w, "for_resident.checkin", make)


MATRIX = {
    ("casework.answer_offer_for_resident", "GET"): only("worker"),
    ("casework.answer_offer_for_resident", "POST"): only("worker"),  # no answer: shown again
    ("casework.checkin_answer", "GET"): only("worker"),
    ("casework.checkin_answer", "POST"): only("worker"),  # no answer: shown again
}

URL_ARGS = {
    "casework.answer_offer_for_resident": _offer,
    "casework.checkin_answer": _checkin,
}
