"""The role × route authorization matrix: who gets what from every route of the app.

HOW TO ADD A ROUTE (test_every_route_is_in_the_matrix fails until you do):

1. Add one entry per method to MATRIX below, keyed by (endpoint, method), e.g.
   ("requests.detail", "GET"): rows(404, resident=200, worker=200). The helpers build the
   dict of expected outcomes for every actor (anonymous + the six roles):
     everyone(x)           every actor, signed in or not, gets x
     signed_in(x)          anonymous → login page, every role gets x
     only(*roles, outcome=x)   anonymous → login page, these roles → x, other roles → 403
     rows(default, role=x, ...)  anonymous → login page, per-role outcomes, others default
     api(x), api_only(*roles, outcome=x), api_rows(default, role=x, ...)
                           the same for /api/v1, where anonymous gets 401 problem+json
   Outcomes: a status code (200, 403, 404, ...), LOGIN (302 to /inloggen?next=<this path>)
   or to("/path") (302 to exactly that path; to(callable) gets (world, market) when the
   path holds an id). Spell out a dict by hand when no helper says it.
2. If the endpoint's URL has variables (<int:request_id>, <token>), add a builder to
   URL_ARGS returning them from the World (people, an area, link tokens) or the Market
   (requests, matches, an arrangement, network members); both live in
   tests/security/conftest.py. Add a row there if you need one, or make it in the builder
   with security_support.once(world, "<feature>.<key>", make) (made and committed once per
   World; world_association() and weekly_activity() build associations and activities).
   Point at an object the actors may really see or not see, never a made-up id, so "404
   for others" means "hidden", not "missing".
3. POSTs send FORM_DATA[endpoint], or an empty form. Note that WTForms fills an edit form
   from its object when the POST carries no fields at all, so an empty POST to an edit page
   saves it unchanged; give such routes data that fails validation (a blank required
   field) so the matrix sees the form shown again. Routes that end the session go in
   RUN_LAST. Each actor's run gets its own fresh World and Market.

Web routes are called with the role's session cookie; API routes (endpoint "api.*") with
the role's bearer token. No answer may be a 5xx; test_hostile_input_never_gives_a_server_error
also sends NUL bytes, wrong types and unknown choices to every route as every actor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, url_for

from tests.security.matrix_rules import (  # noqa: E402
    DETAIL,
    LOGIN,
    Expectation,
    Outcome,
    anonymous_only,
    api,
    api_only,
    api_rows,
    everyone,
    only,
    rows,
    signed_in,
    to,
)
from tests.security.security_support import ACTORS, redirect_target, sign_in

SIGNED_IN_LANDING: Expectation = {**anonymous_only(200, to("/account/")),
                                   "worker": to("/werk/"),
                                   "association": to("/mijn-vereniging"),
                                   "municipality": to("/rapportage/")}

MATRIX: dict[tuple[str, str], Expectation] = {
    # Public pages
    ("main.index", "GET"): everyone(200),
    ("main.about", "GET"): everyone(200),
    ("main.accessibility", "GET"): everyone(200),
    ("main.healthz", "GET"): everyone(200),
    # Logging in and out, registering, links from mails
    # Signed in already: the home of the role (marketplace/main/home.py landing_url)
    ("auth.login", "GET"): SIGNED_IN_LANDING,
    ("auth.login", "POST"): SIGNED_IN_LANDING,
    ("auth.logout", "POST"): everyone(to("/")),
    ("auth.register", "GET"): everyone(200),
    ("auth.register", "POST"): everyone(200),
    ("auth.confirm", "GET"): everyone(to("/inloggen")),
    ("auth.reset_request", "GET"): everyone(200),
    ("auth.reset_request", "POST"): everyone(200),
    ("auth.reset", "GET"): everyone(200),
    ("auth.reset", "POST"): everyone(200),
    # The own account
    ("account.index", "GET"): signed_in(200),
    ("account.index", "POST"): signed_in(200),
    ("account.password", "GET"): signed_in(200),
    ("account.password", "POST"): signed_in(200),
    # Help requests on the web (rows from the Market; "detail" is the request's own page)
    ("help_requests.mine", "GET"): only("resident"),
    ("help_requests.new", "GET"): only("resident", "worker"),
    ("help_requests.new", "POST"): only("resident", "worker"),
    ("help_requests.detail", "GET"): rows(404, resident=200, worker=200, volunteer=200),
    ("help_requests.edit", "GET"): rows(404, resident=200, worker=200, volunteer=403),
    ("help_requests.edit", "POST"): rows(404, resident=200, worker=200, volunteer=403),
    ("help_requests.withdraw", "GET"): rows(404, resident=200, worker=200, volunteer=403),
    ("help_requests.withdraw", "POST"): rows(404, resident=200, worker=200, volunteer=403),
    ("help_requests.renew", "POST"): rows(404, resident=to(DETAIL), worker=to(DETAIL),
                                          volunteer=403),
    ("help_requests.offer", "POST"): only("volunteer", outcome=to(DETAIL)),
    # web_match waits for the volunteer's answer: the others may see the request, not answer.
    ("help_requests.answer_offer", "POST"): rows(404, resident=403, worker=403,
                                                 volunteer=to(DETAIL)),
    ("help_requests.message", "POST"): rows(404, resident=200, volunteer=200, worker=403),
    # The resident's own network
    ("residents.index", "GET"): only("resident"),
    ("residents.add", "GET"): only("resident"),
    ("residents.add", "POST"): only("resident"),
    ("residents.edit", "GET"): only("resident"),
    ("residents.edit", "POST"): only("resident"),
    ("residents.delete", "GET"): only("resident"),
    ("residents.delete", "POST"): only("resident", outcome=to("/mijn-netwerk/")),
    # Volunteers
    ("volunteers.profile", "GET"): only("resident", "volunteer"),
    ("volunteers.profile", "POST"): only("resident", "volunteer"),
    ("volunteers.nearby", "GET"): only("volunteer"),
    ("volunteers.commitments", "GET"): only("volunteer"),
    ("volunteers.match", "GET"): only("volunteer"),
    ("volunteers.match", "POST"): only("volunteer"),
    ("volunteers.stop", "GET"): only("volunteer"),
    ("volunteers.stop", "POST"): only("volunteer"),
    # One-click answers from mails: the signed link is the key, no login needed
    ("followup.answer", "GET"): everyone(200),
    ("followup.answer", "POST"): everyone(200),
    ("reciprocity.answer", "GET"): everyone(200),
    ("reciprocity.answer", "POST"): everyone(200),
    # Administration
    ("admin.index", "GET"): only("admin", outcome=to("/beheer/gebruikers")),
    ("admin.users", "GET"): only("admin"),
    ("admin.user_new", "GET"): only("admin"),
    ("admin.user_new", "POST"): only("admin"),
    ("admin.user_edit", "GET"): only("admin"),
    ("admin.user_edit", "POST"): only("admin"),
    ("admin.areas_list", "GET"): only("admin"),
    ("admin.area_new", "GET"): only("admin"),
    ("admin.area_new", "POST"): only("admin"),
    ("admin.area_edit", "GET"): only("admin"),
    ("admin.area_edit", "POST"): only("admin"),
    # JSON API v1
    ("api.openapi_document", "GET"): everyone(200),
    ("api.me", "GET"): api(200),
    ("api.categories", "GET"): api(200),
    ("api.volunteer_me", "GET"): api_only("volunteer"),
    ("api.volunteer_me_put", "PUT"): api_only("volunteer", outcome=400),  # no JSON sent
    ("api.create_request", "POST"): api_only("resident", "worker", outcome=400),
    ("api.my_requests", "GET"): api(200),
    ("api.nearby", "GET"): api_only("volunteer"),
    ("api.get_request", "GET"): api_rows(404, resident=200, worker=200, volunteer=200),
    ("api.withdraw_request", "POST"): api_rows(404, resident=200, worker=200),
    ("api.offer", "POST"): api_only("volunteer", outcome=201),
    ("api.propose", "POST"): api_only("worker", outcome=400),
    ("api.accept", "POST"): api_rows(404, volunteer=200),
    ("api.decline", "POST"): api_rows(404, volunteer=200),
    # No JSON body: the volunteer of the running arrangement gets 400 (nothing stops).
    ("api.stop", "POST"): api_rows(404, volunteer=400),
    ("api.arrangement", "GET"): api_rows(404, resident=200, worker=200, volunteer=200),
}

# Arguments of rules with variables, from the real objects of the World (w) and the
# Market (m) fixtures in tests/security/conftest.py.
def arrangement_match(market: Any) -> int:
    """The accepted match of the Market's arrangement (the volunteer helps the resident)."""
    from marketplace.brokering.models import Arrangement
    from marketplace.extensions import db

    return db.session.get(Arrangement, market.arrangement).match_id


URL_ARGS: dict[str, Callable[[Any, Any], dict[str, Any]]] = {
    "admin.user_edit": lambda w, m: {"user_id": w.target.id},
    "admin.area_edit": lambda w, m: {"area_id": w.area.id},
    "auth.confirm": lambda w, m: {"token": w.tokens["confirm"]},
    "auth.reset": lambda w, m: {"token": w.tokens["reset"]},
    "api.get_request": lambda w, m: {"request_id": m.api_request},
    "api.withdraw_request": lambda w, m: {"request_id": m.api_request},
    "api.offer": lambda w, m: {"request_id": m.api_request},
    "api.accept": lambda w, m: {"match_id": m.api_match_to_accept},
    "api.decline": lambda w, m: {"match_id": m.api_match_to_decline},
    "api.stop": lambda w, m: {"match_id": arrangement_match(m)},
    "api.arrangement": lambda w, m: {"arrangement_id": m.arrangement},
    "help_requests.detail": lambda w, m: {"request_id": m.web_request},
    "help_requests.edit": lambda w, m: {"request_id": m.web_request},
    "help_requests.withdraw": lambda w, m: {"request_id": m.web_request},
    "help_requests.renew": lambda w, m: {"request_id": m.web_request},
    "help_requests.offer": lambda w, m: {"request_id": m.web_request},
    "help_requests.answer_offer": lambda w, m: {"request_id": m.web_request,
                                                "match_id": m.web_match},
    "help_requests.message": lambda w, m: {"request_id": m.arrangement_request},
    "residents.edit": lambda w, m: {"member_id": m.member_to_edit},
    "residents.delete": lambda w, m: {"member_id": m.member_to_delete},
    "volunteers.match": lambda w, m: {"match_id": m.web_match},
    "volunteers.stop": lambda w, m: {"match_id": arrangement_match(m)},
    "followup.answer": lambda w, m: {"token": m.checkin_token, "answer": "going_well"},
    "reciprocity.answer": lambda w, m: {"token": m.reciprocity_token},
}

# Form data for POSTs: a blank required field, so the form is shown again and nothing saved.
FORM_DATA: dict[str, dict[str, Any]] = {
    "account.index": {"name": "", "locale": "nl"},
    "admin.user_edit": {"name": "", "roles": "resident"},
    "admin.area_edit": {"name": "", "code": "GM1728", "kind": "municipality"},
    "residents.edit": {"name": "", "relation": "neighbour"},
    "followup.answer": {"answer": "maybe"},
    "reciprocity.answer": {"answer": "maybe"},
}

# Requests that end the session run last, so the rest still runs signed in.
RUN_LAST = ("auth.logout", "api.erase_me")  # erase_me: matrix_ext_privacy.py

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _load_extensions() -> None:
    """Features may keep their rows in tests/security/matrix_ext_<feature>.py, each with
    MATRIX and optionally URL_ARGS and FORM_DATA (same shapes as above), merged here."""
    import importlib
    from pathlib import Path

    for path in sorted(Path(__file__).parent.glob("matrix_ext_*.py")):
        module = importlib.import_module(f"tests.security.{path.stem}")
        overlap = set(module.MATRIX) & set(MATRIX)
        assert not overlap, f"{path.name} repeats matrix rows: {sorted(overlap)}"
        MATRIX.update(module.MATRIX)
        URL_ARGS.update(getattr(module, "URL_ARGS", {}))
        FORM_DATA.update(getattr(module, "FORM_DATA", {}))


_load_extensions()


def routes_in_app(app: Flask) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in (rule.methods or set()) - IGNORED_METHODS
    }


def test_every_route_is_in_the_matrix(app):
    in_app = routes_in_app(app)
    missing = sorted(in_app - MATRIX.keys())
    stale = sorted(MATRIX.keys() - in_app)
    assert not missing, (
        "Routes without an entry in MATRIX (tests/security/test_security_matrix.py; see its "
        f"docstring for how to add them): {missing}"
    )
    assert not stale, f"MATRIX names routes the app no longer has: {stale}"


def test_every_entry_names_every_actor():
    incomplete = {key: sorted(set(ACTORS) - value.keys()) for key, value in MATRIX.items()
                  if set(ACTORS) - value.keys()}
    assert not incomplete, f"entries missing actors: {incomplete}"


def test_rules_with_arguments_have_url_builders(app):
    """An endpoint needs a URL_ARGS builder unless one of its rules has no variables."""
    rules: dict[str, list[Any]] = {}
    for rule in app.url_map.iter_rules():
        rules.setdefault(rule.endpoint, []).append(rule)
    needing = {e for e, found in rules.items()
               if e != "static" and all(r.arguments - set(r.defaults or ()) for r in found)}
    missing = sorted(needing - URL_ARGS.keys())
    assert not missing, f"add these endpoints to URL_ARGS: {missing}"


def build_urls(app: Flask, world: Any, market: Any) -> dict[str, str]:
    """The URL of every endpoint in MATRIX, pointing at the World's and Market's rows."""
    endpoints = {e for e, _method in MATRIX}
    with app.test_request_context():
        return {e: url_for(e, **(URL_ARGS[e](world, market) if e in URL_ARGS else {}))
                for e in endpoints}


def describe(outcome: Outcome) -> str:
    if outcome == LOGIN:
        return "302 to the login page"
    if isinstance(outcome, tuple):
        return f"302 to {outcome[1]}"
    return str(outcome)


def resolve(expected: Outcome, world: Any, market: Any) -> Outcome:
    if isinstance(expected, tuple) and callable(expected[1]):
        return (expected[0], expected[1](world, market))
    return expected


def mismatch(response: Any, expected: Outcome, url: str) -> str | None:
    """None when the response is what the matrix says, else what went wrong."""
    status = response.status_code
    got = f"{status} {response.headers.get('Location', '')}".strip()
    if status >= 500:
        return f"server error {status}"
    if expected == LOGIN:
        path, query = redirect_target(response)
        if status != 302 or path != "/inloggen" or query.get("next") != [url.split("?")[0]]:
            return f"expected {describe(expected)} (next={url}), got {got}"
        return None
    if isinstance(expected, tuple):
        if status != 302 or redirect_target(response)[0] != expected[1]:
            return f"expected {describe(expected)}, got {got}"
        return None
    if status != expected:
        return f"expected {expected}, got {got}"
    if url.startswith("/api/") and status >= 400:
        if response.mimetype != "application/problem+json":
            return f"expected problem+json, got {response.mimetype}"
        if status == 401 and "Bearer" not in response.headers.get("WWW-Authenticate", ""):
            return "401 without a WWW-Authenticate: Bearer header"
    return None


def ordered(keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(keys, key=lambda k: (k[0] in RUN_LAST, k[1] != "GET", k))


@pytest.mark.parametrize("actor", ACTORS)
def test_matrix(app, world, market, api_token, actor):
    urls = build_urls(app, world, market)
    if actor == "anonymous":
        client, headers = app.test_client(), {}
    else:
        user = world.users[actor]
        client, headers = sign_in(app, user), api_token(user)
    problems = []
    for endpoint, method in ordered(list(MATRIX)):
        url = urls[endpoint]
        extra = {"headers": headers} if endpoint.startswith("api.") else {}
        if method != "GET":
            extra["data"] = FORM_DATA.get(endpoint, {})
        response = client.open(url, method=method, **extra)
        expected = resolve(MATRIX[(endpoint, method)][actor], world, market)
        problem = mismatch(response, expected, url)
        if problem:
            problems.append(f"{method} {url} ({endpoint}) as {actor}: {problem}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("actor", ["resident", "admin"])
def test_admin_routes_with_missing_objects(app, world, actor):
    """An id that does not exist: 404 for the admin, still 403 (not 404) for anyone else."""
    client = sign_in(app, world.users[actor])
    expected = 404 if actor == "admin" else 403
    for url in ("/beheer/gebruikers/999999", "/beheer/gebieden/999999"):
        for method in ("GET", "POST"):
            assert client.open(url, method=method).status_code == expected, (method, url)


def test_api_ignores_the_session_cookie(app, world, market):
    """The API is exempt from CSRF, so a browser cookie must never authenticate it."""
    client = sign_in(app, world.users["admin"])
    assert client.get("/account/").status_code == 200
    for endpoint, method in MATRIX:
        if endpoint.startswith("api.") and MATRIX[(endpoint, method)]["anonymous"] == 401:
            response = client.open(build_urls(app, world, market)[endpoint], method=method)
            assert response.status_code == 401, endpoint


# Junk: NUL bytes (PostgreSQL refuses them in text), wrong types, unknown choices.
JUNK = {
    "email": "a\x00b@example.org",
    "name": "Jan\x00<script>alert(1)</script>" + "é" * 200,
    "password": "\x00" * 12,
    "password_again": "\x00" * 12,
    "current_password": "\x00",
    "locale": "xx\x00",
    "roles": ["god", "admin\x00"],
    "areas": ["abc", "-1", "99999999999999999999"],
    "is_active": "\x00",
    "code": "GM\x00'; --",
    "kind": "planet",
    "parent": "NOPE\x00",
    "pc4": "12a4, 99999, \x00",
    "brokering_mode": "chaos",
    "signal_respond_days": "-1\x00",
    "q": "%\x00_",
    "role": "x\x00",
}
# Almost valid: forms get past their validators and reach the services and the database.
ALMOST_VALID = {
    "email": "nieuw@example.org",
    "name": "Jan\x00de Vries",
    "password": "een lang genoeg wachtwoord",
    "password_again": "een lang genoeg wachtwoord",
    "current_password": "fout wachtwoord",
    "locale": "en",
    "roles": ["resident"],
    "is_active": "y",
    "code": "GM9002\x00",
    "kind": "municipality",
    "parent": "",
    "pc4": "9002",
    "brokering_mode": "",
    "signal_respond_days": "",
}


@pytest.mark.parametrize("actor", ACTORS)
def test_hostile_input_never_gives_a_server_error(app, world, market, api_token, actor):
    """Every route, every role, with NUL bytes, huge and wrong values: never 5xx."""
    urls = build_urls(app, world, market)
    client = app.test_client() if actor == "anonymous" else sign_in(app, world.users[actor])
    headers = {} if actor == "anonymous" else api_token(world.users[actor])
    errors = []
    for name, payload in (("junk", JUNK), ("almost valid", ALMOST_VALID)):
        for endpoint, method in ordered(list(MATRIX)):
            url = urls[endpoint]
            extra: dict[str, Any] = {"query_string": {"q": "\x00", "pagina": "-5",
                                                      "lang": "\x00"}}
            if endpoint.startswith("api."):
                extra["headers"] = headers
                if method != "GET":
                    extra["json"] = payload
            elif method != "GET":
                extra["data"] = payload
            response = client.open(url, method=method, **extra)
            if response.status_code >= 500:
                errors.append(f"{method} {url} as {actor} ({name}): {response.status_code}")
    assert not errors, "\n".join(errors)
