"""Matrix rows for vacancies of activities and calendar feeds.

The builders make, once per World: an association whose member is the World's association
user, a weekly activity in Bladel (PC4 5531, the World's area), a vacancy for it and a
proposal to the World's volunteer (whose profile the Market made). Managers of the activity
are that member and the area's worker; everyone else gets 404, as for a missing vacancy.
The feed is public: a wrong token is 404 for everyone (the right one is tested in
tests/integration/test_calendar_feed.py).
"""

from __future__ import annotations

from typing import Any

from tests.security.matrix_rules import (
    Expectation,
    api,
    api_rows,
    everyone,
    only,
    rows,
    signed_in,
    to,
)
from tests.security.security_support import once, weekly_activity, world_association


def _make(world: Any) -> dict[str, int]:
    from marketplace.associations import vacancy_services as vacancies

    member = world.users["association"]
    activity = weekly_activity(member, "Koffieochtend", category="shopping",
                               association=world_association(world, "Buurtvereniging Matrix"))
    built = {"activity": activity.id}
    # One vacancy and proposal per answer, so accepting one leaves the others to answer.
    for key in ("match", "decline", "cancel"):
        vacancy = vacancies.create_vacancy(member, activity, vacancies.VacancyInput(
            skill="shopping", count=2))
        built[key] = vacancies.propose(member, vacancy, world.users["volunteer"]).id
        built.setdefault("vacancy", vacancy.id)
    return built


def _id(key: str):
    def build(w: Any, m: Any) -> int:
        return once(w, "vacancies", lambda: _make(w))[key]

    return build


activity_id, vacancy_id, match_id = _id("activity"), _id("vacancy"), _id("match")
decline_id, cancel_id = _id("decline"), _id("cancel")


def vacancy_page(w: Any, m: Any) -> str:
    return f"/vacatures/{vacancy_id(w, m)}"


MANAGERS = {"association": 200, "worker": 200}

MATRIX: dict[tuple[str, str], Expectation] = {
    # The activity's managers: the association's member and the area's worker
    ("vacancies.for_activity", "GET"): rows(404, **MANAGERS),
    ("vacancies.new", "GET"): rows(404, **MANAGERS),
    ("vacancies.new", "POST"): rows(404, **MANAGERS),  # blank count: the form again
    ("vacancies.detail", "GET"): rows(404, **MANAGERS),
    ("vacancies.propose", "POST"): rows(404, association=to(vacancy_page),
                                        worker=to(vacancy_page)),  # nobody chosen: a message
    ("vacancies.close", "POST"): rows(404, association=to(vacancy_page),
                                      worker=to(vacancy_page)),
    # The volunteer's own proposals
    ("vacancies.mine", "GET"): only("volunteer"),
    ("vacancies.answer", "GET"): only("volunteer"),
    ("vacancies.answer", "POST"): only("volunteer"),  # no decision: the page again
    # Calendar feeds: the page and a new address for anyone signed in; the feed by token
    ("calendar.index", "GET"): signed_in(200),
    ("calendar.renew", "POST"): signed_in(to("/agenda/")),
    ("calendar.feed", "GET"): everyone(404),  # a wrong token
    # JSON API
    ("api.create_vacancy", "POST"): api_rows(404, association=400, worker=400),  # no JSON
    ("api.get_vacancy", "GET"): api_rows(404, **MANAGERS),
    ("api.vacancy_candidates", "GET"): api_rows(404, **MANAGERS),
    ("api.propose_volunteer", "POST"): api_rows(404, association=400, worker=400),
    ("api.close_vacancy", "POST"): api_rows(404, **MANAGERS),
    ("api.my_vacancy_proposals", "GET"): api(200),
    ("api.accept_vacancy_proposal", "POST"): api_rows(404, volunteer=200),
    ("api.decline_vacancy_proposal", "POST"): api_rows(404, volunteer=200),
    ("api.cancel_vacancy_proposal", "POST"): api_rows(404, volunteer=200, **MANAGERS),
}

URL_ARGS = {
    "vacancies.for_activity": lambda w, m: {"activity_id": activity_id(w, m)},
    "vacancies.new": lambda w, m: {"activity_id": activity_id(w, m)},
    "vacancies.detail": lambda w, m: {"vacancy_id": vacancy_id(w, m)},
    "vacancies.propose": lambda w, m: {"vacancy_id": vacancy_id(w, m)},
    "vacancies.close": lambda w, m: {"vacancy_id": vacancy_id(w, m)},
    "vacancies.answer": lambda w, m: {"match_id": match_id(w, m)},
    "calendar.feed": lambda w, m: {"token": "dit-is-geen-geldig-adres"},
    "api.create_vacancy": lambda w, m: {"activity_id": activity_id(w, m)},
    "api.get_vacancy": lambda w, m: {"vacancy_id": vacancy_id(w, m)},
    "api.vacancy_candidates": lambda w, m: {"vacancy_id": vacancy_id(w, m)},
    "api.propose_volunteer": lambda w, m: {"vacancy_id": vacancy_id(w, m)},
    "api.close_vacancy": lambda w, m: {"vacancy_id": vacancy_id(w, m)},
    "api.accept_vacancy_proposal": lambda w, m: {"match_id": match_id(w, m)},
    "api.decline_vacancy_proposal": lambda w, m: {"match_id": decline_id(w, m)},
    "api.cancel_vacancy_proposal": lambda w, m: {"match_id": cancel_id(w, m)},
}

FORM_DATA: dict[str, dict[str, Any]] = {
    "vacancies.new": {"skill": "shopping", "count": ""},
    "vacancies.propose": {"volunteer_id": ""},
    "vacancies.answer": {"decision": ""},
}
