"""Year-plan and team-evaluation pages: enter a plan, record spending, write an evaluation
with its figures frozen; bad input shows the form again; 404 for who may not see it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.reporting.yearplan_models import TeamEvaluation, YearPlan
from marketplace.teams.services import save_team, set_member
from tests.functional.test_reporting_pages import sign_in
from tests.integration.reporting_world import PERIOD, build


@pytest.fixture()
def world(app, make_area):
    return build(make_area)


@pytest.fixture()
def coordinator(make_user, world):
    user = make_user("worker", areas=(world.areas["GM"],))
    set_member(save_team(world.areas["GM"], "Wijkteam Bladel"), user, coordinator=True)
    db.session.commit()
    return user


PLAN_FORM = {"area": "GM", "year": "2025", "goal_indicator_0": "requests",
             "goal_target_0": "40", "goal_indicator_1": "share_zero_line",
             "goal_target_1": "0,7", "budget_line_0": "Activiteiten",
             "budget_amount_0": "1.250,50"}


def test_coordinator_enters_a_plan_and_records_spending(app, coordinator, world):
    browser = sign_in(app, coordinator)
    assert browser.get("/rapportage/jaarplannen/nieuw").status_code == 200
    response = browser.post("/rapportage/jaarplannen/nieuw", data=PLAN_FORM)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    plan = db.session.scalars(select(YearPlan)).one()
    assert [(g.indicator, g.target) for g in plan.goals] == [("requests", 40.0),
                                                             ("share_zero_line", 0.7)]
    assert plan.budget[0].amount_cents == 125050
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="doel-requests"' in page and "€ 1.250,50" in page
    assert "70,0%" in page  # the share's target, written as the dashboard writes shares
    saved = browser.post(f"/rapportage/jaarplannen/{plan.id}/uitgaven",
                         data={"line": "Activiteiten", "spent": "300"})
    assert saved.status_code == 302
    db.session.refresh(plan.budget[0])
    assert plan.budget[0].spent_cents == 30000
    # Dutch thousands dots: "1.250" is twelve hundred and fifty euros, not 1.25.
    for typed, cents in (("1.250", 125000), ("€ 12.500", 1250000), ("1250,5", 125050),
                         ("0.250", 25)):
        assert browser.post(f"/rapportage/jaarplannen/{plan.id}/uitgaven",
                            data={"line": "Activiteiten", "spent": typed}).status_code == 302
        db.session.refresh(plan.budget[0])
        assert plan.budget[0].spent_cents == cents, typed
    wrong = browser.post(f"/rapportage/jaarplannen/{plan.id}/uitgaven",
                         data={"line": "Activiteiten", "spent": "-3"})
    assert wrong.status_code == 422
    assert "Een bedrag kan niet negatief zijn." in wrong.get_data(as_text=True)
    listing = browser.get("/rapportage/jaarplannen").get_data(as_text=True)
    assert f"/rapportage/jaarplannen/{plan.id}" in listing


def test_bad_plan_shows_the_form_again_with_messages(app, coordinator, world):
    browser = sign_in(app, coordinator)
    response = browser.post("/rapportage/jaarplannen/nieuw", data={
        **PLAN_FORM, "year": "1800", "goal_target_1": "7", "budget_amount_0": "-5"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Kies een jaar van 2000 tot 2100." in html
    assert "Een aandeel is een getal van 0 tot 1" in html
    assert "Een bedrag kan niet negatief zijn." in html
    assert 'value="1800"' in html
    assert db.session.scalar(select(YearPlan.id)) is None


def test_worker_writes_an_evaluation_with_frozen_figures(app, coordinator, make_user, world):
    browser = sign_in(app, coordinator)
    assert browser.get("/rapportage/evaluaties/nieuw").status_code == 200
    response = browser.post("/rapportage/evaluaties/nieuw", data={
        "area": "D1", **PERIOD, "went_well": "Veel buren hielpen elkaar.",
        "went_less": "Lange wachttijden voor tuinwerk.", "agreements": "Vaker samen plannen."})
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    row = db.session.scalars(select(TeamEvaluation)).one()
    api = app.test_client().get(
        "/api/v1/reports/indicators", query_string={"area": "D1", **PERIOD},
        headers=_token(coordinator)).get_json()["indicators"]
    assert row.indicators == api
    municipal = make_user("municipality", areas=(world.areas["GM"],))
    reader = sign_in(app, municipal)
    assert f"/rapportage/evaluaties/{row.id}" in reader.get("/rapportage/evaluaties").get_data(
        as_text=True)
    page = reader.get(f"/rapportage/evaluaties/{row.id}").get_data(as_text=True)
    assert "Lange wachttijden voor tuinwerk." in page
    # Dates as a person types them, where the browser has no date picker.
    typed = browser.post("/rapportage/evaluaties/nieuw", data={
        "area": "D1", "from": "1-1-2025", "to": "31/3/2025",
        "went_well": "Ook goed.", "went_less": "Niets.", "agreements": "Zo door."})
    assert typed.status_code == 302, typed.get_data(as_text=True)[:1500]
    # A municipality (GM) is not a district: the form says so.
    wrong = browser.post("/rapportage/evaluaties/nieuw", data={
        "area": "GM", **PERIOD, "went_well": "", "went_less": "x", "agreements": "y"})
    assert wrong.status_code == 422
    assert "Een wijkteam-evaluatie hoort bij een wijk of kern." in wrong.get_data(as_text=True)


def _token(user):
    from marketplace.accounts.sessions import issue_api_token

    token = issue_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("role", ["resident", "volunteer", "association"])
def test_other_roles_get_404(app, make_user, coordinator, world, role):
    from marketplace.reporting.yearplan import save_plan

    plan = save_plan(coordinator, {"area": "GM", "year": 2025, "goals": [], "budget": []})
    db.session.commit()
    browser = sign_in(app, make_user(role))
    for path in ("/rapportage/jaarverslag", "/rapportage/jaarverslag.pdf",
                 "/rapportage/jaarplannen", f"/rapportage/jaarplannen/{plan.id}",
                 "/rapportage/jaarplannen/nieuw", "/rapportage/evaluaties",
                 "/rapportage/evaluaties/nieuw"):
        assert browser.get(path, query_string={"area": "GM"}).status_code == 404, path


def test_a_worker_of_another_area_gets_404(app, make_user, make_area, coordinator, world):
    from marketplace.reporting.yearplan import save_plan

    plan = save_plan(coordinator, {"area": "GM", "year": 2025, "goals": [], "budget": []})
    db.session.commit()
    other = make_area("GM2", "municipality", parent="REG", pc4=("5521",))
    browser = sign_in(app, make_user("worker", areas=(other,)))
    assert browser.get(f"/rapportage/jaarplannen/{plan.id}").status_code == 404
    assert browser.get("/rapportage/jaarverslag", query_string={"area": "GM"}).status_code == 404
    assert browser.get("/rapportage/jaarverslag.pdf",
                       query_string={"area": "GM"}).status_code == 404


def test_an_evaluation_of_a_free_period_is_saved_for_its_quarter(app, coordinator):
    browser = sign_in(app, coordinator)
    response = browser.post("/rapportage/evaluaties/nieuw", data={
        "area": "D1", "from": "3-2-2025", "to": "20-3-2025", "went_well": "Goed.",
        "went_less": "Niets.", "agreements": "Zo door."}, follow_redirects=True)
    assert response.status_code == 200
    row = db.session.scalars(select(TeamEvaluation)).one()
    assert (row.period_from.isoformat(), row.period_to.isoformat()) == (
        PERIOD["from"], PERIOD["to"])
    assert "Cijfers gaan per kwartaal of per jaar. U ziet 1 januari 2025 tot en met 31 maart " \
           "2025; u vroeg 3 februari 2025 tot en met 20 maart 2025." \
           in response.get_data(as_text=True)
