"""Canaries: a resident's name, house number and the name of the person helped are never on a
page that a volunteer, the municipality, another area's worker or another volunteer can open
before there is an arrangement, and they are there for the volunteer of the arrangement."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.areas import settings as area_settings
from marketplace.brokering.models import Match
from marketplace.extensions import db
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.volunteers.services import ProfileInput, save_profile
from tests.conftest import TEST_PASSWORD

CANARY_NAME = "Kanarie-Naam-7Q"
CANARY_HOUSE = "9417-83Q"  # a valid house number (services.HOUSE_NUMBER_RE), stored as typed
CANARY_FOR = "Kanarie-Buur-5W"
CANARIES = (CANARY_NAME, CANARY_HOUSE, CANARY_FOR)


@pytest.fixture(autouse=True)
def isolated(app, monkeypatch):
    """Cheap password hashes, and a clean `g` per request as in production (the app fixture
    keeps one app context, so Flask-Login's cached user would carry over between browsers)."""
    from argon2 import PasswordHasher
    from flask import g, request_started

    from marketplace.accounts import passwords

    fast = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", fast)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", fast.hash("not-a-real-password"))

    def clear(sender, **extra):
        vars(g).clear()

    request_started.connect(clear, app)
    yield
    request_started.disconnect(clear, app)


def sign_in(app, user):
    client = app.test_client()
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


@pytest.fixture()
def world(app, make_area, make_user):
    bladel = make_area("GM1728", "municipality", pc4=("5527", "5531"))
    eersel = make_area("GM0770", "municipality", pc4=("5521",))
    area_settings.set_value(bladel, "brokering_mode", "peer_to_peer")
    resident = make_user("resident", name=CANARY_NAME)
    request = create_request(resident, RequestInput(
        category="shopping", description="Boodschappen op vrijdag, ik loop slecht.",
        postcode="5527 AB", house_number=CANARY_HOUSE, for_person_name=CANARY_FOR,
        for_person_relation="buurman", for_person_consent=True))
    people = {
        "resident": resident,
        "volunteer": make_user("volunteer", name="Vera Vrijwilliger"),
        "other_volunteer": make_user("volunteer", name="Otto Ander"),
        "far_volunteer": make_user("volunteer", name="Verre Vrijwilliger"),
        "municipality": make_user("municipality", areas=(bladel,)),
        "other_worker": make_user("worker", areas=(eersel,)),
        "admin": make_user("admin"),
        "association": make_user("association"),
    }
    for key, postcode, radius in (("volunteer", "5531", 5.0), ("other_volunteer", "5531", 5.0),
                                  ("far_volunteer", "5521", 1.0)):
        save_profile(people[key], ProfileInput(skills=["shopping"], postcode=postcode,
                                               radius_km=radius))
    db.session.commit()
    return people, request


def pages_for(role: str, request_id: int) -> list[str]:
    common = [f"/hulpvragen/{request_id}", "/", "/account/"]
    if "volunteer" in role:
        return [*common, "/vrijwilliger/in-de-buurt",
                "/vrijwilliger/in-de-buurt?sorteer=newest",
                "/vrijwilliger/in-de-buurt?sorteer=urgency&categorie=shopping",
                "/vrijwilliger/afspraken", "/vrijwilliger/profiel"]
    return [*common, "/hulpvragen/mijn", "/vrijwilliger/in-de-buurt", "/mijn-netwerk/"]


def assert_no_canary(client, role: str, request_id: int, extra: tuple[str, ...] = ()) -> None:
    for url in (*pages_for(role, request_id), *extra):
        text = client.get(url).text
        for canary in CANARIES:
            assert canary not in text, f"{canary} on {url} for {role}"


def test_no_address_or_name_before_the_arrangement_and_there_after(app, world, outbox_files):
    people, request = world
    clients = {role: sign_in(app, user) for role, user in people.items() if role != "resident"}
    for role, client in clients.items():
        assert_no_canary(client, role, request.id)
    # The right volunteer sees the request, without the canaries; the others get 404.
    assert clients["volunteer"].get(f"/hulpvragen/{request.id}").status_code == 200
    assert "5527 Hapert" in clients["volunteer"].get("/vrijwilliger/in-de-buurt").text
    for role in ("municipality", "other_worker", "admin", "association"):
        assert clients[role].get(f"/hulpvragen/{request.id}").status_code == 404, role

    # Both volunteers offer help; still nothing while the resident decides.
    for role in ("volunteer", "other_volunteer"):
        clients[role].post(f"/hulpvragen/{request.id}/aanbieden", data={"message": "Graag!"})
        assert_no_canary(clients[role], role, request.id)

    owner = sign_in(app, people["resident"])
    assert CANARY_HOUSE in owner.get(f"/hulpvragen/{request.id}").text
    match = db.session.scalar(select(Match).where(Match.volunteer_id == people["volunteer"].id))
    owner.post(f"/hulpvragen/{request.id}/aanbod/{match.id}", data={"decision": "accept"})

    helper_page = clients["volunteer"].get(f"/hulpvragen/{request.id}").text
    for canary in CANARIES:
        assert canary in helper_page
    assert CANARY_NAME in clients["volunteer"].get("/vrijwilliger/afspraken").text
    for role in ("other_volunteer", "far_volunteer", "municipality", "other_worker", "admin",
                 "association"):
        assert_no_canary(clients[role], role, request.id)
    assert clients["other_worker"].get(f"/hulpvragen/{request.id}").status_code == 404
    assert clients["municipality"].get(f"/hulpvragen/{request.id}").status_code == 404

    # When the resident withdraws the request, the arrangement ends and the canaries go.
    owner.post(f"/hulpvragen/{request.id}/intrekken", data={"reason": "not_needed"})
    assert_no_canary(clients["volunteer"], "volunteer", request.id)

    # No mail carries them either (the resident's own mails address the resident by name).
    import email
    from email import policy

    for raw in outbox_files():
        message = email.message_from_string(raw, policy=policy.default)
        if str(message["To"]) == people["resident"].email:
            continue
        body = message.get_body(("plain",)).get_content()
        for canary in CANARIES:
            assert canary not in body and canary not in str(message["Subject"])
