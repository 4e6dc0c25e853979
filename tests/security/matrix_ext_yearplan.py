"""Matrix rows for year plans, the annual report (page and PDF) and team evaluations.

Municipality users and workers of the World's area read them; the World's worker
coordinates the area's team, so they (and the administrator) enter year plans; the
municipality may read but not plan (403); every other role gets 404. The builders make a
year plan and an evaluation in the World's area once per World. Other areas' workers:
tests/integration/test_yearplans_api.py and tests/functional/test_yearplan_pages.py."""

from __future__ import annotations

from typing import Any

from tests.security.matrix_rules import Expectation, api_rows, rows
from tests.security.security_support import once


def plan_id(w: Any, m: Any) -> int:
    from marketplace.reporting.yearplan import save_plan
    from marketplace.teams.services import save_team, set_member

    def make() -> int:
        team = save_team(w.area, "Wijkteam Bladel")
        set_member(team, w.users["worker"], coordinator=True)
        return save_plan(w.users["admin"], {
            "area": w.area.code, "year": 2026,
            "goals": [{"indicator": "requests", "target": 100}],
            "budget": [{"line": "Activiteiten", "amount": 1000}]}).id

    return once(w, "yearplan.plan", make)


def evaluation_id(w: Any, m: Any) -> int:
    from datetime import date

    from marketplace.extensions import db
    from marketplace.reporting.yearplan_models import TeamEvaluation

    def make() -> int:
        row = TeamEvaluation(area_id=w.area.id, period_from=date(2026, 1, 1),
                             period_to=date(2026, 6, 30), went_well="Veel buren hielpen.",
                             went_less="Wachttijden.", agreements="Vaker overleggen.",
                             indicators={"requests": {"value": None, "n": None,
                                                      "suppressed": True}},
                             author_id=w.users["worker"].id)
        db.session.add(row)
        db.session.flush()
        return row.id

    return once(w, "yearplan.evaluation", make)


READERS = {"worker": 200, "municipality": 200}
MATRIX: dict[tuple[str, str], Expectation] = {
    ("yearplans.annual", "GET"): rows(404, **READERS),
    ("yearplans.annual_pdf", "GET"): rows(404, **READERS),
    ("yearplans.plans", "GET"): rows(404, admin=200, **READERS),
    ("yearplans.new_plan", "GET"): rows(404, worker=200, admin=200, municipality=403),
    ("yearplans.new_plan", "POST"): rows(404, worker=422, admin=422, municipality=403),
    ("yearplans.plan", "GET"): rows(404, admin=200, **READERS),
    ("yearplans.spending", "POST"): rows(404, worker=422, admin=422, municipality=403),
    ("yearplans.evaluation_list", "GET"): rows(404, **READERS),
    ("yearplans.evaluation_new", "GET"): rows(404, worker=200, municipality=403),
    ("yearplans.evaluation_new", "POST"): rows(404, worker=422, municipality=403),
    ("yearplans.evaluation", "GET"): rows(404, **READERS),
    # The matrix posts a form, not JSON: 400 for those who may write, after the role check.
    ("api.yearplan_create", "POST"): api_rows(404, worker=400, admin=400, municipality=400),
    ("api.yearplan_spending", "PUT"): api_rows(404, worker=400, admin=400, municipality=403),
    ("api.yearplan_report", "GET"): api_rows(404, admin=200, **READERS),
    ("api.report_annual_pdf", "GET"): api_rows(404, **READERS),
}

URL_ARGS: dict[str, Any] = {
    "yearplans.plan": lambda w, m: {"plan_id": plan_id(w, m)},
    "yearplans.spending": lambda w, m: {"plan_id": plan_id(w, m)},
    "yearplans.evaluation": lambda w, m: {"evaluation_id": evaluation_id(w, m)},
    "api.yearplan_spending": lambda w, m: {"plan_id": plan_id(w, m), "line": "Activiteiten"},
    "api.yearplan_report": lambda w, m: {"plan_id": plan_id(w, m)},
}
FORM_DATA: dict[str, dict[str, Any]] = {}
