"""The account part of the JSON API (CONTRACT.md §5): /me, /categories and its errors."""

from __future__ import annotations

import pytest

from marketplace.accounts.models import ApiToken
from marketplace.extensions import db

CONTRACT_CATEGORIES = [
    "shopping", "transport", "odd_jobs", "garden", "companionship", "paperwork", "digital",
    "meals", "language", "carer_respite", "pets", "other",
]


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def test_me_describes_the_caller(client, make_user, make_area, api_token):
    region = make_area("RG", "region")
    bladel = make_area("GM1728", "municipality")
    eersel = make_area("GM0770", "municipality")
    user = make_user("worker", "volunteer", name="Wim Werker", email="wim@example.org",
                     areas=(eersel, bladel))
    make_user("admin", areas=(region,))  # someone else: must not leak in
    response = client.get("/api/v1/me", headers=api_token(user))
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    # A volunteer (or resident) also gets the secret address of their calendar feed.
    assert body.pop("calendar_url").endswith(".ics")
    assert body == {
        "id": user.id, "email": "wim@example.org", "name": "Wim Werker",
        "roles": ["volunteer", "worker"], "areas": ["GM0770", "GM1728"],
    }


def test_me_without_areas_or_email(client, make_user, api_token):
    resident = make_user("resident")
    body = client.get("/api/v1/me", headers=api_token(resident)).get_json()
    assert body["roles"] == ["resident"] and body["areas"] == []
    assert body["id"] == resident.id


def test_categories_follow_the_contract(client, make_user, api_token):
    response = client.get("/api/v1/categories", headers=api_token(make_user("resident")))
    assert response.status_code == 200
    body = response.get_json()
    assert [c["code"] for c in body] == CONTRACT_CATEGORIES
    labels = {c["code"]: c["label"] for c in body}
    assert all(isinstance(label, str) and label and label != code
               for code, label in labels.items())
    assert labels["shopping"] == "Boodschappen"
    assert len(set(labels.values())) == len(labels)


def test_using_a_token_records_when(client, make_user, api_token):
    user = make_user("resident")
    headers = api_token(user)
    assert db.session.scalar(db.select(ApiToken.last_used_at)) is None
    client.get("/api/v1/me", headers=headers)
    db.session.expire_all()
    assert db.session.scalar(db.select(ApiToken.last_used_at)) is not None


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/categories"])
@pytest.mark.parametrize("header", [None, "Bearer bm_verzonnen", "Bearer", "Basic eDp5"])
def test_401_problem_json_without_a_valid_token(client, path, header):
    headers = {"Authorization": header} if header else {}
    response = client.get(path, headers=headers)
    body = assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Bearer" in body["detail"]


@pytest.mark.parametrize("signed_in", [False, True])
def test_unknown_api_path_is_404_problem_json(client, make_user, api_token, signed_in):
    headers = api_token(make_user("resident")) if signed_in else {}
    for path in ("/api/v1/bestaat-niet", "/api/v1/me/extra", "/api/v2/me"):
        assert_problem(client.get(path, headers=headers), 404)


def test_wrong_method_is_405_problem_json(client, make_user, api_token):
    headers = api_token(make_user("resident"))
    # DELETE /me erases the person (CONTRACT); other methods are not allowed.
    for method in ("POST", "PUT", "PATCH"):
        response = client.open("/api/v1/me", method=method, headers=headers)
        assert_problem(response, 405)
        assert {"GET", "DELETE"} <= set(response.headers["Allow"].replace(" ", "").split(","))


def test_openapi_document_is_public_and_describes_me(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    me = document["paths"]["/me"]["get"]
    assert "401" in me["responses"]
    assert set(document["components"]["schemas"]["Me"]["required"]) == {
        "id", "email", "name", "roles", "areas"}
