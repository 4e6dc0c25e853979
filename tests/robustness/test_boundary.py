"""Regression tests for each cause of a 500 found by the fuzzer (issue 13 §1), fixed once at the
boundary: the JSON-body reader, the id converter and the text cleaner."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from marketplace.api.body import MAX_DEPTH, too_deep
from marketplace.cleaning import REPLACEMENT, clean_json, clean_text, whole_number
from marketplace.extensions import db

BIG = str(2**63)  # 9223372036854775808: SQLite overflows here
INT4 = str(2**31)  # 2147483648: one more than an Integer column holds on PostgreSQL
DEEP = "[" * 5000 + "]" * 5000
CONCERN = "De gordijnen van nummer 12 blijven al een week dicht en de post stapelt zich op."


# --- pure parts ---

def test_depth_scan_counts_brackets_outside_strings_only():
    assert not too_deep("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    assert too_deep("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert not too_deep('{"a": "' + "[" * 1000 + '"}')  # brackets inside a string
    assert not too_deep('{"a": "\\"[[[[\\""}')  # escaped quotes keep the string open
    assert too_deep("[" * 200_000)  # no recursion: a very deep body is just a long loop


def test_cleaner_drops_nul_and_replaces_lone_surrogates():
    assert clean_text("a\x00b\ud800c\udfff") == f"ab{REPLACEMENT}c{REPLACEMENT}"
    assert clean_text("gewoon één 😀") == "gewoon één 😀"
    cleaned = clean_json({"k\x00": ["\ud800", {"x": "y\x00"}, 1, None, True]})
    assert cleaned == {"k": [REPLACEMENT, {"x": "y"}, 1, None, True]}


def test_whole_numbers_are_ascii_digits_within_bounds():
    assert whole_number("42", 100) == 42
    assert whole_number(" 7 ", 100) == 7
    assert whole_number("0", 100) == 0
    assert whole_number("100", 100) == 100
    for wrong in ("101", "²", "①", "٣", "", " ", "-1", "+1", "1e3", "4.0", "9" * 40, None, 42):
        assert whole_number(wrong, 100) is None, wrong


def test_cleaner_copes_with_nesting_without_recursion():
    value: list = ["\x00"]
    for _ in range(5000):
        value = [value]
    cleaned, depth = clean_json(value), 0
    while cleaned != [""]:
        cleaned, depth = cleaned[0], depth + 1
    assert depth == 5000


# --- the API ---

@pytest.fixture()
def people(make_user, make_area):
    area = make_area("GM1728", "municipality", name="Bladel", pc4=("5527", "5531"))
    return {
        "resident": make_user("resident"),
        "volunteer": make_user("volunteer"),
        "worker": make_user("worker", areas=(area,)),
    }


def is_problem(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.get_data(True))
    assert response.mimetype == "application/problem+json"
    return response.get_json()


WRITES = [
    ("resident", "POST", "/api/v1/requests"),
    ("resident", "POST", "/api/v1/signals"),
    ("volunteer", "PUT", "/api/v1/volunteers/me"),
    ("worker", "POST", "/api/v1/matches"),
    ("worker", "POST", "/api/v1/residents/1/notes"),
]


@pytest.mark.parametrize(("role", "method", "url"), WRITES)
def test_deeply_nested_json_is_400_not_a_recursion_error(client, people, api_token, role,
                                                         method, url):
    response = client.open(url, method=method, data=DEEP, content_type="application/json",
                           headers=api_token(people[role]))
    body = is_problem(response, 400)
    assert "genest" in body["detail"]


@pytest.mark.parametrize("payload", ['"str"', "123", "[1, 2]", "null", "true"])
@pytest.mark.parametrize(("role", "method", "url"), WRITES)
def test_a_body_that_is_not_an_object_is_422(client, people, api_token, role, method, url,
                                             payload):
    response = client.open(url, method=method, data=payload, content_type="application/json",
                           headers=api_token(people[role]))
    assert "body" in is_problem(response, 422)["errors"]


def test_nan_and_giant_numbers_are_bad_json(client, people, api_token):
    headers = api_token(people["volunteer"])
    for payload in ('{"radius_km": NaN}', '{"radius_km": ' + "9" * 5000 + "}"):
        response = client.put("/api/v1/volunteers/me", data=payload,
                              content_type="application/json", headers=headers)
        is_problem(response, 400)


@pytest.mark.parametrize("path", [
    f"/api/v1/requests/{BIG}", f"/api/v1/requests/{BIG}/candidates",
    f"/api/v1/arrangements/{BIG}", f"/api/v1/signals/{BIG}", f"/api/v1/residents/{BIG}/file",
    "/api/v1/requests/0", "/api/v1/requests/" + "9" * 40, f"/api/v1/requests/{INT4}",
    f"/api/v1/arrangements/{INT4}", "/api/v1/arrangements/3000553783299",
])
def test_ids_beyond_the_database_are_404(client, people, api_token, path):
    is_problem(client.get(path, headers=api_token(people["worker"])), 404)


@pytest.mark.parametrize("path", [f"/api/v1/requests/{BIG}/withdraw",
                                  f"/api/v1/requests/{BIG}/offers",
                                  f"/api/v1/matches/{BIG}/accept",
                                  f"/api/v1/matches/{BIG}/decline"])
def test_writes_to_ids_beyond_the_database_are_404(client, people, api_token, path):
    is_problem(client.post(path, json={}, headers=api_token(people["volunteer"])), 404)


def test_web_routes_share_the_id_converter(client, people, login):
    login(people["worker"])
    for path in (f"/signalen/{BIG}", "/signalen/0", "/hulpvragen/" + "9" * 30,
                 f"/hulpvragen/{INT4}"):
        assert client.get(path).status_code == 404, path


def test_lone_surrogates_and_nul_are_cleaned_before_the_services(client, people, api_token):
    from marketplace.signals.models import Signal

    response = client.post("/api/v1/signals", headers=api_token(people["resident"]), json={
        "postcode": "5527\x00", "concern": CONCERN + " \ud800\x00", "about": "\udfffnr 12"})
    assert response.status_code == 201, response.get_json()
    signal = db.session.scalars(select(Signal)).one()
    assert signal.concern == CONCERN + " " + REPLACEMENT
    assert signal.about == REPLACEMENT + "nr 12"


def test_request_text_with_a_lone_surrogate_is_stored_cleaned(client, people, api_token):
    response = client.post("/api/v1/requests", headers=api_token(people["resident"]), json={
        "category": "shopping", "description": "Boodschappen \ud800 op vrijdag graag.",
        "postcode": "5527 AB", "house_number": "17\x00"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["description"] == f"Boodschappen {REPLACEMENT} op vrijdag graag."


@pytest.mark.parametrize(("field", "value"), [
    ("pause_reason", 1.5), ("postcode", 5531), ("skills", "shopping"), ("skills", [1, 2]),
    ("radius_km", "10"), ("radius_km", True), ("has_vog", "ja"), ("max_commitments", 2.5),
    ("vog_valid_until", 20261201), ("languages", {"nl": True}),
])
def test_wrong_types_are_a_422_on_that_field(client, people, api_token, field, value):
    body = {"skills": ["shopping"], "postcode": "5531 AB", "radius_km": 10, field: value}
    response = client.put("/api/v1/volunteers/me", json=body,
                          headers=api_token(people["volunteer"]))
    assert field in is_problem(response, 422)["errors"]


@pytest.mark.parametrize(("url", "body", "field"), [
    ("/api/v1/requests", {"category": ["shopping"]}, "category"),
    ("/api/v1/requests", {"for_person": {"name": {"x": 1}}}, "for_person.name"),
    ("/api/v1/requests", {"resident_id": 2**70}, "resident_id"),
    ("/api/v1/requests", {"recurrence": 7}, "recurrence"),
    ("/api/v1/signals", {"postcode": 5527, "concern": CONCERN}, "postcode"),
])
def test_request_and_signal_fields_of_the_wrong_type(client, people, api_token, url, body,
                                                     field):
    response = client.post(url, json=body, headers=api_token(people["worker"]))
    assert field in is_problem(response, 422)["errors"]


def test_ids_in_a_resident_file_body_are_within_range(client, people, api_token):
    from marketplace.accounts.models import User

    resident = db.session.scalar(select(User).where(User.email.like("resident%")))
    assert client.post("/api/v1/requests", headers=api_token(resident), json={
        "category": "shopping", "description": "Boodschappen op vrijdag graag.",
        "postcode": "5527 AB", "house_number": "17"}).status_code == 201  # in the area
    for partner_id in (-26576973095, 2**31, 0):
        response = client.post(f"/api/v1/residents/{resident.id}/referrals",
                               json={"partner_id": partner_id, "reason": "x", "consent": True},
                               headers=api_token(people["worker"]))
        assert "partner_id" in is_problem(response, 422)["errors"]


def test_matches_want_ids_within_range(client, people, api_token):
    response = client.post("/api/v1/matches", json={"request_id": 2**64, "volunteer_id": True},
                           headers=api_token(people["worker"]))
    assert set(is_problem(response, 422)["errors"]) == {"request_id", "volunteer_id"}


def test_withdraw_with_a_non_object_or_typed_wrong_reason(client, people, api_token):
    headers = api_token(people["resident"])
    created = client.post("/api/v1/requests", headers=headers, json={
        "category": "shopping", "description": "Boodschappen op vrijdag graag.",
        "postcode": "5527 AB", "house_number": "17"}).get_json()
    url = f"/api/v1/requests/{created['id']}/withdraw"
    is_problem(client.post(url, data='"weg"', content_type="application/json",
                           headers=headers), 422)
    assert "reason" in is_problem(client.post(url, json={"reason": 3}, headers=headers),
                                  422)["errors"]
    assert client.post(url, headers=headers).status_code == 200  # no body at all is fine


def test_request_get_json_itself_goes_through_the_reader(app):
    """Handlers that call request.get_json() their own way are protected too."""
    from flask import request

    with app.test_request_context("/", method="POST", data=DEEP,
                                  content_type="application/json"):
        assert request.get_json(silent=True) is None
    with app.test_request_context("/", method="POST", json={"a": "x\ud800\x00"}):
        assert request.get_json() == {"a": "x" + REPLACEMENT}


# --- web forms ---

def test_a_file_in_a_text_field_is_a_field_error(client, people, login):
    from marketplace.signals.models import Signal

    login(people["resident"])
    response = client.post("/zorg-melden", content_type="multipart/form-data", data={
        "postcode": "5527 AB", "concern": CONCERN,
        "about": (io.BytesIO(b"%PDF-1.4"), "brief.pdf")})  # an optional field
    assert response.status_code == 200
    assert "Stuur hier tekst, geen bestand." in response.get_data(as_text=True)
    assert db.session.scalars(select(Signal)).first() is None


def test_nul_in_form_fields_never_reaches_the_database(client, people, login):
    from marketplace.signals.models import Signal

    login(people["resident"])
    response = client.post("/zorg-melden", data={"postcode": "5527\x00 AB",
                                                 "concern": CONCERN + "\x00"})
    assert response.status_code == 302
    assert db.session.scalars(select(Signal)).one().concern == CONCERN
