"""A service's error reaches an English reader in English, on a form and in the API, for
each family of services (help requests, volunteers, signals, casework, follow-up,
associations, reports, areas): the message is raised in Dutch, marked with N_(), and
translated where it is shown (marketplace.errors.apply_errors, the API's error handler,
DomainError.message for flashes).

Expected texts are the catalogue's English for the Dutch msgid (with its values), so each
case fails when the message is shown in Dutch or has no English.
"""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup

from marketplace.errors import N_
from marketplace.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.robustness.conftest import merged

CATALOGUE = merged()


def english(msgid: str, **params: Any) -> str:
    message = CATALOGUE.get(msgid)
    assert message is not None and message.string, f"no English for {msgid!r}"
    return message.string % params if params else message.string


def dutch(msgid: str, **params: Any) -> str:
    return msgid % params if params else msgid


def sign_in(app, email: str):
    client = app.test_client()
    client.get("/?lang=en")
    response = client.post("/inloggen", data={"email": email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def page_text(response) -> str:
    return " ".join(BeautifulSoup(response.get_data(as_text=True), "html.parser")
                    .get_text(" ").split())


CHOICES = "extension, stop, step_down, other"
API_CASES = [
    # (family, role, method, url, body, field, Dutch msgid, values)
    ("help requests", "resident", "POST", "/requests",
     {"category": "nope", "description": "ko", "postcode": "5527 AB", "house_number": "17"},
     "description", "Vertel in een paar woorden wat u zoekt (minstens 3 tekens).", {}),
    ("volunteers", "volunteer", "PUT", "/volunteers/me",
     {"skills": ["shopping"], "postcode": "5531 AB", "radius_km": 99, "availability": [],
      "has_vog": False},
     "radius_km", "Kies een afstand van %(low)s tot %(high)s km.", {"low": "1", "high": "25"}),
    ("signals", "resident", "POST", "/signals", {"postcode": "5527", "concern": "ko"},
     "concern", "Vertel in een paar woorden wat u opviel (minstens 3 tekens).", {}),
    ("casework", "worker", "POST", "/residents/{resident}/intake", {"scores": {}},
     "question_as_asked", "Schrijf de vraag op zoals de inwoner hem stelde.", {}),
    ("associations", "association", "POST", "/activities",
     {"title": "Koffie", "category": "nope", "postcode": "5527", "starts_at":
      "2030-01-01T10:00"}, "category", "Deze soort activiteit bestaat niet.", {}),
    ("reports", "municipality", "GET", "/reports/indicators?from=gisteren", None,
     "from", "Vul een datum in als 2026-01-31.", {}),
]


@pytest.mark.parametrize("case", API_CASES, ids=[case[0] for case in API_CASES])
def test_a_service_error_in_the_api_is_english(english_app, world, market, api_token, case):
    family, role, method, url, body, field, msgid, values = case
    headers = {**api_token(world.users[role]), "Accept-Language": "en"}
    url = url.format(resident=world.users["resident"].id)
    db.session.rollback()  # hold no SQLite lock while the other app serves
    response = english_app.test_client().open(f"/api/v1{url}", method=method, json=body,
                                              headers=headers)
    assert response.status_code == 422, response.get_json()
    errors = response.get_json()["errors"]
    assert english(msgid, **values) in errors[field], errors
    assert dutch(msgid, **values) not in errors[field]


def test_service_errors_of_the_follow_up_api_are_english(english_app, world, market,
                                                         api_token):
    headers = {**api_token(world.users["worker"]), "Accept-Language": "en"}
    db.session.rollback()
    response = english_app.test_client().post(
        f"/api/v1/arrangements/{market.arrangement}/evaluation", headers=headers,
        json={"continuation": "nope"})
    assert response.status_code == 422, response.get_json()
    errors = response.get_json()["errors"]["continuation"]
    assert errors and all(text.startswith("Choose from: ") for text in errors), errors


def test_a_not_found_of_a_service_is_english(english_app, world, api_token):
    headers = {**api_token(world.users["worker"]), "Accept-Language": "en"}
    db.session.rollback()
    response = english_app.test_client().get("/api/v1/arrangements/999999", headers=headers)
    assert response.status_code == 404
    assert response.get_json()["detail"] == english("Deze afspraak bestaat niet.")


FORM_CASES = [
    # (family, role, url, form data, Dutch msgid)
    ("help requests", "resident", "/hulpvragen/{web_request}/wijzigen",
     {"category": "shopping", "description": "Ook de apotheek graag.", "postcode": "1000",
      "house_number": "12", "timing": "flexible", "urgency": "low"},
     "Deze postcode kennen wij niet. Kijk of de cijfers kloppen."),
    ("signals", None, "/zorg-melden",
     {"postcode": "1000", "concern": "De post stapelt zich al een week op bij nummer 12."},
     "Deze postcode kennen wij niet. Kijk of de cijfers kloppen."),
    ("casework", "worker", "/dossier/{resident}/vraagverheldering",
     {"question_as_asked": "Hulp in huis", "consent_special_data": "y", "consent_purpose": ""},
     "Schrijf op waarvoor de gegevens nodig zijn."),
    ("volunteers", "volunteer", "/vrijwilliger/profiel",
     {"skills": ["shopping"], "postcode": "5531 AB", "radius_km": "99", "has_vog": "no",
      "max_commitments": "2"},
     N_("Kies een afstand van %(low)s tot %(high)s km.", low="1", high="25")),
]


@pytest.mark.parametrize("case", FORM_CASES, ids=[case[0] for case in FORM_CASES])
def test_a_service_error_on_a_form_is_english(english_app, world, market, case):
    family, role, url, data, msgid = case
    url = url.format(web_request=market.web_request, resident=world.users["resident"].id)
    email = world.users[role].email if role else None
    db.session.rollback()  # read nothing after this: a reader's lock blocks the other app
    if email is None:
        client = english_app.test_client()
        client.get("/?lang=en")
    else:
        client = sign_in(english_app, email)
    response = client.post(url, data=data)
    assert response.status_code == 200, response.status_code
    text = page_text(response)
    values = getattr(msgid, "params", {})
    assert english(getattr(msgid, "msgid", msgid), **values) in text
    assert str(msgid) not in text


def test_a_report_filter_error_is_english(english_app, world):
    email = world.users["municipality"].email
    db.session.rollback()
    client = sign_in(english_app, email)
    text = page_text(client.get("/rapportage/?from=gisteren"))
    assert english("Vul een datum in zoals 25-12-2026.") in text
    assert "Vul een datum in zoals" not in text
