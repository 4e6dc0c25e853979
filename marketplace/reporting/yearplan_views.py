"""Pages: the annual report (print view and PDF), year plans, team evaluations.

Municipality users and workers see their own areas and below; administrators and team
coordinators enter year plans; workers of the area write team evaluations. Everyone else
gets 404. Thin views: the services in yearplan.py, annual.py and team_evaluation.py decide.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts.loading import role_required
from marketplace.areas.models import Area
from marketplace.areas.services import tree
from marketplace.errors import DomainError, NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.reporting import annual
from marketplace.reporting import team_evaluation as evaluations
from marketplace.reporting.access import may_report, visible_area_ids
from marketplace.reporting.definitions import BY_CODE, INDICATORS
from marketplace.reporting.exports import record_export
from marketplace.reporting.yearplan import (
    get_plan,
    may_plan_somewhere,
    may_read,
    may_write,
    record_spending,
    save_plan,
    year_period,
)
from marketplace.reporting.yearplan_forms import (
    AnnualFilterForm,
    EvaluationForm,
    SpendingForm,
    YearPlanForm,
    apply_errors,
    apply_plan_errors,
    number,
    plan_data,
)
from marketplace.reporting.yearplan_models import YearPlan

yearplans_bp = Blueprint("yearplans", __name__, url_prefix="/rapportage")


def _visible_choices() -> list[tuple[str, str]]:
    ids = visible_area_ids(current_user)
    return [(a.code, "\u00a0\u00a0" * d + a.name) for a, d in tree() if a.id in ids]


def _plannable_choices() -> list[tuple[str, str]]:
    return [(a.code, "\u00a0\u00a0" * d + a.name) for a, d in tree()
            if may_write(current_user, a)]


def _reporter() -> None:
    if not may_report(current_user):
        abort(404)


@yearplans_bp.get("/jaarverslag", endpoint="annual")
@role_required()
def annual_view():
    _reporter()
    form = AnnualFilterForm(request.args)
    form.area.choices = _visible_choices()
    try:
        area, year = annual.parse_annual(current_user, request.args)
    except ValidationFailed as error:
        apply_errors(form, error)
        return render_template("reporting/annual.html", form=form, report=None), 422
    except NotFound:
        abort(404)
    form.area.data, form.year.data = area.code, str(year)
    report = annual.build(area, year)
    return annual.render_html(report, standalone=False, form=form,
                              pdf_reason=annual.pdf_unavailable())


@yearplans_bp.get("/jaarverslag.pdf")
@role_required()
def annual_pdf():
    _reporter()
    try:
        area, year = annual.parse_annual(current_user, request.args)
    except ValidationFailed as error:
        return Response("\n".join(f"{k}: {v[0]}" for k, v in error.translated_errors().items()),
                        status=422, mimetype="text/plain")
    except NotFound:
        abort(404)
    reason = annual.pdf_unavailable()
    if reason is not None:
        return Response(reason, status=503, mimetype="text/plain")
    report = annual.build(area, year)
    pdf = annual.make_pdf(annual.render_html(report, standalone=True))
    record_export("annual.pdf", area.id, year_period(year), current_user.id, pdf,
                  report.indicators.rules)
    db.session.commit()
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="jaarverslag-{area.code}-{year}.pdf"'})


# --- year plans ---------------------------------------------------------------------------

@yearplans_bp.get("/jaarplannen")
@role_required()
def plans():
    if not (may_report(current_user) or current_user.has_role("admin")):
        abort(404)
    rows = db.session.scalars(select(YearPlan).join(Area).order_by(YearPlan.year.desc(),
                                                                   Area.name))
    visible = [p for p in rows if may_read(current_user, p.area)]
    return render_template("reporting/yearplan_list.html", plans=visible,
                           may_plan=may_plan_somewhere(current_user))


@yearplans_bp.route("/jaarplannen/nieuw", methods=["GET", "POST"])
@role_required()
def new_plan():
    if not may_plan_somewhere(current_user):
        abort(403 if may_report(current_user) else 404)
    form = YearPlanForm()
    form.area.choices = _plannable_choices()
    goal_choices = [("", _("(geen)"))] + [(i.code, str(i.label)) for i in INDICATORS]
    for name, field in form._fields.items():
        if name.startswith("goal_indicator_"):
            field.choices = goal_choices
    if request.method == "POST" and form.validate():
        data = plan_data(form)
        rows = data.pop("_rows")
        try:
            plan = save_plan(current_user, data)
        except ValidationFailed as error:
            db.session.rollback()
            apply_plan_errors(form, error, rows)
        except DomainError as error:
            db.session.rollback()
            form.area.errors = [*form.area.errors, _(error.message)]
        else:
            db.session.commit()
            flash(_("Het jaarplan is opgeslagen."), "success")
            return redirect(url_for("yearplans.plan", plan_id=plan.id))
    status = 422 if request.method == "POST" else 200
    return render_template("reporting/yearplan_form.html", form=form), status


def _plan_page(plan: YearPlan, spending: SpendingForm, status: int = 200):
    from marketplace.reporting.yearplan import indicators_of, plan_report

    indicators = indicators_of(plan)
    return render_template("reporting/yearplan_detail.html", plan=plan,
                           report=plan_report(plan, indicators), by_code=BY_CODE,
                           k=indicators.rules.k, money=annual.money, form=spending,
                           fmt=lambda code, value: _frozen_value(code, {"value": value}),
                           may_edit=may_write(current_user, plan.area)), status


@yearplans_bp.get("/jaarplannen/<int:plan_id>")
@role_required()
def plan(plan_id: int):
    try:
        found = get_plan(current_user, plan_id)
    except NotFound:
        abort(404)
    return _plan_page(found, SpendingForm())


@yearplans_bp.post("/jaarplannen/<int:plan_id>/uitgaven")
@role_required()
def spending(plan_id: int):
    try:
        found = get_plan(current_user, plan_id)
    except NotFound:
        abort(404)
    if not may_write(current_user, found.area):
        abort(403)
    form = SpendingForm()
    if form.validate():
        try:
            record_spending(current_user, found, (form.line.data or "").strip(),
                            {"spent": number(form.spent.data)})
        except ValidationFailed as error:
            db.session.rollback()
            apply_errors(form, error)
        except NotFound as error:
            db.session.rollback()
            form.line.errors = [*form.line.errors, _(error.message)]
        else:
            db.session.commit()
            flash(_("De uitgaven zijn opgeslagen."), "success")
            return redirect(url_for("yearplans.plan", plan_id=found.id))
    return _plan_page(found, form, 422)


# --- team evaluations ---------------------------------------------------------------------

@yearplans_bp.get("/evaluaties")
@role_required()
def evaluation_list():
    _reporter()
    return render_template("reporting/evaluation_list.html",
                           evaluations=evaluations.history(current_user),
                           may_write=current_user.has_role("worker"))


@yearplans_bp.route("/evaluaties/nieuw", methods=["GET", "POST"])
@role_required()
def evaluation_new():
    _reporter()
    if not current_user.has_role("worker"):
        abort(403)
    form = EvaluationForm()
    form.area.choices = [(c, n) for c, n in _visible_choices()]
    if request.method == "POST" and form.validate():
        data = {name: form[name].data for name in ("area", "from", "to", "went_well",
                                                     "went_less", "agreements")}
        try:
            row, widened = evaluations.create_evaluation(current_user, data)
        except ValidationFailed as error:
            db.session.rollback()
            apply_errors(form, error)
        except DomainError as error:
            db.session.rollback()
            form.area.errors = [*form.area.errors, _(error.message)]
        else:
            db.session.commit()
            flash(_("De evaluatie is opgeslagen."), "success")
            if widened:
                flash(widened, "info")
            return redirect(url_for("yearplans.evaluation", evaluation_id=row.id))
    status = 422 if request.method == "POST" else 200
    return render_template("reporting/evaluation_form.html", form=form), status


@yearplans_bp.get("/evaluaties/<int:evaluation_id>")
@role_required()
def evaluation(evaluation_id: int):
    _reporter()
    try:
        row = evaluations.get_evaluation(current_user, evaluation_id)
    except NotFound:
        abort(404)
    return render_template("reporting/evaluation_detail.html", evaluation=row,
                           indicators=INDICATORS, k=annual_k(), shown=_frozen_value)


def _frozen_value(code: str, cell: dict) -> str:
    """A frozen cell written as the dashboard writes it (percentages, days)."""
    from marketplace.reporting.indicators import Cell
    from marketplace.reporting.views import show

    return show(BY_CODE[code], Cell(cell.get("value"), cell.get("n"), False))


def annual_k() -> int:
    from marketplace.reporting.indicators import rules_from_config

    return rules_from_config().k
