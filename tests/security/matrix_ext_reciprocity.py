"""Matrix rows of the residents' offers to give something back, as the workers of the area
see them. See test_security_matrix.py.

The offer is the Market's reciprocity invitation (the World's resident, in the World's
worker's area) answered "help a neighbour". The page lists it for that worker only; a
worker of another area, a withdrawn offer and other roles are tested in
tests/functional/test_reciprocity_offers.py."""

from __future__ import annotations

from typing import Any

from tests.security.matrix_rules import only
from tests.security.security_support import once


def _offer(w: Any, m: Any) -> int:
    from marketplace.reciprocity import services

    def make() -> int:
        invitation = services.invitation_for_token(m.reciprocity_token)
        services.answer(invitation, "help_neighbour", "Ik kan goed koken.")
        return invitation.id

    return once(w, "reciprocity.offer", make)


MATRIX = {
    # The offers of the worker's areas
    ("reciprocity_offers.index", "GET"): only("worker"),
    # What came of one (empty: the page again, with the message at the field)
    ("reciprocity_offers.follow_up", "POST"): only("worker"),
}

URL_ARGS = {
    "reciprocity_offers.follow_up": lambda w, m: {"invitation_id": _offer(w, m)},
}
