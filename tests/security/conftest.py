"""Fixtures for the security tests: one account per role, real objects to build URLs from."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.security.security_support import (
    AREA_ROLES,
    ROLES,
    fresh_request_globals,
    sign_in,
    use_fast_hashing,
)


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_hashing(monkeypatch)


@pytest.fixture(autouse=True)
def request_isolation(app: Flask) -> Iterator[None]:
    """A clean `g` per request (see fresh_request_globals): sessions are what we test."""
    with fresh_request_globals(app):
        yield


@dataclass
class World:
    """Real rows for every role, plus the objects routes with arguments point at."""

    users: dict[str, Any]
    area: Any
    target: Any  # a resident the admin can edit
    pending: Any  # an account that has not confirmed its address yet
    tokens: dict[str, str] = field(default_factory=dict)  # link tokens: confirm, reset


@pytest.fixture()
def world(app: Flask, make_user: Callable[..., Any], make_area: Callable[..., Any]) -> World:
    from marketplace.accounts.flows import make_link_token

    area = make_area("GM1728", "municipality", name="Bladel", pc4=("5527", "5531"))
    users = {
        role: make_user(role, areas=(area,) if role in AREA_ROLES else ()) for role in ROLES
    }
    target = make_user("resident", name="Doelwit")
    pending = make_user("resident", confirmed=False)
    tokens = {
        "confirm": make_link_token(pending, "confirm", app.secret_key),
        "reset": make_link_token(target, "reset", app.secret_key),
    }
    return World(users=users, area=area, target=target, pending=pending, tokens=tokens)


@pytest.fixture()
def signed_in(app: Flask) -> Callable[..., FlaskClient]:
    return lambda user, **kwargs: sign_in(app, user, **kwargs)


@pytest.fixture()
def csrf_enabled(app: Flask) -> Iterator[Flask]:
    """The shared test app with CSRF protection switched on for one test."""
    before = app.config["WTF_CSRF_ENABLED"]
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield app
    finally:
        app.config["WTF_CSRF_ENABLED"] = before


@dataclass
class Market:
    """Help requests, matches, an arrangement and a network between the World's people, so
    the matrix can point at rows each role may or may not see. Made through the API (the
    contract) where it can. The API and the web pages get separate rows, so what one part
    of the matrix changes (a withdrawal, an offer) does not change what the other sees."""

    api_request: int  # the resident's, open, in the worker's area: volunteers see it limited
    api_match_to_accept: int  # proposed by the worker, waiting for the volunteer
    api_match_to_decline: int  # the same, on another request
    arrangement: int  # an accepted match between the resident and the volunteer
    arrangement_request: int  # its request: the resident and the volunteer may send messages
    web_request: int  # like api_request, for the web pages
    web_match: int  # proposed by the worker to the volunteer, on web_request
    member_to_edit: int  # people in the resident's own network
    member_to_delete: int
    checkin_token: str  # the resident's one-click answer link of the arrangement's check-in
    reciprocity_token: str  # the resident's link to answer an invitation to contribute


@pytest.fixture()
def market(app: Flask, world: World, api_token: Callable[[Any], dict[str, str]]) -> Market:
    from marketplace.extensions import db
    from marketplace.residents.services import save_member

    client = app.test_client()
    resident, worker, volunteer = (api_token(world.users[r])
                                   for r in ("resident", "worker", "volunteer"))

    def call(method: str, url: str, headers: dict[str, str], body: Any, status: int) -> Any:
        response = client.open(f"/api/v1{url}", method=method, json=body, headers=headers)
        assert response.status_code == status, (url, response.get_json())
        return response.get_json()

    call("PUT", "/volunteers/me", volunteer, {
        "skills": ["shopping"], "postcode": "5531 AB", "radius_km": 10,
        "availability": ["tue_morning"], "has_vog": False}, 200)

    def new_request() -> int:
        return call("POST", "/requests", resident, {
            "category": "shopping", "description": "Boodschappen op vrijdag, ik loop slecht.",
            "postcode": "5527 AB", "house_number": "17"}, 201)["id"]

    def propose(request_id: int) -> int:
        return call("POST", "/matches", worker, {
            "request_id": request_id, "volunteer_id": world.users["volunteer"].id}, 201)["id"]

    api_request = new_request()
    to_accept, to_decline = propose(new_request()), propose(new_request())
    arrangement_request = new_request()
    accepted = call("POST", f"/matches/{propose(arrangement_request)}/accept", volunteer, None,
                    200)
    web_request = new_request()
    web_match = propose(web_request)
    members = [save_member(world.users["resident"], name=name, relation="neighbour",
                           can_help=["shopping"]).id for name in ("Buurman Bert", "Buurvrouw Ans")]
    from datetime import UTC, datetime

    from marketplace.brokering.models import Arrangement
    from marketplace.followup.services import answer_token, checkins_of
    from marketplace.reciprocity.models import ReciprocityInvitation
    from marketplace.reciprocity.services import _serializer

    arrangement = db.session.get(Arrangement, accepted["arrangement_id"])
    checkin_token = answer_token(checkins_of(arrangement)[0], "resident", app.secret_key)
    invitation = ReciprocityInvitation(resident_id=world.users["resident"].id,
                                       arrangement_id=arrangement.id,
                                       invited_at=datetime.now(UTC))
    db.session.add(invitation)
    db.session.flush()
    reciprocity_token = _serializer().dumps(invitation.id)
    db.session.commit()
    return Market(api_request=api_request, api_match_to_accept=to_accept,
                  api_match_to_decline=to_decline, arrangement=accepted["arrangement_id"],
                  arrangement_request=arrangement_request, web_request=web_request,
                  web_match=web_match, member_to_edit=members[0], member_to_delete=members[1],
                  checkin_token=checkin_token, reciprocity_token=reciprocity_token)
