"""Forms of the year-plan, annual-report and team-evaluation pages."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField

from marketplace.errors import ValidationFailed, translate
from marketplace.errors import apply_errors as apply_errors  # one helper for all forms

GOAL_ROWS = 6
BUDGET_ROWS = 6


class AnnualFilterForm(FlaskForm):
    class Meta:
        csrf = False

    area = SelectField(_l("Gebied"), choices=[], validate_choice=False)
    year = StringField(_l("Jaar"), render_kw={"inputmode": "numeric"},
                       description=_l("Bijvoorbeeld 2026."))


class YearPlanForm(FlaskForm):
    area = SelectField(_l("Gebied"), choices=[], validate_choice=False)
    year = StringField(_l("Jaar"), render_kw={"inputmode": "numeric"},
                       description=_l("Bijvoorbeeld 2026."))


for _i in range(GOAL_ROWS):
    setattr(YearPlanForm, f"goal_indicator_{_i}", SelectField(
        _l("Cijfer (doel %(n)s)", n=_i + 1), choices=[], validate_choice=False))
    setattr(YearPlanForm, f"goal_target_{_i}", StringField(
        _l("Doel (doel %(n)s)", n=_i + 1), render_kw={"inputmode": "decimal"},
        description=_l("Een aantal, of een aandeel als 0,6 (is 60%).")))
for _i in range(BUDGET_ROWS):
    setattr(YearPlanForm, f"budget_line_{_i}", StringField(
        _l("Begrotingsregel %(n)s", n=_i + 1)))
    setattr(YearPlanForm, f"budget_amount_{_i}", StringField(
        _l("Bedrag in euro (regel %(n)s)", n=_i + 1), render_kw={"inputmode": "decimal"}))


class SpendingForm(FlaskForm):
    line = StringField(_l("Begrotingsregel"))
    spent = StringField(_l("Uitgegeven in euro"), render_kw={"inputmode": "decimal"},
                        description=_l("Het totaal tot nu toe, bijvoorbeeld 1250,50."))


class EvaluationForm(FlaskForm):
    area = SelectField(_l("Wijk of kern"), choices=[], validate_choice=False)
    to = StringField(_l("Tot en met"), render_kw={"type": "date"},
                     description=_l("Bijvoorbeeld 31-3-2026. Kies een heel jaar of een "
                                    "kwartaal."))
    went_well = TextAreaField(_l("Wat ging goed?"))
    went_less = TextAreaField(_l("Wat ging minder goed?"))
    agreements = TextAreaField(_l("Welke afspraken maken we?"))


setattr(EvaluationForm, "from", StringField(
    _l("Van"), render_kw={"type": "date"}, description=_l("Bijvoorbeeld 1-1-2026.")))


# 1.250 or 1.250.000: dots between groups of three digits (a leading 0 is a decimal: 0.125).
THOUSANDS = re.compile(r"-?[1-9][0-9]{0,2}(\.[0-9]{3})+")


def number(text: str | None) -> float | str | None:
    """A typed number as float ("1.250,50", "1250,50", "1250.50"; "1.250" and "12.500" with
    Dutch thousands dots are 1250 and 12500, not 1.25 and 12.5); the text itself when
    unreadable (the service then says what is wrong); None when empty."""
    raw = (text or "").strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
    if not raw:
        return None
    if "," in raw or THOUSANDS.fullmatch(raw):
        raw = raw.replace(".", "").replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        return text


def plan_data(form: YearPlanForm) -> dict:
    goals, budget = [], []
    rows: dict[str, str] = {}
    for i in range(GOAL_ROWS):
        code = form[f"goal_indicator_{i}"].data
        if code:
            rows[f"goals[{len(goals)}]"] = str(i)
            goals.append({"indicator": code, "target": number(form[f"goal_target_{i}"].data)})
    for i in range(BUDGET_ROWS):
        line = (form[f"budget_line_{i}"].data or "").strip()
        if line:
            rows[f"budget[{len(budget)}]"] = str(i)
            budget.append({"line": line, "amount": number(form[f"budget_amount_{i}"].data)})
    # The year as typed: read_plan reads a year from text as from a JSON number.
    return {"area": form.area.data, "year": (form.year.data or "").strip(),
            "goals": goals, "budget": budget, "_rows": rows}


FIELD_OF = {"indicator": "goal_indicator", "target": "goal_target", "line": "budget_line",
            "amount": "budget_amount"}


def apply_plan_errors(form: YearPlanForm, error: ValidationFailed, rows: dict[str, str]) -> None:
    """Put the service's errors ("goals[0].target") on the form row they came from."""
    for key, texts in error.errors.items():
        name = key
        if "." in key:
            item, attr = key.split(".", 1)
            if item in rows and attr in FIELD_OF:
                name = f"{FIELD_OF[attr]}_{rows[item]}"
        field = form._fields.get(name)
        if field is not None and name not in ("goals", "budget"):
            field.errors = [*field.errors, *(translate(text) for text in texts)]
