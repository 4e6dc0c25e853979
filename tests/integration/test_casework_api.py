"""The casework API on a real database: ranked candidates (contract shape, own network first),
and a resident's file through the API from intake to a referral's step-down."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.accounts.models import AuditEvent
from marketplace.casework.referrals import save_partner
from marketplace.extensions import db
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.residents.services import save_member
from marketplace.volunteers.services import ProfileInput, save_profile


@pytest.fixture()
def market(app, make_user, make_area):
    area = make_area("GM1728", "municipality", pc4=("5527", "5531"))
    other_area = make_area("GM0770", "municipality", pc4=("5521",))
    resident = make_user("resident", name="Riet")
    near = make_user("volunteer", name="Dichtbij")
    far = make_user("volunteer", name="Verder weg")
    save_profile(near, ProfileInput(skills=["shopping"], postcode="5527", radius_km=10))
    save_profile(far, ProfileInput(skills=["shopping"], postcode="5531", radius_km=10))
    save_member(resident, name="Buurman Bert", relation="neighbour", can_help=["shopping"])
    save_member(resident, name="Zus Anna", relation="family", can_help=["garden"])
    request = create_request(resident, RequestInput(
        category="shopping", description="Boodschappen graag", postcode="5527",
        house_number="4"))
    db.session.commit()
    return {"resident": resident, "near": near, "far": far, "request": request,
            "worker": make_user("worker", areas=(area,)),
            "other": make_user("worker", areas=(other_area,))}


def test_candidates_follow_the_contract_network_first(app, market, api_token):
    client = app.test_client()
    url = f"/api/v1/requests/{market['request'].id}/candidates"
    response = client.get(url, headers=api_token(market["worker"]))
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"network", "candidates"}
    assert body["network"] == [{"name": "Buurman Bert", "relation": "neighbour",
                                "can_help": ["shopping"]}]
    ids = [c["volunteer_id"] for c in body["candidates"]]
    assert ids == [market["near"].id, market["far"].id]  # the nearest first
    for candidate in body["candidates"]:
        assert {"volunteer_id", "score", "distance_km", "reasons"} <= set(candidate)
        assert isinstance(candidate["score"], int | float)
        assert candidate["distance_km"] * 2 == int(candidate["distance_km"] * 2)  # 0.5 km
        assert candidate["reasons"] and all(isinstance(r, str) for r in candidate["reasons"])
    one = client.get(f"{url}?limit=1", headers=api_token(market["worker"])).get_json()
    assert [c["volunteer_id"] for c in one["candidates"]] == [market["near"].id]
    assert one["network"] == body["network"]  # the network is never cut off
    audited = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "request.candidates_viewed")).all()
    assert len(audited) == 2 and audited[0].subject_user_id == market["resident"].id


@pytest.mark.parametrize("limit", ["0", "101", "abc", "-3", "2.5", ""])
def test_a_bad_limit_is_422(app, market, api_token, limit):
    response = app.test_client().get(
        f"/api/v1/requests/{market['request'].id}/candidates?limit={limit}",
        headers=api_token(market["worker"]))
    assert response.status_code == 422
    assert response.get_json()["errors"]["limit"] == ["Kies een getal van 1 tot 100."]


def test_only_workers_of_the_area_see_candidates(app, market, api_token):
    client = app.test_client()
    url = f"/api/v1/requests/{market['request'].id}/candidates"
    for who in ("other", "resident", "near"):
        response = client.get(url, headers=api_token(market[who]))
        assert response.status_code == 404, who
        assert response.mimetype == "application/problem+json"
    assert client.get(url).status_code == 401
    assert client.get("/api/v1/requests/999999/candidates",
                      headers=api_token(market["worker"])).status_code == 404
    assert client.get(f"{url}?limit=0", headers=api_token(market["other"])).status_code == 404


def test_the_file_through_the_api(app, market, api_token):
    client, headers = app.test_client(), api_token(market["worker"])
    rid = market["resident"].id
    base = f"/api/v1/residents/{rid}"
    refused = client.post(f"{base}/intake", headers=headers, json={
        "question_as_asked": "Boodschappen", "scores": {"social": 2}})
    assert refused.status_code == 422
    assert "consent_special_data" in refused.get_json()["errors"]
    wrong_type = client.post(f"{base}/intake", headers=headers, json={
        "question_as_asked": "Boodschappen", "scores": {"social": "twee"}})
    assert wrong_type.status_code == 422
    made = client.post(f"{base}/intake", headers=headers, json={
        "question_as_asked": "Boodschappen", "underlying_need": "Eenzaam",
        "consent_special_data": True, "consent_purpose": "Het plan", "scores": {"social": 2},
        "request_id": market["request"].id})
    assert made.status_code == 201
    goal = client.post(f"{base}/goals", headers=headers, json={
        "description": "Elke week naar de markt", "term": "long", "target_on": "2030-01-31"})
    assert goal.status_code == 201 and goal.get_json()["term"] == "long"
    assert client.post(f"{base}/goals", headers=headers, json={
        "description": "Elke week naar de markt", "arrangement_id": 99999999999}
    ).status_code == 422
    assert client.post(f"{base}/notes", headers=headers, json={
        "kind": "follow_up", "body": "Bellen"}).get_json()["errors"] == {
        "follow_up_on": ["Kies wanneer u het opvolgt."]}
    assert client.post(f"{base}/notes", headers=headers, json={
        "kind": "call", "body": "Gebeld, gaat goed"}).status_code == 201
    partner = save_partner("Thuiszorg", line=2)
    db.session.commit()
    referral = client.post(f"{base}/referrals", headers=headers, json={
        "partner_id": partner.id, "reason": "Meer zorg nodig dan de buurt kan geven.",
        "consent": True})
    assert referral.status_code == 201
    ref_id = referral.get_json()["id"]
    for status in ("accepted", "in_care", "completed", "stepped_down"):
        moved = client.post(f"{base}/referrals/{ref_id}/status", headers=headers,
                            json={"status": status, "note": "De buren helpen weer."})
        assert moved.status_code == 200 and moved.get_json()["status"] == status
    again = client.post(f"{base}/referrals/{ref_id}/status", headers=headers,
                        json={"status": "sent"})
    assert again.status_code == 422
    file = client.get(f"{base}/file", headers=headers).get_json()
    assert file["intake"]["underlying_need"] == "Eenzaam"
    assert file["scores"]["social"] == {"then": 2, "now": 2}
    assert [g["description"] for g in file["goals"]] == ["Elke week naar de markt"]
    assert file["referrals"][0]["stepped_down_at"] is not None
    assert [n["kind"] for n in file["notes"]] == ["call"]
    assert client.get(f"{base}/file", headers=api_token(market["resident"])).status_code == 403
