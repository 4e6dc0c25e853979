"""No orphaned requests (issue 13 §4): a postcode no work area covers is refused at the postcode
step, in the wizard and in the API, with where else to go; an area that covers it lets it in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from marketplace.areas import coverage
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from tests.conftest import TEST_PASSWORD

NEW = "/hulpvragen/nieuw"
GRONINGEN = "9711 AA"  # a real postcode the gazetteer knows, far from the demo region


@pytest.fixture()
def region(make_area):
    make_area("RG", "region", name="Kempen")
    make_area("GM1728", "municipality", name="Bladel", parent="RG", pc4=("5531", "5527"))
    make_area("GM0770", "municipality", name="Eersel", parent="RG", pc4=("5521",))


def body(postcode: str) -> dict:
    return {"category": "shopping", "description": "Boodschappen op vrijdag, ik loop slecht.",
            "postcode": postcode, "house_number": "17"}


def test_the_api_refuses_a_postcode_outside_every_area(client, region, make_user, api_token):
    headers = api_token(make_user("resident"))
    response = client.post("/api/v1/requests", json=body(GRONINGEN), headers=headers)
    assert response.status_code == 422
    message = response.get_json()["errors"]["postcode"][0]
    assert "Bladel en Eersel" in message and "gemeente of het wijkteam" in message
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 0
    assert client.post("/api/v1/requests", json=body("5527 AB"),
                       headers=headers).status_code == 201


def test_an_area_that_covers_it_lets_it_in(client, region, make_user, make_area, api_token):
    make_area("GM0014", "municipality", name="Groningen", pc4=("9711",))
    response = client.post("/api/v1/requests", json=body(GRONINGEN),
                           headers=api_token(make_user("resident")))
    assert response.status_code == 201, response.get_json()


def test_a_worker_cannot_post_outside_the_areas_either(client, region, make_user, api_token):
    response = client.post("/api/v1/requests", json=body("1234"),
                           headers=api_token(make_user("worker")))
    assert "postcode" in response.get_json()["errors"]


def test_the_wizard_says_it_at_the_postcode_step(app, region, make_user):
    client = app.test_client()
    resident = make_user("resident")
    client.post("/inloggen", data={"email": resident.email, "password": TEST_PASSWORD})
    assert client.post(NEW, data={"category": "shopping", "for_whom": "self"}).status_code == 302
    client.post(f"{NEW}/omschrijving", data={
        "description": "Ik kan niet meer zelf naar de supermarkt. Wie helpt op vrijdag?"})
    response = client.post(f"{NEW}/waar-wanneer", data={
        "postcode": GRONINGEN, "house_number": "17", "timing": "date", "urgency": "normal",
        "wanted_on": (today() + timedelta(days=7)).isoformat()})
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    field = page.find(id="postcode")
    assert field is not None and field.get("value") == GRONINGEN  # what was typed stays
    text = " ".join(page.get_text(" ").split())
    assert "Deze postcode valt buiten ons werkgebied." in text
    assert "Buurtmakelaar werkt in Bladel en Eersel." in text


def test_words_for_the_municipalities(app):
    assert coverage.in_words([]) == ""
    assert coverage.in_words(["Bladel"]) == "Bladel"
    assert coverage.in_words(["Bladel", "Eersel", "Reusel"]) == "Bladel, Eersel en Reusel"


def test_without_any_area_nothing_is_refused_yet(app):
    assert coverage.refusal("9711") is None
