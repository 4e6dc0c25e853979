"""GET /reports/indicators, /reports/indicators.csv and /reports/gaps: numbers by hand,
suppression, who may see what, validation, export records."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.reporting.definitions import INDICATORS
from marketplace.reporting.models import ReportExport
from tests.integration.reporting_world import EXPECTED_GM, PERIOD, SMALL_GM, build


@pytest.fixture()
def world(app, make_area):
    return build(make_area)


@pytest.fixture()
def municipal(make_user, world):
    return make_user("municipality", areas=(world.areas["GM"],))


def get(client, headers, path, **params):
    return client.get(f"/api/v1/reports/{path}", query_string=params, headers=headers)


def test_indicators_match_the_numbers_computed_by_hand(client, api_token, municipal, world):
    response = get(client, api_token(municipal), "indicators", area="GM", **PERIOD)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["area"], body["from"], body["to"]) == ("GM", "2025-01-01", "2025-03-31")
    cells = body["indicators"]
    assert set(cells) >= {i.code for i in INDICATORS}
    for code, cell in cells.items():
        assert set(cell) == {"value", "n", "suppressed"}
        if cell["suppressed"]:
            assert cell["value"] is None and cell["n"] is None, code
        elif cell["n"] is not None:
            assert cell["n"] >= 5, code
    shown = [code for code in EXPECTED_GM if not cells[code]["suppressed"]]
    for code in shown:
        assert cells[code]["value"] == EXPECTED_GM[code], code
    # Secondary suppression hides more than the small cells, but not everything.
    assert len(shown) >= 5, shown
    for code in SMALL_GM:
        assert cells[code] == {"value": None, "n": None, "suppressed": True}, code


def test_a_small_district_is_suppressed_and_cannot_be_subtracted(client, api_token, municipal,
                                                                 world):
    headers = api_token(municipal)
    gm = get(client, headers, "indicators", area="GM", **PERIOD).get_json()["indicators"]
    districts = {code: get(client, headers, "indicators", area=code, **PERIOD)
                 .get_json()["indicators"] for code in ("D1", "D2", "D3")}
    assert districts["D3"]["requests"]["suppressed"] is True  # 2 requests
    for code in ("requests", "closed", "solved_own_network", "solved_volunteer"):
        shown = [d[code]["value"] for d in districts.values() if not d[code]["suppressed"]]
        hidden = [c for c, d in districts.items() if d[code]["suppressed"]]
        # Every district hidden from a published total is hidden with at least one other.
        if gm[code]["value"] is not None and hidden:
            assert len(hidden) >= 2, (code, hidden)
        if not hidden:
            assert sum(shown) == gm[code]["value"]


def test_csv_says_the_same_and_is_formula_safe(client, api_token, municipal, world):
    headers = api_token(municipal)
    body = get(client, headers, "indicators", area="GM", **PERIOD).get_json()["indicators"]
    response = get(client, headers, "indicators.csv", area="GM", **PERIOD)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["indicator", "value", "n", "suppressed"]
    assert len(rows) == len(body) + 1
    for name, value, n, suppressed in rows[1:]:
        for cell in (name, value, n, suppressed):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        expected = body[name]
        assert suppressed == ("true" if expected["suppressed"] else "false")
        assert value == ("" if expected["value"] is None else str(expected["value"]).join(
            ["'", ""] if str(expected["value"]).startswith("-") else ["", ""]))
        assert n == ("" if expected["n"] is None else str(expected["n"]))


def test_negative_values_leave_as_text(app):
    from marketplace.reporting.exports import csv_text

    text = csv_text([("life_domain_change", -0.5, 7, False), ("x", "=cmd()", "@a", "\tb")])
    assert text.splitlines() == ["life_domain_change,'-0.5,7,false", "x,'=cmd(),'@a,'\tb"]


def test_every_answer_is_recorded_as_an_export(client, api_token, municipal, world):
    headers = api_token(municipal)
    for path in ("indicators", "indicators.csv", "gaps"):
        assert get(client, headers, path, area="GM", **PERIOD).status_code == 200
    rows = db.session.scalars(select(ReportExport).order_by(ReportExport.id)).all()
    assert [r.kind for r in rows] == ["indicators.json", "indicators.csv", "gaps.json"]
    for row in rows:
        assert row.k == 5 and len(row.sha256) == 64 and row.user_id == municipal.id
        assert "k=5" in row.rules and row.method and row.version
        assert (row.period_from.isoformat(), row.period_to.isoformat()) == (
            PERIOD["from"], PERIOD["to"])


def test_gaps_per_category_and_area(client, api_token, municipal, world):
    response = get(client, api_token(municipal), "gaps", area="GM", **PERIOD)
    assert response.status_code == 200
    rows = response.get_json()
    assert {r["area"] for r in rows} == {"GM", "D1", "D2", "D3"}
    shopping = {r["area"]: r for r in rows if r["category"] == "shopping"}
    for row in rows:
        assert set(row) >= {"category", "area", "open_too_long", "without_candidates",
                            "median_wait_days"}
    # 4 requests wait (1 in D1, 3 in D2): under k, so never shown.
    assert shopping["GM"]["open_too_long"] is None
    assert shopping["D2"]["without_candidates"] is None
    assert "open_too_long" in shopping["GM"]["suppressed"]


@pytest.mark.parametrize("role", ["resident", "volunteer", "association", "admin"])
def test_other_roles_get_404(client, api_token, make_user, world, role):
    headers = api_token(make_user(role))
    for path in ("indicators", "indicators.csv", "gaps"):
        response = get(client, headers, path, area="GM", **PERIOD)
        assert response.status_code == 404, (role, path)
        assert response.mimetype == "application/problem+json"


def test_workers_see_their_area_and_below_not_others(client, api_token, make_user, world,
                                                     make_area):
    elsewhere = make_area("GM2", "municipality", name="Eersel", parent="REG", pc4=("5521",))
    worker = make_user("worker", areas=(world.areas["D1"],))
    headers = api_token(worker)
    assert get(client, headers, "indicators", area="D1", **PERIOD).status_code == 200
    for code in ("GM", "REG", "D2", elsewhere.code):
        assert get(client, headers, "indicators", area=code, **PERIOD).status_code == 404
    other = make_user("municipality", areas=(elsewhere,))
    assert get(client, api_token(other), "gaps", area="D1", **PERIOD).status_code == 404


def test_bad_input_answers_422_per_field(client, api_token, municipal, world):
    headers = api_token(municipal)
    cases = [({"area": "GM", "from": "2025-13-01"}, "from"),
             ({"area": "GM", "to": "morgen"}, "to"),
             ({"area": "GM", "from": "2025-06-01", "to": "2025-01-01"}, "to"),
             ({"area": "GM", "from": "2024-12-01", "to": "2025-01-31"}, "to"),  # two years
             ({"area": "GM", "from": "0001-01-01"}, "from")]
    for params, field in cases:
        for path in ("indicators", "indicators.csv", "gaps"):
            response = get(client, headers, path, **params)
            assert response.status_code == 422, (params, path)
            assert field in response.get_json()["errors"]


def test_defaults_to_this_year_and_the_own_area(client, api_token, municipal, world):
    import time_machine

    with time_machine.travel("2025-05-01 12:00:00+00:00", tick=False):
        body = get(client, api_token(municipal), "indicators").get_json()
    assert (body["area"], body["from"], body["to"]) == ("GM", "2025-01-01", "2025-12-31")
    assert body["indicators"]["volunteers_active"]["value"] == 6


def test_an_unknown_area_answers_exactly_as_a_hidden_one(client, api_token, make_user, world,
                                                         make_area):
    """A municipality user of another area cannot tell a missing area from an existing one
    they may not see: both 404, the same body, on every reports endpoint."""
    elsewhere = make_area("GM2", "municipality", name="Eersel", parent="REG", pc4=("5521",))
    headers = api_token(make_user("municipality", areas=(elsewhere,)))
    for path in ("indicators", "indicators.csv", "gaps"):
        for period in ({}, PERIOD, {"from": "2025-13-01"}):
            hidden = get(client, headers, path, area="GM", **period)
            missing = get(client, headers, path, area="NOPE", **period)
            assert hidden.status_code == missing.status_code == 404, (path, period)
            assert hidden.get_data() == missing.get_data(), (path, period)


def test_a_free_period_is_widened_to_its_quarter_or_year(client, api_token, municipal, world):
    """Only years and quarters are published: another period answers 200 for the smallest
    one around it, says so in "asked", and has the same numbers as that period."""
    headers = api_token(municipal)
    quarter = get(client, headers, "indicators", area="GM", **PERIOD).get_json()
    assert "asked" not in quarter
    day = get(client, headers, "indicators", area="GM", **{"from": "2025-02-03",
                                                           "to": "2025-02-03"})
    assert day.status_code == 200
    body = day.get_json()
    assert (body["from"], body["to"]) == (PERIOD["from"], PERIOD["to"])
    assert body["asked"] == {"from": "2025-02-03", "to": "2025-02-03"}
    assert body["indicators"] == quarter["indicators"]
    year = get(client, headers, "indicators", area="GM", **{"from": "2025-01-01",
                                                            "to": "2025-12-06"}).get_json()
    assert (year["from"], year["to"]) == ("2025-01-01", "2025-12-31")
    assert year["asked"] == {"from": "2025-01-01", "to": "2025-12-06"}
    csv_free = get(client, headers, "indicators.csv", area="GM", **{"from": "2025-03-01",
                                                                     "to": "2025-03-30"})
    csv_quarter = get(client, headers, "indicators.csv", area="GM", **PERIOD)
    assert csv_free.status_code == 200
    assert csv_free.get_data() == csv_quarter.get_data()
    assert csv_free.get_data(as_text=True).startswith("indicator,value,n,suppressed")
    gaps_free = get(client, headers, "gaps", area="GM", **{"from": "2025-01-15",
                                                           "to": "2025-02-15"})
    assert gaps_free.status_code == 200
    assert gaps_free.get_json() == get(client, headers, "gaps", area="GM", **PERIOD).get_json()
