"""Matrix rows for handovers of general activities and collective solutions.

The builders make, once per World: two welfare-run activities in Bladel (PC4 5531, the
World's area), one free to hand over and one handed over to an association whose member is
the World's association user, with its first "still running?" check and a mail link for
that member; and an open request of the World's resident to solve collectively. A handover
is seen by the area's worker and the receiving association's members only; clusters only by
the area's workers (object-level tests: tests/functional/test_collective_pages.py and
tests/integration/test_collective_api.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.security.matrix_rules import (
    Expectation,
    api,
    api_only,
    api_rows,
    everyone,
    only,
    rows,
)
from tests.security.security_support import once, weekly_activity, world_association


def _make(world: Any) -> dict[str, Any]:
    from flask import current_app

    from marketplace.associations import handover as handovers
    from marketplace.clock import today
    from marketplace.help_requests.services import RequestInput, create_request

    worker, member = world.users["worker"], world.users["association"]
    group = world_association(world, "Bewonersgroep Matrix")
    free, handed = (weekly_activity(worker, title, category="meals", capacity=20)
                    for title in ("Soepmiddag", "Eetcafe"))
    handover = handovers.create_handover(worker, handed, association_id=group.id,
                                         transition_ends_on=today() + timedelta(days=10),
                                         checklist={"venue": True})
    request = create_request(world.users["resident"], RequestInput(
        category="meals", description="Ik zou graag samen eten, ik ben veel alleen.",
        postcode="5531 AB", house_number="8"))
    request.status = "open"
    token = handovers.answer_token(handover.checks[0], member, current_app.secret_key)
    return {"free": free.id, "handover": handover.id, "request": request.id, "token": token}


def _get(key: str):
    def build(w: Any, m: Any) -> Any:
        return once(w, "collective", lambda: _make(w))[key]

    return build


free_activity, handover_id, request_id, token = (
    _get("free"), _get("handover"), _get("request"), _get("token"))

SEE_HANDOVER = {"association": 200, "worker": 200}

MATRIX: dict[tuple[str, str], Expectation] = {
    # The worker hands over a welfare-run activity of their area; solves a request together
    ("collective.handover_new", "GET"): only("worker"),
    ("collective.handover_new", "POST"): only("worker"),  # no association: the form again
    ("collective.groups", "GET"): only("worker"),
    ("collective.solve", "GET"): only("worker"),
    ("collective.solve", "POST"): only("worker"),  # no activity chosen: the form again
    # Handovers: the worker's area and the receiving association's members
    ("collective.handover_list", "GET"): only("worker", "association"),
    ("collective.handover_detail", "GET"): rows(404, **SEE_HANDOVER),
    ("collective.handover_detail", "POST"): rows(404, **SEE_HANDOVER),  # no answer: again
    # The one-click answer from the mail: the signed link is the key, no login needed
    ("collective.handover_answer", "GET"): everyone(200),
    ("collective.handover_answer", "POST"): everyone(200),  # an unknown answer: page again
    # JSON API
    ("api.create_handover", "POST"): api_only("worker", outcome=400),  # no JSON sent
    ("api.get_handover", "GET"): api_rows(404, **SEE_HANDOVER),
    ("api.check_handover", "POST"): api_rows(404, association=400, worker=400),  # no JSON
    # No ?area= here (the hostile-input test adds its own query): 404 for everyone; the
    # area's worker gets 200 with it (tests/integration/test_collective_api.py).
    ("api.list_clusters", "GET"): api(404),
    ("api.solve_collectively", "POST"): api_only("worker", outcome=422),  # no activity_id
}

URL_ARGS = {
    "collective.handover_new": lambda w, m: {"activity_id": free_activity(w, m)},
    "collective.solve": lambda w, m: {"request_id": request_id(w, m)},
    "collective.handover_detail": lambda w, m: {"handover_id": handover_id(w, m)},
    "collective.handover_answer": lambda w, m: {"token": token(w, m), "answer": "running"},
    "api.create_handover": lambda w, m: {"activity_id": free_activity(w, m)},
    "api.get_handover": lambda w, m: {"handover_id": handover_id(w, m)},
    "api.check_handover": lambda w, m: {"handover_id": handover_id(w, m)},
    "api.solve_collectively": lambda w, m: {"request_id": request_id(w, m)},
}

FORM_DATA: dict[str, dict[str, Any]] = {
    "collective.handover_new": {"association_id": "", "transition_ends_on": ""},
    "collective.solve": {"activity_id": ""},
    "collective.handover_detail": {"answer": "maybe"},
    "collective.handover_answer": {"answer": "maybe"},
}
