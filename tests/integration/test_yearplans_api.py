"""POST /yearplans, PUT /yearplans/{id}/budget/{line}, GET /yearplans/{id}/report and
GET /reports/annual.pdf: the report equals the indicators API, who gets 404/403, the 422s,
export records."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.reporting.models import ReportExport
from marketplace.teams.services import save_team, set_member
from tests.integration.reporting_world import build

YEAR = {"from": "2025-01-01", "to": "2025-12-31"}
GOALS = [{"indicator": "requests", "target": 40}, {"indicator": "share_zero_line", "target": 0.7},
         {"indicator": "referred", "target": 2}, {"indicator": "median_support_days", "target": 45},
         {"indicator": "goals_attained_share", "target": 0.8}]
BUDGET = [{"line": "Vrijwilligerswerk", "amount": 12000},
          {"line": "Activiteiten", "amount": 5000.5}]


@pytest.fixture()
def world(app, make_area):
    return build(make_area)


def busy_year(world, start: int = 1000) -> None:
    """Enough closed requests in every district and quarter of 2025 that the year's table
    publishes figures (the small world alone is hidden almost entirely)."""
    from datetime import UTC, datetime

    from tests.integration.reporting_world import _request

    n = start
    for code, pc4 in (("D1", "5527"), ("D2", "5531"), ("D3", "5529")):
        for month in (2, 5, 8, 11):
            for how in ("own_network", "volunteer", "worker", "association", "activity",
                        "not_solved"):
                for _ in range(6):
                    n += 1
                    _request(world.areas[code], pc4, n, solved_by=how,
                             at=datetime(2025, month, 10, tzinfo=UTC))
    db.session.commit()


@pytest.fixture()
def coordinator(make_user, world):
    user = make_user("worker", areas=(world.areas["GM"],))
    set_member(save_team(world.areas["GM"], "Wijkteam Bladel"), user, coordinator=True)
    db.session.commit()
    return user


@pytest.fixture()
def municipal(make_user, world):
    return make_user("municipality", areas=(world.areas["GM"],))


def post_plan(client, headers, **body):
    payload = {"area": "GM", "year": 2025, "goals": GOALS, "budget": BUDGET, **body}
    return client.post("/api/v1/yearplans", json=payload, headers=headers)


def test_report_equals_the_indicators_api(client, api_token, world, coordinator, municipal):
    busy_year(world)
    created = post_plan(client, api_token(coordinator))
    assert created.status_code == 201, created.get_json()
    plan_id = created.get_json()["id"]
    headers = api_token(municipal)
    report = client.get(f"/api/v1/yearplans/{plan_id}/report", headers=headers)
    assert report.status_code == 200
    body = report.get_json()
    assert (body["area"], body["year"]) == ("GM", 2025)
    cells = client.get("/api/v1/reports/indicators", query_string={"area": "GM", **YEAR},
                       headers=headers).get_json()["indicators"]
    assert [g["indicator"] for g in body["goals"]] == [g["indicator"] for g in GOALS]
    for goal, asked in zip(body["goals"], GOALS, strict=True):
        assert goal["target"] == asked["target"]
        assert goal["actual"] == cells[goal["indicator"]]["value"], goal
    # By hand: 44 + 432 requests (the December 2024 one is outside).
    assert body["goals"][0]["actual"] == 476
    # Goals 10 of 14: the share would tell that 4 were not reached, under k: null.
    assert body["goals"][4]["actual"] is None
    assert body["goals"][2]["actual"] is None  # "referred" (3) is under k: null
    assert body["budget"] == [{"line": "Vrijwilligerswerk", "amount": 12000, "spent": 0},
                              {"line": "Activiteiten", "amount": 5000.5, "spent": 0}]
    kinds = db.session.scalars(select(ReportExport.kind)).all()
    assert "yearplan.json" in kinds


def test_spending_per_line_and_replacing_the_plan_keeps_it(client, api_token, coordinator):
    headers = api_token(coordinator)
    plan_id = post_plan(client, headers).get_json()["id"]
    put = client.put(f"/api/v1/yearplans/{plan_id}/budget/Activiteiten", json={"spent": 1250.25},
                     headers=headers)
    assert put.status_code == 200
    assert put.get_json() == {"line": "Activiteiten", "amount": 5000.5, "spent": 1250.25}
    assert client.put(f"/api/v1/yearplans/{plan_id}/budget/Activiteiten", json={"spent": -1},
                      headers=headers).status_code == 422
    assert client.put(f"/api/v1/yearplans/{plan_id}/budget/Onbekend", json={"spent": 1},
                      headers=headers).status_code == 404
    again = post_plan(client, headers, goals=[], budget=[*BUDGET, {"line": "Zaal", "amount": 100,
                                                                 "spent": 20}])
    assert again.status_code == 201 and again.get_json()["id"] == plan_id
    body = client.get(f"/api/v1/yearplans/{plan_id}/report", headers=headers).get_json()
    assert body["goals"] == []
    assert {b["line"]: b["spent"] for b in body["budget"]} == {
        "Vrijwilligerswerk": 0, "Activiteiten": 1250.25, "Zaal": 20}


@pytest.mark.parametrize(("body", "field"), [
    ({"goals": [{"indicator": "nonsense", "target": 1}]}, "goals[0].indicator"),
    ({"goals": [{"indicator": "share_zero_line", "target": 7}]}, "goals[0].target"),
    ({"budget": [{"line": "Zaal", "amount": -5}]}, "budget[0].amount"),
    ({"budget": [{"line": "Zaal", "amount": "veel"}]}, "budget[0].amount"),
    ({"year": 1850}, "year"),
    ({"year": "twee"}, "year"),
])
def test_bad_input_is_422_per_field(client, api_token, coordinator, body, field):
    response = post_plan(client, api_token(coordinator), **body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


def test_an_unknown_area_answers_as_a_hidden_one(client, api_token, coordinator, world,
                                                 make_area):
    """404 with the same body: the answer never tells which area codes exist."""
    make_area("GM9", "municipality", name="Elders", parent="REG", pc4=("5521",))
    headers = api_token(coordinator)
    hidden, missing = post_plan(client, headers, area="GM9"), post_plan(client, headers,
                                                                         area="NOPE")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == missing.get_json()
    pdf = [client.get("/api/v1/reports/annual.pdf", headers=headers,
                      query_string={"area": code, "year": 2025}) for code in ("GM9", "NOPE")]
    assert pdf[0].status_code == pdf[1].status_code == 404
    assert pdf[0].get_json() == pdf[1].get_json()


def test_who_may_plan_and_read(client, api_token, make_user, make_area, world, coordinator,
                               municipal):
    plan_id = post_plan(client, api_token(coordinator)).get_json()["id"]
    other_area = make_area("GM2", "municipality", parent="REG", pc4=("5521",))
    other_worker = make_user("worker", areas=(other_area,))
    plain_worker = make_user("worker", areas=(world.areas["GM"],))
    for role in ("resident", "volunteer", "association"):
        headers = api_token(make_user(role))
        assert post_plan(client, headers).status_code == 404, role
        assert client.get(f"/api/v1/yearplans/{plan_id}/report",
                          headers=headers).status_code == 404, role
        assert client.get("/api/v1/reports/annual.pdf", query_string={"area": "GM"},
                          headers=headers).status_code == 404, role
    headers = api_token(other_worker)
    assert post_plan(client, headers).status_code == 404
    assert client.get(f"/api/v1/yearplans/{plan_id}/report", headers=headers).status_code == 404
    assert client.get("/api/v1/reports/annual.pdf", query_string={"area": "GM", "year": 2025},
                      headers=headers).status_code == 404
    # Sees the area but does not coordinate its team / is the municipality: 403.
    assert post_plan(client, api_token(plain_worker)).status_code == 403
    assert post_plan(client, api_token(municipal)).status_code == 403
    assert client.get(f"/api/v1/yearplans/{plan_id}/report",
                      headers=api_token(plain_worker)).status_code == 200
    # An administrator enters plans for any area.
    admin = api_token(make_user("admin"))
    assert post_plan(client, admin, area="D1").status_code == 201
    # A coordinator of the municipality's team plans its districts too.
    assert post_plan(client, api_token(coordinator), area="D2").status_code == 201
    assert client.get("/api/v1/yearplans/999999/report",
                      headers=api_token(municipal)).status_code == 404


def test_annual_pdf_is_a_pdf_and_recorded(client, api_token, coordinator, municipal):
    post_plan(client, api_token(coordinator))
    response = client.get("/api/v1/reports/annual.pdf", query_string={"area": "GM", "year": 2025},
                          headers=api_token(municipal))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    data = response.get_data()
    assert data.startswith(b"%PDF") and len(data) > 5000
    row = db.session.scalars(select(ReportExport).where(ReportExport.kind == "annual.pdf")).one()
    import hashlib

    assert row.sha256 == hashlib.sha256(data).hexdigest() and row.k == 5
    bad = client.get("/api/v1/reports/annual.pdf", query_string={"area": "GM", "year": "20x5"},
                     headers=api_token(municipal))
    assert bad.status_code == 422 and "year" in bad.get_json()["errors"]
