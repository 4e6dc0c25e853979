"""Vacancies of activities through the API: contract shapes, the engine's hard rules, who
may see what (404 exactly like missing), accept/decline, filling, capacity, mail."""

from __future__ import annotations

import pytest

from marketplace.extensions import db
from tests.vacancy_support import build

PROBLEM = "application/problem+json"


@pytest.fixture()
def w(make_area, make_user):
    return build(make_area, make_user)


@pytest.fixture()
def h(w, api_token):
    return {name: api_token(getattr(w, name)) for name in (
        "worker", "other_worker", "board", "outsider", "resident", "near", "second", "far")}


def _create(client, w, h, who="board", **body):
    payload = {"skill": "meals", "count": 2, **body}
    return client.post(f"/api/v1/activities/{w.activity.id}/vacancies", headers=h[who],
                       json=payload)


def test_create_vacancy_contract_shape(client, w, h):
    response = _create(client, w, h, availability=["tue_morning"], needs_vog=True)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "open" and isinstance(body["id"], int)
    assert body["availability"] == ["tue_morning"] and body["needs_vog"] is True
    # A worker of the area may too; a member of another association, a resident, a worker
    # of another area and a volunteer may not: 404 as for a missing activity.
    assert _create(client, w, h, who="worker").status_code == 201
    for who in ("outsider", "resident", "other_worker", "near"):
        response = _create(client, w, h, who=who)
        assert response.status_code == 404, who
        assert response.mimetype == PROBLEM
    assert client.post("/api/v1/activities/999999/vacancies", headers=h["board"],
                       json={"skill": "meals", "count": 1}).status_code == 404


def test_bad_input_is_422_per_field(client, w, h):
    response = _create(client, w, h, skill="juggling", count=0,
                       availability=["someday_morning"], needs_vog="ja")
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    errors = response.get_json()["errors"]
    assert set(errors) == {"skill", "count", "availability", "needs_vog"}
    for bad in ({"skill": "meals"}, {"skill": "meals", "count": "twee"},
                {"skill": "meals", "count": True}, {"skill": 5, "count": 1},
                {"skill": "meals", "count": 1, "availability": "mon_morning"},
                {"skill": "meals", "count": 10**30}):
        response = client.post(f"/api/v1/activities/{w.activity.id}/vacancies",
                               headers=h["board"], json=bad)
        assert response.status_code == 422, bad
    assert client.post(f"/api/v1/activities/{w.activity.id}/vacancies", headers=h["board"],
                       data="[]", content_type="application/json").status_code in (400, 422)


def test_candidates_use_the_request_engine_and_hard_rules(client, w, h):
    vacancy = _create(client, w, h, needs_vog=True, availability=["tue_morning"]).get_json()
    url = f"/api/v1/vacancies/{vacancy['id']}/candidates"
    response = client.get(url, headers=h["board"])
    assert response.status_code == 200
    candidates = response.get_json()["candidates"]
    # Only the VOG holder nearby: "second" has no VOG, "far" is outside both radii.
    assert [c["volunteer_id"] for c in candidates] == [w.near.id]
    first = candidates[0]
    assert set(first) >= {"volunteer_id", "score", "distance_km", "reasons"}
    assert first["distance_km"] <= 0.5 and 0 < first["score"] <= 100, first
    assert any("VOG" in reason for reason in first["reasons"])
    assert any("dinsdagochtend" in reason.lower() or "dagdeel" in reason.lower()
               or "beschikbaar" in reason.lower() for reason in first["reasons"]), first

    # Without VOG both nearby volunteers qualify, the one who fits the day part first.
    open_one = _create(client, w, h, availability=["tue_morning"]).get_json()
    ids = [c["volunteer_id"] for c in client.get(
        f"/api/v1/vacancies/{open_one['id']}/candidates", headers=h["worker"]).get_json()[
        "candidates"]]
    assert ids == [w.near.id, w.second.id]
    assert client.get(f"/api/v1/vacancies/{open_one['id']}/candidates?limit=1",
                      headers=h["board"]).get_json()["candidates"][0]["volunteer_id"] == w.near.id
    for bad in ("0", "x", "1000", "-1"):
        assert client.get(f"{url}?limit={bad}", headers=h["board"]).status_code == 422


def test_only_managers_see_candidates(client, w, h):
    vacancy = _create(client, w, h).get_json()
    for who in ("outsider", "resident", "other_worker", "near"):
        assert client.get(f"/api/v1/vacancies/{vacancy['id']}/candidates",
                          headers=h[who]).status_code == 404, who
        assert client.get(f"/api/v1/vacancies/{vacancy['id']}",
                          headers=h[who]).status_code == 404, who
    assert client.get("/api/v1/vacancies/999999/candidates", headers=h["board"]).status_code \
        == 404


def test_propose_accept_decline_and_fill(client, w, h, outbox_files):
    vacancy = _create(client, w, h, count=1).get_json()
    propose = f"/api/v1/vacancies/{vacancy['id']}/proposals"
    first = client.post(propose, headers=h["board"], json={"volunteer_id": w.near.id})
    assert first.status_code == 201 and first.get_json()["status"] == "proposed"
    again = client.post(propose, headers=h["board"], json={"volunteer_id": w.near.id})
    assert again.get_json()["id"] == first.get_json()["id"]  # not a second proposal
    second = client.post(propose, headers=h["board"], json={"volunteer_id": w.second.id})
    assert second.status_code == 201
    assert client.post(propose, headers=h["board"], json={"volunteer_id": w.resident.id}) \
        .status_code == 422  # not a volunteer
    assert client.post(propose, headers=h["board"], json={"volunteer_id": "x"}).status_code \
        == 422
    assert client.post(propose, headers=h["outsider"],
                       json={"volunteer_id": w.near.id}).status_code == 404
    # Asked volunteers no longer appear among the candidates.
    assert client.get(f"/api/v1/vacancies/{vacancy['id']}/candidates",
                      headers=h["board"]).get_json()["candidates"] == []

    one, two = first.get_json()["id"], second.get_json()["id"]
    # Only the volunteer answers their own proposal.
    assert client.post(f"/api/v1/vacancy-proposals/{one}/accept",
                       headers=h["second"]).status_code == 404
    assert client.post(f"/api/v1/vacancy-proposals/{one}/accept",
                       headers=h["board"]).status_code == 404
    accepted = client.post(f"/api/v1/vacancy-proposals/{one}/accept", headers=h["near"])
    assert accepted.status_code == 200
    assert accepted.get_json()["status"] == "accepted"
    assert accepted.get_json()["vacancy_status"] == "filled"
    # The only place is taken: the other proposal ended, a late accept is a conflict.
    late = client.post(f"/api/v1/vacancy-proposals/{two}/accept", headers=h["second"])
    assert late.status_code == 409 and late.mimetype == PROBLEM
    assert client.post(f"/api/v1/vacancy-proposals/{one}/decline",
                       headers=h["near"]).status_code == 409
    detail = client.get(f"/api/v1/vacancies/{vacancy['id']}", headers=h["board"]).get_json()
    assert detail["status"] == "filled" and detail["accepted"] == 1
    assert {p["status"] for p in detail["proposals"]} == {"accepted", "cancelled"}

    mails = outbox_files()
    assert sum("Wilt u helpen bij Buurtmaaltijd" in m for m in mails) == 2
    assert sum("Een vrijwilliger helpt bij Buurtmaaltijd" in m for m in mails) == 1
    assert not any("Vrijwilliger Vera" in m and w.board.email in m for m in mails)

    # The volunteer stops: the place opens again.
    stopped = client.post(f"/api/v1/vacancy-proposals/{one}/cancel", headers=h["near"])
    assert stopped.status_code == 200 and stopped.get_json()["vacancy_status"] == "open"


def test_decline_tells_the_proposer(client, w, h, outbox_files):
    vacancy = _create(client, w, h, who="worker", count=1).get_json()
    proposal = client.post(f"/api/v1/vacancies/{vacancy['id']}/proposals", headers=h["worker"],
                           json={"volunteer_id": w.second.id}).get_json()
    response = client.post(f"/api/v1/vacancy-proposals/{proposal['id']}/decline",
                           headers=h["second"], json={"reason": "Geen tijd"})
    assert response.status_code == 200 and response.get_json()["status"] == "declined"
    assert any("Een vrijwilliger zei nee (Buurtmaaltijd)" in m and w.worker.email in m
               for m in outbox_files())
    mine = client.get("/api/v1/vacancy-proposals", headers=h["second"]).get_json()
    assert [m["status"] for m in mine] == ["declined"]


def test_an_accepted_place_counts_against_capacity(client, w, h, make_user):
    from tests.vacancy_support import volunteer

    busy = volunteer(make_user, "Vrijwilliger Bo", "5531", ["meals"], has_vog=False,
                     max_commitments=1)
    first = _create(client, w, h, count=1).get_json()
    proposal = client.post(f"/api/v1/vacancies/{first['id']}/proposals", headers=h["board"],
                           json={"volunteer_id": busy.id}).get_json()
    from marketplace.accounts.sessions import issue_api_token

    token = issue_api_token(busy)
    db.session.commit()
    assert client.post(f"/api/v1/vacancy-proposals/{proposal['id']}/accept",
                       headers={"Authorization": f"Bearer {token}"}).status_code == 200
    second = _create(client, w, h, count=1).get_json()
    ids = [c["volunteer_id"] for c in client.get(
        f"/api/v1/vacancies/{second['id']}/candidates", headers=h["board"]).get_json()[
        "candidates"]]
    assert busy.id not in ids and w.near.id in ids
    # Closing the vacancy ends the commitment: the volunteer is free again.
    assert client.post(f"/api/v1/vacancies/{first['id']}/close", headers=h["board"]) \
        .get_json()["status"] == "closed"
    ids = [c["volunteer_id"] for c in client.get(
        f"/api/v1/vacancies/{second['id']}/candidates", headers=h["board"]).get_json()[
        "candidates"]]
    assert busy.id in ids
    # A closed vacancy takes no proposals.
    assert client.post(f"/api/v1/vacancies/{first['id']}/proposals", headers=h["board"],
                       json={"volunteer_id": w.near.id}).status_code == 409
