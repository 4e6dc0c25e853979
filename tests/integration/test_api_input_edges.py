"""Edges an outside audit found in the JSON API (CONTRACT.md §5): an error is filed under the
field the client sent, nothing it sent is dropped in silence, a short real description is
enough, a house number comes back as typed, PUT answers what GET answers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from tests.integration import test_marketplace_api as market_api
from tests.integration.test_marketplace_api import post_request, put_profile
from tests.integration.test_signals_api import post_signal

region, people = market_api.region, market_api.people  # the fixtures of that module

PAST = (date.today() - timedelta(days=400)).isoformat()


def errors_of(response) -> dict[str, list[str]]:
    assert response.status_code == 422, response.get_json()
    assert response.content_type == "application/problem+json"
    return response.get_json()["errors"]


# Errors under the field as the client spelled it ---------------------------------------------


def test_a_past_wanted_by_is_wrong_under_wanted_by(client, people, api_token):
    errors = errors_of(post_request(client, api_token(people["resident"]), wanted_by=PAST))
    assert set(errors) == {"wanted_by"}
    assert errors["wanted_by"] == ["Deze datum is al voorbij."]


def test_a_past_wanted_on_stays_under_wanted_on(client, people, api_token):
    errors = errors_of(post_request(client, api_token(people["resident"]), wanted_on=PAST))
    assert set(errors) == {"wanted_on"}


def test_a_date_timing_without_a_date_names_the_documented_field(client, people, api_token):
    errors = errors_of(post_request(client, api_token(people["resident"]), timing="date"))
    assert set(errors) == {"wanted_by"}


def test_an_until_before_wanted_by_is_wrong_under_wanted_until(client, people, api_token):
    start = (date.today() + timedelta(days=10)).isoformat()
    errors = errors_of(post_request(client, api_token(people["resident"]), timing="period",
                                    wanted_by=start, wanted_until=date.today().isoformat()))
    assert set(errors) == {"wanted_until"}


def test_consent_refused_inside_for_person_is_named_for_person_consent(client, people,
                                                                       api_token):
    errors = errors_of(post_request(client, api_token(people["resident"]), for_person={
        "name": "Mijn moeder", "relation": "moeder", "consent": False}))
    assert set(errors) == {"for_person.consent"}


# for_person is never dropped in silence ---------------------------------------------------


@pytest.mark.parametrize("for_person", [{"relation": "x"}, {"name": "", "relation": "buurman"},
                                        {"name": "   ", "consent": True}, {"consent": True}])
def test_for_person_without_a_name_is_refused_per_field(client, people, api_token, for_person):
    headers = api_token(people["resident"])
    errors = errors_of(post_request(client, headers, for_person=for_person))
    assert set(errors) == {"for_person.name"}
    assert errors["for_person.name"] == ["Vul de naam in van de persoon voor wie de hulp is."]
    assert client.get("/api/v1/requests", headers=headers).get_json() == []


def test_for_person_errors_come_with_the_other_fields(client, people, api_token):
    errors = errors_of(post_request(client, api_token(people["resident"]), description="",
                                    for_person={"name": 7, "relation": ["buurman"]}))
    assert set(errors) == {"description", "for_person.name", "for_person.relation"}


def test_text_longer_than_its_column_is_422_not_500(client, people, api_token):
    """PostgreSQL refuses a value longer than its column: these were 500s there."""
    headers = api_token(people["resident"])
    errors = errors_of(post_request(client, headers, timing="recurring", recurrence="x" * 121,
                                    network_note="x" * 1001, for_person={
                                        "name": "n" * 121, "relation": "r" * 61,
                                        "consent": True}))
    assert set(errors) == {"recurrence", "network_note", "for_person.name",
                           "for_person.relation"}
    assert errors["recurrence"] == ["Houd het korter: hoogstens 120 tekens."]
    assert set(errors_of(post_request(client, headers, for_person="n" * 121))) == {"for_person"}
    pause = put_profile(client, api_token(people["volunteer"]), pause_reason="x" * 201)
    assert errors_of(pause) == {"pause_reason": ["Houd het korter: hoogstens 200 tekens."]}
    ok = post_request(client, headers, timing="recurring", recurrence="x" * 120,
                      network_note="x" * 1000)
    assert ok.status_code == 201, ok.get_json()


@pytest.mark.parametrize("for_person", ["   ", 12, ["Mijn moeder"]])
def test_for_person_of_the_wrong_shape_is_refused(client, people, api_token, for_person):
    errors = errors_of(post_request(client, api_token(people["resident"]),
                                    for_person=for_person))
    assert set(errors) == {"for_person"}


@pytest.mark.parametrize("for_person", [None, "", {}])
def test_for_person_left_out_is_for_the_resident_themselves(client, people, api_token,
                                                            for_person):
    response = post_request(client, api_token(people["resident"]), for_person=for_person)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["for_person"] is None


def test_for_person_with_a_name_is_kept(client, people, api_token):
    response = post_request(client, api_token(people["resident"]), for_person={
        "name": " Mevrouw Jansen ", "relation": "buurvrouw", "consent": True})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["for_person"]["name"] == "Mevrouw Jansen"
    assert response.get_json()["for_person"]["relation"] == "buurvrouw"


# A short, real description or concern ------------------------------------------------------


@pytest.mark.parametrize("description", ["Tuin", "Hulp", "abc", " a b c "])
def test_a_short_real_description_is_enough(client, people, api_token, description):
    response = post_request(client, api_token(people["resident"]), category="garden",
                            description=description)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["description"] == description.strip()


@pytest.mark.parametrize("description", ["", "ab", "  a b  ", "\n\t"])
def test_a_description_under_three_characters_is_refused(client, people, api_token,
                                                         description):
    errors = errors_of(post_request(client, api_token(people["resident"]),
                                    description=description))
    assert "description" in errors
    if description:
        assert errors["description"] == [
            "Vertel in een paar woorden wat u zoekt (minstens 3 tekens)."]


def test_a_description_keeps_its_upper_bound(client, people, api_token):
    errors = errors_of(post_request(client, api_token(people["resident"]),
                                    description="x" * 2001))
    assert errors["description"] == ["Houd het korter: hoogstens 2000 tekens."]


def test_a_short_real_concern_is_enough_and_a_shorter_one_refused(client, people, api_token):
    headers = api_token(people["resident"])
    assert post_signal(client, headers, concern="Eenzaam").status_code == 201
    assert post_signal(client, headers, concern="Val").status_code == 201
    errors = errors_of(post_signal(client, headers, concern=" a  b "))
    assert errors["concern"] == ["Vertel in een paar woorden wat u opviel (minstens 3 tekens)."]
    errors = errors_of(post_signal(client, headers, concern="x" * 4001))
    assert errors["concern"] == ["Houd het korter: hoogstens 4000 tekens."]


# A house number as typed ------------------------------------------------------------------


@pytest.mark.parametrize(("sent", "kept"), [("17a", "17a"), (" 17a ", "17a"), ("17-2", "17-2"),
                                            ("17 b", "17 b"), ("17B", "17B"),
                                            (17, "17")])
def test_the_house_number_comes_back_as_typed(client, people, api_token, sent, kept):
    headers = api_token(people["resident"])
    response = post_request(client, headers, house_number=sent)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["house_number"] == kept
    again = client.get(f"/api/v1/requests/{response.get_json()['id']}", headers=headers)
    assert again.get_json()["house_number"] == kept
    assert db.session.get(HelpRequest, response.get_json()["id"]).house_number == kept


# PUT /volunteers/me answers what GET does -------------------------------------------------


def test_put_volunteer_profile_answers_with_the_calendar_url(client, people, api_token):
    headers = api_token(people["volunteer"])
    put = put_profile(client, headers)
    assert put.status_code == 200, put.get_json()
    got = client.get("/api/v1/volunteers/me", headers=headers).get_json()
    assert put.get_json()["calendar_url"].endswith(".ics")
    assert put.get_json() == got
    again = put_profile(client, headers, radius_km=5)
    assert again.get_json()["calendar_url"] == got["calendar_url"]
