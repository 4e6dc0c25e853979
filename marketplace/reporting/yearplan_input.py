"""Reading a year plan from JSON-like input: every field checked, every error named by the
field it is about ("goals[0].indicator", "budget[1].amount"; also "goals"/"budget" as a
whole). No database writes; the area is looked up by code."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from marketplace.areas.models import Area
from marketplace.areas.services import get_by_code
from marketplace.cleaning import whole_number
from marketplace.errors import NotFound
from marketplace.reporting.definitions import BY_CODE, MEAN, SHARE
from marketplace.reporting.params import FIRST_YEAR, LAST_YEAR

LINE_MAX = 120
MAX_AMOUNT = 10**12  # euros; more than any welfare budget
MAX_GOALS = MAX_LINES = 100


@dataclass(frozen=True)
class PlanInput:
    area: Area | None
    year: int | None
    goals: list[tuple[str, float]]
    budget: list[tuple[str, int, int | None]]  # line, amount in cents, spent in cents


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return float(value)


def cents(value: Any, key: str, errors: dict[str, list[str]], *, required: bool) -> int | None:
    if value is None or value == "":
        if required:
            errors[key] = [_("Vul een bedrag in.")]
        return None
    number = _number(value)
    if number is None:
        errors[key] = [_("Vul een bedrag in euro's in, zoals 1250,50.")]
        return None
    if number < 0:
        errors[key] = [_("Een bedrag kan niet negatief zijn.")]
        return None
    if number > MAX_AMOUNT:
        errors[key] = [_("Dit bedrag is te groot.")]
        return None
    return round(number * 100)


def check_target(code: str, target: Any, key: str, errors: dict[str, list[str]]) -> float | None:
    number = _number(target)
    if number is None:
        errors[key] = [_("Vul als doel een getal in.")]
        return None
    indicator = BY_CODE[code]
    if indicator.kind == SHARE and not 0 <= number <= 1:
        errors[key] = [_("Een aandeel is een getal van 0 tot 1 (0,6 is 60%).")]
        return None
    if indicator.kind != MEAN and number < 0:
        errors[key] = [_("Een doel kan niet negatief zijn.")]
        return None
    if abs(number) > MAX_AMOUNT:
        errors[key] = [_("Dit getal is te groot.")]
        return None
    return number


def _flag(errors: dict[str, list[str]], key: str, group: str) -> None:
    """Also name the list itself, so a client that looks at "goals" or "budget" sees it."""
    errors.setdefault(group, [])
    for message in errors[key]:
        if message not in errors[group]:
            errors[group].append(message)


def read_plan(data: dict[str, Any]) -> tuple[PlanInput, dict[str, list[str]]]:
    """The plan from a JSON-like dict, with every field's error (not raised: the caller
    first decides 404/403 on the area). An area code that does not exist raises NotFound,
    the same as an area the caller may not see."""
    errors: dict[str, list[str]] = {}
    area = None
    code = data.get("area")
    if not isinstance(code, str) or not code.strip():
        errors["area"] = [_("Kies een gebied.")]
    else:
        area = get_by_code(code.strip()) if len(code) <= 40 else None
        if area is None:
            # Exactly as an area the user may not see (yearplan.writable_area): 404.
            raise NotFound(_("Dit gebied bestaat niet."), field="area")
    year = data.get("year")
    if isinstance(year, str) and (typed := whole_number(year, LAST_YEAR)) is not None:
        year = typed
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = [_("Kies een jaar van %(first)s tot %(last)s.", first=FIRST_YEAR,
                            last=LAST_YEAR)]
        year = None
    goals: list[tuple[str, float]] = []
    raw_goals = data.get("goals") if data.get("goals") is not None else []
    if not isinstance(raw_goals, list) or len(raw_goals) > MAX_GOALS:
        errors["goals"] = [_("Stuur de doelen als lijst (hooguit %(n)s).", n=MAX_GOALS)]
        raw_goals = []
    for i, goal in enumerate(raw_goals):
        if not isinstance(goal, dict):
            errors[f"goals[{i}]"] = [_('Stuur een doel als {"indicator": …, "target": …}.')]
            _flag(errors, f"goals[{i}]", "goals")
            continue
        code = goal.get("indicator")
        key = f"goals[{i}].indicator"
        if not isinstance(code, str) or code not in BY_CODE:
            errors[key] = [_("Dit cijfer kennen we niet. Kies een cijfer uit de lijst.")]
            _flag(errors, key, "goals")
            continue
        if any(code == g[0] for g in goals):
            errors[key] = [_("Dit cijfer staat al in het jaarplan.")]
            _flag(errors, key, "goals")
            continue
        key = f"goals[{i}].target"
        target = check_target(code, goal.get("target"), key, errors)
        if target is None:
            _flag(errors, key, "goals")
            continue
        goals.append((code, target))
    budget: list[tuple[str, int, int | None]] = []
    raw_budget = data.get("budget") if data.get("budget") is not None else []
    if not isinstance(raw_budget, list) or len(raw_budget) > MAX_LINES:
        errors["budget"] = [_("Stuur de begroting als lijst (hooguit %(n)s).", n=MAX_LINES)]
        raw_budget = []
    for i, row in enumerate(raw_budget):
        if not isinstance(row, dict):
            errors[f"budget[{i}]"] = [_('Stuur een regel als {"line": …, "amount": …}.')]
            _flag(errors, f"budget[{i}]", "budget")
            continue
        line = row.get("line")
        key = f"budget[{i}].line"
        if not isinstance(line, str) or not line.strip() or len(line.strip()) > LINE_MAX:
            errors[key] = [_("Geef de begrotingsregel een naam (hooguit %(n)s tekens).",
                             n=LINE_MAX)]
            _flag(errors, key, "budget")
            continue
        line = line.strip()
        if any(line == b[0] for b in budget):
            errors[key] = [_("Deze begrotingsregel staat er al.")]
            _flag(errors, key, "budget")
            continue
        amount = cents(row.get("amount"), f"budget[{i}].amount", errors, required=True)
        spent = cents(row.get("spent"), f"budget[{i}].spent", errors, required=False)
        for field in ("amount", "spent"):
            if f"budget[{i}].{field}" in errors:
                _flag(errors, f"budget[{i}].{field}", "budget")
        if amount is not None and f"budget[{i}].spent" not in errors:
            budget.append((line, amount, spent))
    return PlanInput(area, year, goals, budget), errors
