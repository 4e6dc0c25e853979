"""Matrix rows of the request lifecycle: closing a request without an arrangement (web page
and API) and the evaluation of an arrangement through the API.

On the web page only the World's worker (of the request's area) gets past the role check;
other roles get 403 by role. The API answers 404 to every other role, and a worker of
another area gets 404 everywhere (tests/integration/test_lifecycle_api.py and
tests/functional/test_close_request_page.py)."""

from __future__ import annotations

from typing import Any

from tests.security.matrix_rules import Expectation, api_rows, only
from tests.security.security_support import once


def request_id(w: Any, m: Any) -> int:
    """An open request of the World's resident, made once per World."""
    from marketplace.help_requests.services import RequestInput, create_request

    return once(w, "lifecycle.request", lambda: create_request(
        w.users["resident"], RequestInput(
            category="garden", description="De heg moet gesnoeid worden, ik kan dat niet meer.",
            postcode="5527 AB", house_number="5")).id)


MATRIX: dict[tuple[str, str], Expectation] = {
    ("casework.close_request", "GET"): only("worker"),
    ("casework.close_request", "POST"): only("worker"),  # nothing chosen: the form again
    # Anyone but a worker of the area: 404, exactly like a missing row (issue 12)
    ("api.close_request", "POST"): api_rows(404, worker=400),  # no JSON sent
    ("api.evaluate_arrangement", "POST"): api_rows(404, worker=400),  # no JSON sent
}

URL_ARGS = {
    "casework.close_request": lambda w, m: {"request_id": request_id(w, m)},
    "api.close_request": lambda w, m: {"request_id": request_id(w, m)},
    "api.evaluate_arrangement": lambda w, m: {"arrangement_id": m.arrangement},
}

FORM_DATA: dict[str, dict[str, Any]] = {
    "casework.close_request": {"solved_by": "", "note": ""},
}
