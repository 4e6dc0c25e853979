"""API of associations and activities (CONTRACT.md): shapes, statuses, who sees what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from marketplace.clock import now as clock_now

PROBLEM = "application/problem+json"


def _future(days: int = 7, hour: int = 18) -> str:
    moment = (clock_now() + timedelta(days=days)).replace(hour=hour, minute=0, second=0,
                                                           microsecond=0)
    return moment.astimezone(UTC).isoformat()


@pytest.fixture()
def world(make_area, make_user, api_token):
    area = make_area("GM1728", "municipality", pc4=("5531", "5541"))
    other = make_area("GM0861", "municipality", pc4=("5521",))
    worker = make_user("worker", areas=(area,))
    board = make_user("association", name="Bestuurder Bea")
    outsider = make_user("association")
    resident = make_user("resident", name="Inwoner Ida")
    return {"area": area, "other": other, "worker": worker, "board": board,
            "outsider": outsider, "resident": resident,
            "h": {k: api_token(v) for k, v in (("worker", worker), ("board", board),
                                               ("outsider", outsider),
                                               ("resident", resident))}}


def _association(client, world) -> dict:
    response = client.post("/api/v1/associations", headers=world["h"]["worker"],
                           json={"name": "Buurtvereniging De Linde", "postcode": "5531 AB",
                                 "description": "Samen in de buurt"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _activity(client, world, association_id, **extra) -> dict:
    body = {"association_id": association_id, "title": "Koffieochtend", "category": "companionship",
            "description": "Koffie en een praatje", "postcode": "5531", "venue": "Dorpshuis",
            "starts_at": _future(), "recurrence": "weekly", "capacity": 2, "accessible": True}
    body.update(extra)
    return client.post("/api/v1/activities", headers=world["h"]["board"], json=body)


def test_association_and_member_flow(client, world):
    created = _association(client, world)
    assert set(created) >= {"id", "name", "pc4", "place"}
    assert created["pc4"] == "5531" and created["place"] == "Bladel"
    listed = client.get("/api/v1/associations", headers=world["h"]["resident"]).get_json()
    assert [a["id"] for a in listed] == [created["id"]]

    # Not yet a member: may not create an activity for it.
    assert _activity(client, world, created["id"]).status_code == 403
    # A resident may not add members; the worker may.
    url = f"/api/v1/associations/{created['id']}/members"
    assert client.post(url, headers=world["h"]["resident"],
                       json={"user_id": world["resident"].id}).status_code == 403
    assert client.post(url, headers=world["h"]["worker"],
                       json={"user_id": world["board"].id}).status_code == 201
    assert client.post(url, headers=world["h"]["worker"],
                       json={"user_id": world["board"].id}).status_code == 409
    # A member adds another member.
    assert client.post(url, headers=world["h"]["board"],
                       json={"user_id": world["outsider"].id}).status_code == 201
    response = _activity(client, world, created["id"])
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "active" and body["run_by"] == "association"
    assert client.post("/api/v1/associations/999999/members", headers=world["h"]["worker"],
                       json={"user_id": world["board"].id}).status_code == 404


def test_bad_input_is_422_per_field(client, world):
    created = _association(client, world)
    client.post(f"/api/v1/associations/{created['id']}/members", headers=world["h"]["worker"],
                json={"user_id": world["board"].id})
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    response = _activity(client, world, created["id"], starts_at=past, capacity=0,
                         recurrence="daily", postcode="5599", category="knitting",
                         accessible="yes")
    assert response.status_code == 422
    assert response.content_type == PROBLEM
    errors = response.get_json()["errors"]
    assert {"starts_at", "capacity", "recurrence", "postcode", "category",
            "accessible"} <= set(errors)
    response = _activity(client, world, created["id"], starts_at="tomorrow", capacity=-3,
                         ends_at=_future(days=6))
    assert response.status_code == 422
    assert {"starts_at", "capacity"} <= set(response.get_json()["errors"])
    response = _activity(client, world, created["id"], ends_at=_future(days=6))
    assert "ends_at" in response.get_json()["errors"]
    for body in ([], "x", {"name": 5, "postcode": ["5531"]}):
        response = client.post("/api/v1/associations", headers=world["h"]["worker"], json=body)
        assert response.status_code in (400, 422)
        assert response.content_type == PROBLEM
    response = client.post("/api/v1/associations", headers=world["h"]["worker"],
                           json={"name": "X", "postcode": "1000 ZZ"})
    assert response.status_code == 422 and "postcode" in response.get_json()["errors"]


def test_worker_creates_welfare_activity_only_in_own_area(client, world):
    body = {"title": "Eettafel", "category": "meals", "description": "Samen eten",
            "postcode": "5541", "venue": "Wijkcentrum", "starts_at": _future(),
            "accessible": False}
    response = client.post("/api/v1/activities", headers=world["h"]["worker"], json=body)
    assert response.status_code == 201
    assert response.get_json()["run_by"] == "welfare"
    response = client.post("/api/v1/activities", headers=world["h"]["worker"],
                           json={**body, "postcode": "5521"})
    assert response.status_code == 422 and "postcode" in response.get_json()["errors"]
    # A resident may not create activities at all.
    assert client.post("/api/v1/activities", headers=world["h"]["resident"],
                       json=body).status_code == 403


def test_signup_waitlist_and_sign_off(client, world, make_user, api_token):
    created = _association(client, world)
    client.post(f"/api/v1/associations/{created['id']}/members", headers=world["h"]["worker"],
                json={"user_id": world["board"].id})
    activity_id = _activity(client, world, created["id"]).get_json()["id"]
    residents = [world["resident"]] + [make_user("resident", name=f"Zeta {i}") for i in range(2)]
    headers = [world["h"]["resident"]] + [api_token(r) for r in residents[1:]]
    url = f"/api/v1/activities/{activity_id}/signups"
    answers = [client.post(url, headers=h) for h in headers]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert [a.get_json()["status"] for a in answers] == ["registered", "registered",
                                                         "waitlisted"]
    assert answers[2].get_json()["position"] == 1
    assert client.post(url, headers=headers[0]).status_code == 409

    # Names only, and only for members and the area's workers.
    seen = client.get(f"/api/v1/activities/{activity_id}", headers=world["h"]["board"])
    assert [s["name"] for s in seen.get_json()["signups"]] == [r.name for r in residents]
    assert set(seen.get_json()["signups"][0]) == {"id", "name", "status", "position"}
    for who in ("resident", "outsider"):
        body = client.get(f"/api/v1/activities/{activity_id}", headers=world["h"][who]).get_json()
        assert "signups" not in body
        assert "Zeta" not in str(body) and "@" not in str(body)
    assert "signups" in client.get(f"/api/v1/activities/{activity_id}",
                                   headers=world["h"]["worker"]).get_json()

    # Sign off: the first person waiting moves in.
    assert client.delete(f"{url}/me", headers=headers[0]).status_code == 204
    assert client.delete(f"{url}/me", headers=headers[0]).status_code == 404
    mine = client.get(f"/api/v1/activities/{activity_id}", headers=headers[2]).get_json()
    assert mine["my_signup"]["status"] == "registered"
    assert mine["spots_left"] == 0


def test_worker_signs_up_a_resident_and_cancelled_is_409(client, world, app):
    body = {"title": "Eettafel", "category": "meals", "postcode": "5531",
            "starts_at": _future(), "accessible": True}
    activity_id = client.post("/api/v1/activities", headers=world["h"]["worker"],
                              json=body).get_json()["id"]
    url = f"/api/v1/activities/{activity_id}/signups"
    response = client.post(url, headers=world["h"]["worker"],
                           json={"resident_id": world["resident"].id})
    assert response.status_code == 201 and response.get_json()["status"] == "registered"
    assert client.post(url, headers=world["h"]["worker"], json={}).status_code == 422
    assert client.post(url, headers=world["h"]["worker"],
                       json={"resident_id": world["worker"].id}).status_code == 404
    from marketplace.associations.models import Activity
    from marketplace.extensions import db

    db.session.get(Activity, activity_id).status = "cancelled"
    db.session.commit()
    other = client.post(url, headers=world["h"]["resident"])
    assert other.status_code == 409 and other.content_type == PROBLEM
    assert client.get("/api/v1/activities/424242",
                      headers=world["h"]["resident"]).status_code == 404


def test_nearby_nearest_first_with_rounded_distance(client, world):
    base = {"category": "companionship", "starts_at": _future(), "accessible": True}
    for title, postcode in (("Ver weg", "5521"), ("Dichtbij", "5531"), ("Reusel", "5541")):
        assert client.post("/api/v1/activities", headers=world["h"]["worker"] if postcode != "5521"
                           else None, json={**base, "title": title,
                                            "postcode": postcode}).status_code in (201, 401)
    response = client.get("/api/v1/activities/nearby?postcode=5531&radius_km=5",
                          headers=world["h"]["resident"])
    assert response.status_code == 200
    rows = response.get_json()
    assert [r["title"] for r in rows] == ["Dichtbij", "Reusel"]
    assert rows[0]["distance_km"] == 0.5 and rows[1]["distance_km"] == 3.5
    assert rows[0]["spots_left"] is None
    assert set(rows[0]) >= {"id", "title", "category", "pc4", "place", "distance_km",
                            "next_starts_at", "spots_left", "accessible"}
    for query in ("postcode=nonsense", "postcode=5531&radius_km=-1",
                  "postcode=5531&radius_km=abc", "postcode=5599"):
        bad = client.get(f"/api/v1/activities/nearby?{query}", headers=world["h"]["resident"])
        assert bad.status_code == 422, query
        assert bad.content_type == PROBLEM
    for radius in ("0", "50.5", "inf", "nan"):
        bad = client.get(f"/api/v1/activities/nearby?postcode=5531&radius_km={radius}",
                         headers=world["h"]["resident"])
        assert bad.status_code == 422, radius
        assert "groter dan 0 en hoogstens 50 km" in str(bad.get_json()["errors"]["radius_km"])
    # Less than a kilometre is a radius too: the nearest activity is 0.5 km away.
    near = client.get("/api/v1/activities/nearby?postcode=5531&radius_km=0.5",
                      headers=world["h"]["resident"])
    assert near.status_code == 200 and len(near.get_json()) <= 1
    only = client.get("/api/v1/activities/nearby?postcode=5531&category=meals",
                      headers=world["h"]["resident"]).get_json()
    assert only == []


def test_no_address_or_contact_of_a_person_in_any_answer(client, world):
    """A resident with a request (house number, e-mail) signs up; what members, workers and
    others read of the activity holds the name for those allowed, never more of them."""
    from sqlalchemy import select

    from marketplace.accounts.models import AuditEvent
    from marketplace.extensions import db
    from marketplace.help_requests.services import RequestInput, create_request

    create_request(world["resident"], RequestInput(
        category="shopping", description="Boodschappen graag", postcode="5531 AB",
        house_number="17b"))
    db.session.commit()
    created = _association(client, world)
    client.post(f"/api/v1/associations/{created['id']}/members", headers=world["h"]["worker"],
                json={"user_id": world["board"].id})
    activity_id = _activity(client, world, created["id"]).get_json()["id"]
    assert client.post(f"/api/v1/activities/{activity_id}/signups",
                       headers=world["h"]["resident"]).status_code == 201
    resident = world["resident"]
    for who in ("board", "worker", "outsider", "resident"):
        answers = [client.get(f"/api/v1/activities/{activity_id}", headers=world["h"][who]),
                   client.get("/api/v1/activities/nearby?postcode=5531",
                              headers=world["h"][who]),
                   client.get("/api/v1/associations", headers=world["h"][who])]
        for answer in answers:
            body = answer.get_data(as_text=True)
            assert resident.email not in body and "17b" not in body and "5531 AB" not in body
    names = client.get(f"/api/v1/activities/{activity_id}", headers=world["h"]["board"])
    assert names.get_json()["signups"][0]["name"] == resident.name
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "activity.signups_viewed",
        AuditEvent.actor_user_id == world["board"].id)) is not None


def test_ids_beyond_what_a_column_holds_are_field_errors_or_404(client, world):
    created = _association(client, world)
    big = 2**31
    assert client.post(f"/api/v1/associations/{created['id']}/members",
                       headers=world["h"]["worker"], json={"user_id": big}).status_code == 422
    assert client.post("/api/v1/activities", headers=world["h"]["worker"], json={
        "association_id": big, "title": "X", "category": "meals", "postcode": "5531",
        "starts_at": _future(), "accessible": True}).status_code == 422
    assert client.post("/api/v1/activities/1/signups", headers=world["h"]["worker"],
                       json={"resident_id": big}).status_code in (404, 422)
    for path in (f"/api/v1/activities/{big}", f"/api/v1/activities/{2**63}"):
        assert client.get(path, headers=world["h"]["resident"]).status_code == 404
