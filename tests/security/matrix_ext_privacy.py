"""Matrix rows for erasure: DELETE /api/v1/me, "Mijn gegevens wissen" and erasure at the
desk. The desk page points at the World's target resident, whose file is in the World's
area (made once per World), so the area's worker may erase them and every other role may not.
A POST without fields shows the confirmation again and erases nothing; DELETE /me runs last
(RUN_LAST in test_security_matrix.py): it ends the resident's and the volunteer's sessions.

The volunteer read rule (404 unless the request fits, an open proposal or offer, or the
running arrangement) depends on the situation, not only the role: its own matrix (situation ×
route) is tests/security/test_volunteer_read_matrix.py, and it is tested object by object in
tests/integration/test_privacy_volunteer_reads.py."""

from __future__ import annotations

from typing import Any

from tests.security.matrix_rules import Expectation, api_only, everyone, only, rows
from tests.security.security_support import once


def target_in_area(w: Any, m: Any) -> int:
    """The target resident, with their file in the World's area (once per World)."""
    from marketplace.casework.services import set_resident_pc4

    def make() -> int:
        set_resident_pc4(w.target, "5531")
        return w.target.id

    return once(w, "privacy.target", make)


MATRIX: dict[tuple[str, str], Expectation] = {
    ("api.erase_me", "DELETE"): api_only("resident", "volunteer", outcome=202),
    ("erasure.mine", "GET"): only("resident", "volunteer"),
    ("erasure.mine", "POST"): only("resident", "volunteer"),  # empty form: shown again
    ("erasure.done", "GET"): everyone(200),
    # The area's worker and the administrator; other staff and everyone else 403.
    ("erasure.at_desk", "GET"): rows(403, worker=200, admin=200),
    ("erasure.at_desk", "POST"): rows(403, worker=200, admin=200),  # empty: shown again
    # The audit log: the administrator only.
    ("admin.audit_log", "GET"): only("admin"),
}

URL_ARGS = {
    "erasure.at_desk": lambda w, m: {"user_id": target_in_area(w, m)},
}
