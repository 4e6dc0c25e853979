"""Snapshots of big trees (report_snapshots sweep): the dashboard, the API, the CSV, the
annual report and the year-plan report read the same snapshot, agree with the numbers
computed by hand, say when the figures were computed, and fall back to computing live when
the snapshot is too old."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import g

from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.jobs import JOBS, run_job
from marketplace.teams.services import save_team, set_member
from tests.functional.test_reporting_pages import sign_in
from tests.integration.reporting_world import _request, build
from tests.integration.test_yearplans_api import GOALS, busy_year, post_plan

YEAR = {"area": "GM", "from": "2025-01-01", "to": "2025-12-31"}
SNAPSHOTS = next(job for job in JOBS if job.name == "report_snapshots")
BY_HAND = 44 + 432  # the world's requests in 2025 and busy_year's


@pytest.fixture()
def world(app, make_area):
    app.config["REPORTING_SNAPSHOT_MIN_REQUESTS"] = 100
    world = build(make_area)
    busy_year(world)
    return world


def _requests(client, headers) -> int | None:
    g.pop("_reporting_cache", None)
    body = client.get("/api/v1/reports/indicators", query_string=YEAR, headers=headers)
    assert body.status_code == 200
    return body.get_json()["indicators"]["requests"]["value"]


def test_every_output_reads_the_snapshot_and_says_when(app, client, api_token, make_user,
                                                       world):
    coordinator = make_user("worker", areas=(world.areas["GM"],))
    set_member(save_team(world.areas["GM"], "Wijkteam Bladel"), coordinator, coordinator=True)
    municipal = make_user("municipality", areas=(world.areas["GM"],))
    db.session.commit()
    plan = post_plan(client, api_token(coordinator))
    assert plan.status_code == 201, plan.get_json()
    headers = api_token(municipal)
    live = _requests(client, headers)
    assert live == BY_HAND

    made = clock_now() - timedelta(minutes=5)
    assert run_job(SNAPSHOTS, made) == 1  # the region, 2025 (2026 has too few requests)
    assert run_job(SNAPSHOTS, made) == 0  # the same moment again: nothing to do

    # A request made after the snapshot: not in the figures until the next sweep.
    _request(world.areas["D1"], "5527", 4000, solved_by="worker")
    db.session.commit()
    assert _requests(client, headers) == BY_HAND
    g.pop("_reporting_cache", None)
    csv = client.get("/api/v1/reports/indicators.csv", query_string=YEAR, headers=headers)
    assert f"requests,{BY_HAND}," in csv.get_data(as_text=True)
    g.pop("_reporting_cache", None)
    report = client.get(f"/api/v1/yearplans/{plan.get_json()['id']}/report", headers=headers)
    goals = {goal["indicator"]: goal["actual"] for goal in report.get_json()["goals"]}
    assert goals[GOALS[0]["indicator"]] == BY_HAND
    browser = sign_in(app, municipal)
    g.pop("_reporting_cache", None)
    page = browser.get("/rapportage/", query_string=YEAR).get_data(as_text=True)
    assert "Cijfers van" in page and f"{BY_HAND:,}".replace(",", ".") in page
    g.pop("_reporting_cache", None)
    annual = browser.get("/rapportage/jaarverslag", query_string={"area": "GM", "year": 2025})
    text = annual.get_data(as_text=True)
    assert annual.status_code == 200 and "Cijfers van" in text and str(BY_HAND) in text

    # The next sweep takes the new request in.
    assert run_job(SNAPSHOTS, clock_now()) == 1
    assert _requests(client, headers) == BY_HAND + 1


def test_a_snapshot_older_than_the_maximum_age_is_not_used(app, client, api_token,
                                                           make_user, world):
    headers = api_token(make_user("municipality", areas=(world.areas["GM"],)))
    assert run_job(SNAPSHOTS, clock_now() - timedelta(minutes=5)) == 1
    _request(world.areas["D1"], "5527", 4000, solved_by="worker")
    db.session.commit()
    assert _requests(client, headers) == BY_HAND  # the snapshot
    app.config["REPORTING_SNAPSHOT_MAX_AGE"] = 60  # seconds: the snapshot is 5 minutes old
    assert _requests(client, headers) == BY_HAND + 1  # computed live


def test_small_trees_are_never_snapshotted(app, world):
    app.config["REPORTING_SNAPSHOT_MIN_REQUESTS"] = 10_000
    assert run_job(SNAPSHOTS, clock_now()) == 0
