"""The annual report of an area: indicators, the year plan against results, gaps, charts.

Everything comes from the same `IndicatorReport` (indicators.compute) and `GapReport` as the
dashboard and the API, for the calendar year, so the report cannot disagree with them and
shows no suppressed number ("verborgen" instead). The HTML is a print view
(templates/reporting/annual.html); the PDF is that HTML rendered offline by WeasyPrint
(no network: every style is inline, charts are inline SVG).

WeasyPrint needs Pango. `pdf_unavailable()` says in one line why a PDF cannot be made on
this machine (None when it can); `import_weasyprint` is the seam a test replaces to
simulate a machine without Pango.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import render_template
from flask_babel import format_decimal
from flask_babel import gettext as _

from marketplace.areas.models import Area
from marketplace.cleaning import whole_number
from marketplace.clock import today as clock_today
from marketplace.errors import ValidationFailed
from marketplace.reporting.charts import Bar, Chart
from marketplace.reporting.definitions import BY_CODE, GROUPS, INDICATORS, SHARE
from marketplace.reporting.gaps import compute_gaps
from marketplace.reporting.indicators import Cell, IndicatorReport, compute
from marketplace.reporting.params import FIRST_YEAR, LAST_YEAR, parse
from marketplace.reporting.yearplan import euros, plan_for, plan_report, year_period
from marketplace.reporting.yearplan_models import YearPlan

MOVEMENT = ("solved_own_network", "solved_volunteer", "solved_association", "solved_activity",
            "solved_worker", "referred", "not_solved")
SHARES = tuple(i.code for i in INDICATORS if i.kind == SHARE)


@dataclass
class AnnualReport:
    area: Area
    year: int
    indicators: IndicatorReport
    plan: YearPlan | None
    plan_rows: dict[str, Any] | None
    gaps: list[dict[str, Any]]
    charts: dict[str, Chart] = field(default_factory=dict)

    @property
    def k(self) -> int:
        return self.indicators.rules.k


def _text(code: str, cell: Cell) -> str:
    from marketplace.reporting.views import show

    return _("verborgen") if cell.suppressed else show(BY_CODE[code], cell)


def _goal_text(code: str, value: float | None) -> str:
    if value is None:
        return _("verborgen")
    return _text(code, Cell(value, None, False))


def build(area: Area, year: int) -> AnnualReport:
    period = year_period(year)
    indicators = compute(area, period)
    plan = plan_for(area, year)
    rows = plan_report(plan, indicators) if plan is not None else None
    gaps = [row for row in compute_gaps(area, period).own_rows()
            if row["suppressed"] or row["open_too_long"] or row["without_candidates"]]
    report = AnnualReport(area, year, indicators, plan, rows, gaps)
    report.charts = charts(report)
    return report


def charts(report: AnnualReport) -> dict[str, Chart]:
    cells = report.indicators.indicators
    out = {
        "movement": Chart(
            "grafiek-afronding", _("Hoe hulpvragen zijn afgerond"),
            _("Staafdiagram: het aantal afgeronde hulpvragen per manier van afronden. "
              "De tabel ernaast heeft dezelfde cijfers."), (_("Aantal"),),
            tuple(Bar(str(BY_CODE[c].label), (cells[c].value,), (_text(c, cells[c]),))
                  for c in MOVEMENT)),
        "shares": Chart(
            "grafiek-aandelen", _("Aandelen"),
            _("Staafdiagram: de aandelen in procenten. De tabel ernaast heeft dezelfde "
              "cijfers."), (_("Aandeel"),),
            tuple(Bar(str(BY_CODE[c].label), (cells[c].value,), (_text(c, cells[c]),))
                  for c in SHARES)),
    }
    if report.plan_rows and report.plan_rows["budget"]:
        out["budget"] = Chart(
            "grafiek-begroting", _("Begroting en uitgaven"),
            _("Staafdiagram: per begrotingsregel het begrote bedrag en het uitgegeven "
              "bedrag in euro. De tabel ernaast heeft dezelfde cijfers."),
            (_("Begroot"), _("Uitgegeven")),
            tuple(Bar(b["line"], (float(b["amount"]), float(b["spent"])),
                      (money(b["amount"]), money(b["spent"])))
                  for b in report.plan_rows["budget"]))
    return out


def money(value: int | float) -> str:
    return "€ " + format_decimal(value, format="#,##0.00")


def goal_rows(report: AnnualReport) -> list[dict[str, Any]]:
    """Target against actual per goal, with the gap (actual minus target) where known."""
    if not report.plan_rows:
        return []
    out = []
    for goal in report.plan_rows["goals"]:
        code, target, actual = goal["indicator"], goal["target"], goal["actual"]
        gap = None if actual is None else round(actual - target, 3)
        out.append({"indicator": BY_CODE[code], "target": _goal_text(code, target),
                    "actual": _goal_text(code, actual), "suppressed": actual is None,
                    "reached": None if actual is None else actual >= target,
                    "gap": None if gap is None else _goal_text(code, abs(gap)),
                    "gap_sign": None if gap is None else (gap > 0) - (gap < 0)})
    return out


def render_html(report: AnnualReport, *, standalone: bool, **extra: Any) -> str:
    """The print view (inside the site's frame), or the standalone document for the PDF."""
    template = "reporting/annual_document.html" if standalone else "reporting/annual.html"
    from marketplace.categories.services import label as category_label
    from marketplace.reporting.views import show

    return render_template(template, report=report, groups=GROUPS, indicators=INDICATORS,
                           category_label=category_label, show=show,
                           goals=goal_rows(report), money=money, euros=euros,
                           text=lambda code: _text(code, report.indicators.indicators[code]),
                           **extra)


# --- the PDF ------------------------------------------------------------------------------

def import_weasyprint() -> Any:
    """The seam: returns the weasyprint module (raises ImportError/OSError without Pango)."""
    import weasyprint

    return weasyprint


_STATE: dict[str, Any] = {}


def pdf_unavailable() -> str | None:
    """None when PDFs can be made here, else one line saying why (checked once)."""
    if "error" not in _STATE:
        try:
            _STATE["module"] = import_weasyprint()
            _STATE["error"] = None
        except (ImportError, OSError) as error:
            _STATE["module"] = None
            first = str(error).splitlines()[0][:120] if str(error) else ""
            _STATE["error"] = first or type(error).__name__
    if _STATE["error"] is None:
        return None
    return _("Een pdf maken kan niet op deze server: WeasyPrint of de Pango-bibliotheek "
             "ontbreekt (%(error)s). Gebruik de printversie en kies 'Afdrukken als pdf'.",
             error=_STATE["error"])


def reset_pdf_state() -> None:
    """Forget the check (tests that swap the seam call this)."""
    _STATE.clear()


def make_pdf(html: str) -> bytes:
    """The PDF of a standalone HTML document, made offline (no URL is ever fetched)."""
    if pdf_unavailable() is not None:
        raise RuntimeError(pdf_unavailable())
    weasyprint = _STATE["module"]

    def no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"offline: {url}")

    return weasyprint.HTML(string=html, url_fetcher=no_fetch).write_pdf()


def pdf_document(html: str) -> Any:
    """The laid-out WeasyPrint document (pages), for tests that count pages."""
    if pdf_unavailable() is not None:
        raise RuntimeError(pdf_unavailable())
    return _STATE["module"].HTML(string=html).render()


def parse_annual(user: Any, args: Any, *, today: date | None = None) -> tuple[Area, int]:
    """Area (visible to `user`) and year from a query string; the same rules and messages
    as the dashboard (404 for who may not see it, 422 per field)."""
    today = today or clock_today()
    errors: dict[str, list[str]] = {}
    year = today.year
    raw = (args.get("year") or "").strip()
    if raw:
        chosen = whole_number(raw, LAST_YEAR)
        if chosen is not None and FIRST_YEAR <= chosen:
            year = chosen
        else:
            errors["year"] = [_("Kies een jaar van %(first)s tot %(last)s.", first=FIRST_YEAR,
                                last=LAST_YEAR)]
    try:
        query = parse(user, {"area": args.get("area") or "", "from": f"{year}-01-01",
                             "to": f"{year}-12-31"})
    except ValidationFailed as error:
        errors.update(error.errors)
        query = None
    if errors or query is None:
        raise ValidationFailed(errors)
    return query.area, year
