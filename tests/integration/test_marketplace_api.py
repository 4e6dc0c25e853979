"""The marketplace part of the JSON API (CONTRACT.md §5) on every database."""

from __future__ import annotations

import pytest

from marketplace.areas import settings as area_settings
from marketplace.extensions import db

CANARY_NAME = "Kanarie Zeldzaamnaam"
CANARY_HOUSE = "417B"


@pytest.fixture()
def region(make_area):
    make_area("RG", "region")
    bladel = make_area("GM1728", "municipality", parent="RG")
    make_area("GM1728-HAPERT", "core", parent="GM1728", pc4=("5527",))
    make_area("GM1728-BLADEL", "core", parent="GM1728", pc4=("5531",))
    eersel = make_area("GM0770", "municipality", parent="RG", pc4=("5521",))
    return bladel, eersel


@pytest.fixture()
def people(make_user, region):
    bladel, eersel = region
    return {
        "resident": make_user("resident", name=CANARY_NAME),
        "volunteer": make_user("volunteer", name="Vera Vrijwilliger"),
        "far_volunteer": make_user("volunteer", name="Verre Vrijwilliger"),
        "worker": make_user("worker", areas=(bladel,)),
        "other_worker": make_user("worker", areas=(eersel,)),
        "municipality": make_user("municipality", areas=(bladel,)),
    }


def put_profile(client, headers, **overrides):
    body = {"skills": ["shopping", "garden"], "postcode": "5531 AB", "radius_km": 10,
            "availability": ["tue_morning", "sat_afternoon"], "has_vog": False}
    body.update(overrides)
    return client.put("/api/v1/volunteers/me", json=body, headers=headers)


def post_request(client, headers, **overrides):
    body = {"category": "shopping", "description": "Boodschappen doen op vrijdag, ik loop slecht.",
            "postcode": "5527 AB", "house_number": CANARY_HOUSE}
    body.update(overrides)
    return client.post("/api/v1/requests", json=body, headers=headers)


def test_volunteer_profile_round_trip_and_field_errors(client, people, api_token):
    headers = api_token(people["volunteer"])
    response = put_profile(client, headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["skills"] == ["garden", "shopping"]
    assert body["pc4"] == "5531" and body["radius_km"] == 10
    assert body["availability"] == ["sat_afternoon", "tue_morning"]

    bad = put_profile(client, headers, skills=["juggling"], postcode="0000", radius_km=80,
                      availability=["someday"])
    assert bad.status_code == 422
    assert bad.content_type == "application/problem+json"
    assert set(bad.get_json()["errors"]) == {"skills", "postcode", "radius_km", "availability"}
    # Nothing was lost: the earlier profile is unchanged.
    assert client.get("/api/v1/volunteers/me", headers=headers).get_json()["radius_km"] == 10

    resident = client.put("/api/v1/volunteers/me", json={}, headers=api_token(people["resident"]))
    assert resident.status_code == 403


def test_post_request_keeps_only_pc4_and_house_number(client, people, api_token):
    response = post_request(client, api_token(people["resident"]), urgency="high")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "open" and body["category"] == "shopping"
    assert body["pc4"] == "5527" and body["house_number"] == CANARY_HOUSE
    assert body["urgency"] == "high"
    assert "AB" not in str({k: v for k, v in body.items() if k != "description"})


@pytest.mark.parametrize("postcode", ["3511 AB", "3511AB", "3511ab", "3511"])
def test_post_request_accepts_every_postcode_form(client, people, api_token, make_area,
                                                  postcode):
    make_area("GM0344", "municipality", name="Utrecht", pc4=("3511",))  # an area covers it
    response = post_request(client, api_token(people["resident"]), postcode=postcode)
    assert response.status_code == 201
    assert response.get_json()["pc4"] == "3511"


def test_post_request_reports_every_bad_field(client, people, api_token):
    response = post_request(client, api_token(people["resident"]), category="rocket",
                            description="hi", postcode="99", house_number="", urgency="now")
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"category", "description", "postcode", "house_number", "urgency"}
    assert all(isinstance(m, list) and m for m in errors.values())


def test_post_request_with_day_parts(client, people, api_token):
    headers = api_token(people["resident"])
    response = post_request(client, headers,
                            availability=["tue_morning", "mon_evening", "tue_morning"])
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    # Week order, each day part once: the same codes as a volunteer's availability.
    assert body["availability"] == ["mon_evening", "tue_morning"]
    again = client.get(f"/api/v1/requests/{body['id']}", headers=headers).get_json()
    assert again["availability"] == ["mon_evening", "tue_morning"]
    put_profile(client, api_token(people["volunteer"]))
    seen = client.get(f"/api/v1/requests/{body['id']}", headers=api_token(people["volunteer"]))
    assert seen.get_json()["availability"] == ["mon_evening", "tue_morning"]

    flexible = post_request(client, headers, availability=[])
    assert flexible.status_code == 201 and flexible.get_json()["availability"] == []
    assert post_request(client, headers).get_json()["availability"] == []


def test_post_request_refuses_unknown_day_parts(client, people, api_token):
    headers = api_token(people["resident"])
    bad = post_request(client, headers, availability=["tue_morning", "someday"])
    assert bad.status_code == 422
    assert bad.content_type == "application/problem+json"
    errors = bad.get_json()["errors"]
    assert set(errors) == {"availability"}
    assert errors["availability"] == ["Gebruik dagdelen zoals mon_morning of tue_evening."]

    both = post_request(client, headers, availability="tue_morning", house_number="")
    assert both.status_code == 422
    assert set(both.get_json()["errors"]) == {"availability", "house_number"}
    assert client.get("/api/v1/requests", headers=headers).get_json() == []


def test_for_someone_else_without_consent_is_refused(client, people, api_token):
    headers = api_token(people["resident"])
    refused = post_request(client, headers,
                           for_person={"name": "Mijn moeder", "relation": "moeder",
                                       "consent": False})
    assert refused.status_code == 422 and "for_person.consent" in refused.get_json()["errors"]
    ok = post_request(client, headers, for_person={"name": "Mijn moeder", "consent": True})
    assert ok.status_code == 201
    assert ok.get_json()["for_person"]["name"] == "Mijn moeder"


def test_worker_posts_only_inside_own_area(client, people, api_token):
    headers = api_token(people["worker"])
    assert post_request(client, headers).status_code == 201
    outside = post_request(client, headers, postcode="5521")
    assert outside.status_code == 422 and "postcode" in outside.get_json()["errors"]
    assert post_request(client, api_token(people["volunteer"])).status_code == 403


def test_who_sees_what_of_a_request(client, people, api_token):
    request_id = post_request(client, api_token(people["resident"])).get_json()["id"]
    url = f"/api/v1/requests/{request_id}"
    put_profile(client, api_token(people["volunteer"]))

    own = client.get(url, headers=api_token(people["resident"])).get_json()
    assert own["house_number"] == CANARY_HOUSE and own["resident_name"] == CANARY_NAME

    worker = client.get(url, headers=api_token(people["worker"]))
    assert worker.status_code == 200 and worker.get_json()["house_number"] == CANARY_HOUSE

    for role in ("other_worker", "municipality"):
        response = client.get(url, headers=api_token(people[role]))
        assert response.status_code == 404, role
        assert response.get_json()["status"] == 404

    volunteer = client.get(url, headers=api_token(people["volunteer"]))
    assert volunteer.status_code == 200
    assert CANARY_HOUSE not in volunteer.text and CANARY_NAME not in volunteer.text
    assert "house_number" not in volunteer.get_json()

    missing = client.get("/api/v1/requests/999999", headers=api_token(people["worker"]))
    assert missing.status_code == 404 and missing.get_json()["title"] == worker_404_title(
        client, url, api_token(people["other_worker"]))


def worker_404_title(client, url, headers):
    return client.get(url, headers=headers).get_json()["title"]


def test_nearby_lists_only_fitting_requests_without_address(client, people, api_token):
    resident = api_token(people["resident"])
    near = post_request(client, resident).get_json()["id"]  # Hapert, shopping
    post_request(client, resident, category="digital")  # skill absent
    post_request(client, resident, postcode="1012")  # Amsterdam: far outside the radius
    put_profile(client, api_token(people["volunteer"]), radius_km=10)
    response = client.get("/api/v1/requests/nearby", headers=api_token(people["volunteer"]))
    assert response.status_code == 200
    items = response.get_json()
    assert [i["id"] for i in items] == [near]
    item = items[0]
    assert item["pc4"] == "5527" and item["category"] == "shopping"
    assert item["distance_km"] * 2 == int(item["distance_km"] * 2)  # rounded to 0.5
    assert 2 <= item["distance_km"] <= 4  # Bladel → Hapert is about 3 km
    assert CANARY_HOUSE not in response.text and CANARY_NAME not in response.text


def test_peer_to_peer_offer_accept_reveals_the_address(client, people, api_token, region):
    bladel, _ = region
    area_settings.set_value(bladel, "brokering_mode", "peer_to_peer")
    db.session.commit()
    request_id = post_request(client, api_token(people["resident"])).get_json()["id"]
    volunteer = api_token(people["volunteer"])
    put_profile(client, volunteer)
    offer = client.post(f"/api/v1/requests/{request_id}/offers", json={"message": "Graag!"},
                        headers=volunteer)
    assert offer.status_code == 201 and offer.get_json()["awaiting"] == "resident"
    match_id = offer.get_json()["id"]
    # The volunteer cannot accept their own offer: the resident answers it.
    assert client.post(f"/api/v1/matches/{match_id}/accept", headers=volunteer).status_code == 404
    accepted = client.post(f"/api/v1/matches/{match_id}/accept",
                           headers=api_token(people["resident"]))
    assert accepted.status_code == 200, accepted.get_json()
    body = accepted.get_json()
    assert body["status"] == "accepted" and "arrangement_id" in body
    seen = client.get(f"/api/v1/requests/{request_id}", headers=volunteer).get_json()
    assert seen["house_number"] == CANARY_HOUSE and seen["status"] == "matched"
    arrangement = client.get(f"/api/v1/arrangements/{body['arrangement_id']}", headers=volunteer)
    assert arrangement.status_code == 200
    assert arrangement.get_json()["status"] == "active"
    assert arrangement.get_json()["planned_end_on"] > arrangement.get_json()["started_on"]


def test_worker_proposes_and_second_accept_conflicts(client, people, api_token):
    request_id = post_request(client, api_token(people["resident"])).get_json()["id"]
    worker = api_token(people["worker"])
    ids = []
    for key in ("volunteer", "far_volunteer"):
        put_profile(client, api_token(people[key]))
        response = client.post("/api/v1/matches", headers=worker,
                               json={"request_id": request_id, "volunteer_id": people[key].id})
        assert response.status_code == 201 and response.get_json()["status"] == "proposed"
        ids.append(response.get_json()["id"])
    first = client.post(f"/api/v1/matches/{ids[0]}/accept",
                        headers=api_token(people["volunteer"]))
    assert first.status_code == 200
    second = client.post(f"/api/v1/matches/{ids[1]}/accept",
                         headers=api_token(people["far_volunteer"]))
    assert second.status_code == 409
    assert second.content_type == "application/problem+json"
    other = client.post("/api/v1/matches", headers=api_token(people["other_worker"]),
                        json={"request_id": request_id, "volunteer_id": people["volunteer"].id})
    assert other.status_code == 404
