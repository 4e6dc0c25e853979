"""Matrix rows for signals, the worker's worklist and the neighbourhood-team pages.

The builders make their rows on the fly in the World's area (Bladel, PC4 5527 and 5531),
once per World: a signal reported by the resident, a help request of the resident, and a
team whose coordinator is the World's worker. Objects of another area answering 404 are
tested in tests/functional/test_signals_web.py and test_worklist_pages.py."""

from __future__ import annotations

from typing import Any

from tests.security.matrix_rules import (
    Expectation,
    api,
    api_only,
    everyone,
    only,
    rows,
    to,
)
from tests.security.security_support import once


def signal_id(w: Any, m: Any) -> int:
    from marketplace.signals.services import report

    return once(w, "signals.signal", lambda: report(
        w.users["resident"], postcode="5527",
        concern="De buurman doet al dagen niet open en de post stapelt zich op.").id)


def request_id(w: Any, m: Any) -> int:
    from marketplace.help_requests.services import RequestInput, create_request

    return once(w, "signals.request", lambda: create_request(w.users["resident"], RequestInput(
        category="garden", description="De heg moet gesnoeid worden, ik kan dat niet meer.",
        postcode="5527 AB", house_number="3")).id)


def team_id(w: Any, m: Any) -> int:
    from marketplace.teams.services import save_team, set_member

    def make() -> int:
        team = save_team(w.area, "Wijkteam Bladel")
        set_member(team, w.users["worker"], coordinator=True)
        return team.id

    return once(w, "signals.team", make)


def team_page(w: Any, m: Any) -> str:
    return f"/beheer/wijkteams/{team_id(w, m)}"


MATRIX: dict[tuple[str, str], Expectation] = {
    # Anyone signed in reports a worry; the thank-you page after it
    # (also without an account since task G: matrix_ext_look.py has the receipt page)
    ("signals.new", "GET"): everyone(200),
    ("signals.new", "POST"): everyone(200),  # empty form: shown again with messages
    ("signals.thanks", "GET"): rows(404, resident=200),  # the reporter's own receipt
    # Workers of the area: the signals, one signal, take it, record the outcome
    ("signals.index", "GET"): only("worker"),
    ("signals.detail", "GET"): only("worker"),
    ("signals.assign", "POST"): only("worker"),  # no colleague chosen: page again
    ("signals.outcome", "POST"): only("worker"),  # no outcome chosen: page again
    # A contact attempt: the page again for the area's worker (nothing chosen); anyone else
    # 404, as if there were no such signal (its notes are not theirs to know of)
    ("signals.attempt", "POST"): rows(404, worker=200),
    # The worker's own pages
    ("worker.worklist", "GET"): only("worker"),
    ("worker.caseload", "GET"): only("worker"),
    ("worker.team", "GET"): only("worker"),  # the World's worker coordinates this team
    ("worker.take", "POST"): only("worker", outcome=to("/werk/")),
    ("worker.transfer", "GET"): only("worker"),
    ("worker.transfer", "POST"): only("worker"),  # no colleague, no reason: form again
    # Neighbourhood teams, for the administrator
    ("teams.index", "GET"): only("admin"),
    ("teams.new", "GET"): only("admin"),
    ("teams.new", "POST"): only("admin"),
    ("teams.edit", "GET"): only("admin"),
    ("teams.edit", "POST"): only("admin"),
    ("teams.add_member", "POST"): only("admin"),
    ("teams.coordinator", "POST"): only("admin", outcome=to(team_page)),
    ("teams.remove_member", "POST"): only("admin", outcome=to(team_page)),
    # JSON API
    ("api.create_signal", "POST"): api(400),  # no JSON sent
    ("api.list_signals", "GET"): api_only("worker"),
    ("api.get_signal", "GET"): api_only("worker"),
    ("api.assign_signal", "POST"): api_only("worker"),  # no body: the caller takes it
    ("api.signal_outcome", "POST"): api_only("worker", outcome=400),  # no JSON sent
    ("api.signal_attempt", "POST"): api_only("worker", outcome=400),  # no JSON sent
}

URL_ARGS = {
    "signals.thanks": lambda w, m: {"signal_id": signal_id(w, m)},
    "signals.detail": lambda w, m: {"signal_id": signal_id(w, m)},
    "signals.assign": lambda w, m: {"signal_id": signal_id(w, m)},
    "signals.outcome": lambda w, m: {"signal_id": signal_id(w, m)},
    "signals.attempt": lambda w, m: {"signal_id": signal_id(w, m)},
    "worker.team": lambda w, m: {"team_id": team_id(w, m)},
    "worker.take": lambda w, m: {"request_id": request_id(w, m)},
    "worker.transfer": lambda w, m: {"request_id": request_id(w, m)},
    "teams.edit": lambda w, m: {"team_id": team_id(w, m)},
    "teams.add_member": lambda w, m: {"team_id": team_id(w, m)},
    "teams.coordinator": lambda w, m: {"team_id": team_id(w, m),
                                       "user_id": w.users["worker"].id},
    "teams.remove_member": lambda w, m: {"team_id": team_id(w, m),
                                         "user_id": w.users["worker"].id},
    "api.get_signal": lambda w, m: {"signal_id": signal_id(w, m)},
    "api.assign_signal": lambda w, m: {"signal_id": signal_id(w, m)},
    "api.signal_outcome": lambda w, m: {"signal_id": signal_id(w, m)},
    "api.signal_attempt": lambda w, m: {"signal_id": signal_id(w, m)},
}

# A blank required field, so the form is shown again and nothing is saved.
FORM_DATA: dict[str, dict[str, Any]] = {
    "signals.new": {"postcode": "", "concern": ""},
    "signals.assign": {"worker_id": ""},
    "signals.outcome": {"outcome": ""},
    "signals.attempt": {"poging-method": "", "poging-reached": ""},
    "worker.transfer": {"worker_id": "", "reason": ""},
    "teams.new": {"area": "", "name": ""},
    "teams.edit": {"name": ""},
    "teams.add_member": {"user_id": ""},
}
