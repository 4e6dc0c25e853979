"""Year plans: goals (an indicator code and a target) and budget lines per area and year.

Entered by a team coordinator (a worker who coordinates the team of the area or of an area
above it) or an administrator. The report sets every goal's target beside the indicator's
published value for the plan's area and calendar year: `compute(area, year)`, the same
`IndicatorReport` the dashboard, the API, the CSV and the annual report read, so they cannot
disagree. A suppressed value stays suppressed here (`actual` is null).

Services add and flush; the view or API handler commits.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.areas.models import Area
from marketplace.clock import now as clock_now
from marketplace.errors import Forbidden, NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.reporting.access import may_report, may_see
from marketplace.reporting.indicators import IndicatorReport, compute
from marketplace.reporting.periods import Period
from marketplace.reporting.yearplan_input import cents, read_plan
from marketplace.reporting.yearplan_models import YearPlan, YearPlanBudgetLine, YearPlanGoal
from marketplace.teams.services import coordinated_by


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


# --- who may do what -------------------------------------------------------------------

def may_read(user: User | None, area: Area) -> bool:
    """Municipality users and workers of the area (or above it); administrators, who enter
    plans for any area."""
    if user is None or not user.is_authenticated:
        return False
    return user.has_role("admin") or may_see(user, area)


def may_write(user: User | None, area: Area) -> bool:
    """An administrator, or a worker coordinating the team of this area or one above it."""
    if user is None or not user.is_authenticated:
        return False
    if user.has_role("admin"):
        return True
    if not user.has_role("worker"):
        return False
    return any(team.area_id in area.ancestor_ids for team in coordinated_by(user))


def may_plan_somewhere(user: User | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.has_role("admin") or (user.has_role("worker") and bool(coordinated_by(user)))


def writable_area(user: User, area: Area) -> None:
    """404 when the user may not see the area at all, 403 when they may see but not plan."""
    if not may_read(user, area):
        raise NotFound(_("Dit gebied bestaat niet."), field="area")
    if not may_write(user, area):
        raise Forbidden(_("Alleen de coördinator van het wijkteam of een beheerder kan een "
                          "jaarplan invoeren."))


# --- writing ----------------------------------------------------------------------------

def plan_for(area: Area, year: int) -> YearPlan | None:
    return db.session.scalar(select(YearPlan).where(YearPlan.area_id == area.id,
                                                    YearPlan.year == year))


def save_plan(user: User, data: dict[str, Any]) -> YearPlan:
    """Create the plan of an area and year, or replace its goals and budget (a line that
    stays keeps what was spent on it unless `spent` is given)."""
    if not (user.has_role("admin") or may_report(user)):
        raise NotFound(_("Deze pagina bestaat niet."))
    plan_input, errors = read_plan(data)
    if plan_input.area is not None:
        writable_area(user, plan_input.area)
    if errors:
        raise ValidationFailed(errors)
    assert plan_input.area is not None and plan_input.year is not None
    plan = plan_for(plan_input.area, plan_input.year)
    if plan is None:
        plan = YearPlan(area_id=plan_input.area.id, year=plan_input.year,
                        created_by_id=user.id)
        db.session.add(plan)
    spent_before = {b.line: b.spent_cents for b in plan.budget}
    plan.goals.clear()
    plan.budget.clear()
    db.session.flush()
    for code, target in plan_input.goals:
        plan.goals.append(YearPlanGoal(indicator=code, target=target))
    for line, amount, spent in plan_input.budget:
        plan.budget.append(YearPlanBudgetLine(
            line=line, amount_cents=amount,
            spent_cents=spent if spent is not None else spent_before.get(line, 0)))
    plan.updated_at = clock_now()
    db.session.flush()
    return plan


def get_plan(user: User, plan_id: int) -> YearPlan:
    """The plan when the user may read it; NotFound otherwise, exactly like a missing one."""
    plan = db.session.get(YearPlan, plan_id) if 0 < plan_id <= 2**31 - 1 else None
    if plan is None or not may_read(user, plan.area):
        raise NotFound(_("Dit jaarplan bestaat niet."))
    return plan


def record_spending(user: User, plan: YearPlan, line: str, data: dict[str, Any]
                    ) -> YearPlanBudgetLine:
    """Set what was spent (and optionally the amount) on one budget line."""
    writable_area(user, plan.area)
    row = next((b for b in plan.budget if b.line == line), None)
    if row is None:
        raise NotFound(_("Deze begrotingsregel bestaat niet."))
    errors: dict[str, list[str]] = {}
    spent = cents(data.get("spent"), "spent", errors, required=True)
    amount = cents(data.get("amount"), "amount", errors, required=False)
    if errors:
        raise ValidationFailed(errors)
    assert spent is not None
    row.spent_cents = spent
    if amount is not None:
        row.amount_cents = amount
    plan.updated_at = clock_now()
    db.session.flush()
    return row


# --- the report -------------------------------------------------------------------------

def euros(amount_cents: int) -> int | float:
    return amount_cents // 100 if amount_cents % 100 == 0 else amount_cents / 100


def indicators_of(plan: YearPlan) -> IndicatorReport:
    return compute(plan.area, year_period(plan.year))


def plan_report(plan: YearPlan, indicators: IndicatorReport | None = None) -> dict[str, Any]:
    """{"area", "year", "goals": [{"indicator", "target", "actual"}], "budget": [{"line",
    "amount", "spent"}]}: `actual` is the published indicator value (null: suppressed)."""
    indicators = indicators or indicators_of(plan)
    return {
        "id": plan.id,
        "area": plan.area.code,
        "year": plan.year,
        "goals": [{"indicator": g.indicator, "target": g.target,
                   "actual": indicators.indicators[g.indicator].value
                   if g.indicator in indicators.indicators else None}
                  for g in plan.goals],
        "budget": [{"line": b.line, "amount": euros(b.amount_cents),
                    "spent": euros(b.spent_cents)} for b in plan.budget],
    }
