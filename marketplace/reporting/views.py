"""The municipality's dashboard: indicators per area and period, the definitions, the CSV.

Municipality users and workers, for their own areas and below; anyone else gets 404. The
page reads the same `IndicatorReport` as the API and the CSV, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import format_decimal, format_percent, get_locale, ngettext
from flask_login import current_user
from markupsafe import Markup

from marketplace.accounts.loading import role_required
from marketplace.areas.services import tree
from marketplace.categories.services import label as category_label
from marketplace.clock import today as clock_today
from marketplace.errors import NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.page_cache import cached
from marketplace.reporting.access import may_report, top_areas, visible_area_ids
from marketplace.reporting.definitions import (
    GROUPS,
    INDICATORS,
    MEAN,
    MEDIAN,
    SHARE,
    Indicator,
)
from marketplace.reporting.exports import indicators_csv, record_export
from marketplace.reporting.forms import apply_errors, filter_form
from marketplace.reporting.gaps import compute_gaps
from marketplace.reporting.indicators import Cell, compute, rules_from_config
from marketplace.reporting.params import parse, widened_notice
from marketplace.reporting.periods import Period

reporting_bp = Blueprint("reporting", __name__, url_prefix="/rapportage")

# A few indicators compared across the areas directly below.
# The four figures at the top of the dashboard, as cards (the policy's main questions).
HEADLINE = ("requests", "share_zero_line", "network_mobilised_share", "ended_within_plan_share")
COMPARE = ("requests", "share_zero_line", "network_mobilised_share", "median_support_days",
           "reciprocity_share")


def _reporter() -> None:
    if not may_report(current_user):
        abort(404)


QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))


def _periods(today: date) -> list[tuple[str, Period]]:
    """Quick choices: this year and last year, and the quarters of this year so far."""
    year = today.year
    out = [(str(year), Period(date(year, 1, 1), date(year, 12, 31))),
           (str(year - 1), Period(date(year - 1, 1, 1), date(year - 1, 12, 31)))]
    for q, (month, day) in enumerate(QUARTER_ENDS):
        start = date(year, 3 * q + 1, 1)
        if start <= today:
            out.append((f"Q{q + 1} {year}", Period(start, date(year, month, day))))
    return out


def show(indicator: Indicator, cell: Cell) -> str:
    """A published value as people read it (the suppressed case is in the template)."""
    value = cell.value
    if value is None:
        return "—"
    if indicator.kind == SHARE:
        return format_percent(value, format="#,##0.0%")
    if indicator.kind == MEDIAN:
        return ngettext("%(days)s dag", "%(days)s dagen", 1 if value == 1 else 2,
                        days=format_decimal(value))
    if indicator.kind == MEAN:
        return ("+" if value > 0 else "") + format_decimal(value, format="0.0#")
    return format_decimal(value)


def _trail(area) -> list:
    """The area's ancestors the user may see, top first (for the breadcrumb)."""
    visible = visible_area_ids(current_user)
    from marketplace.areas.models import Area

    ancestors = [db.session.get(Area, i) for i in area.ancestor_ids[:-1] if i in visible]
    return [a for a in ancestors if a is not None]


def _area_choices() -> list:
    visible = visible_area_ids(current_user)
    return [(a, depth) for a, depth in tree() if a.id in visible]


_LABELLED: dict[str, tuple[tuple, tuple[Indicator, ...], dict[str, Indicator]]] = {}


def _labelled() -> tuple[tuple, tuple[Indicator, ...], dict[str, Indicator]]:
    """GROUPS and INDICATORS with their labels translated, once per locale and process.

    The page reads a label two or three times, and a lazy string is translated anew each
    time. Markup, because a lazy string's __html__ is its text unescaped: the same HTML."""
    locale = str(get_locale())
    if locale not in _LABELLED:
        groups = tuple((code, Markup(str(label))) for code, label in GROUPS)
        indicators = tuple(replace(i, label=Markup(str(i.label))) for i in INDICATORS)
        _LABELLED[locale] = (groups, indicators, {i.code: i for i in indicators})
    return _LABELLED[locale]


def _other_moment(moment: datetime | None, shown: datetime | None) -> datetime | None:
    """`moment` when the page's "Cijfers van <shown>" does not cover it (the gaps computed
    now beside a snapshot made before gaps were kept in it), else None."""
    if moment is None or shown is None:
        return moment
    apart = moment.replace(tzinfo=None) - shown.replace(tzinfo=None)
    return moment if abs(apart) > timedelta(minutes=1) else None


@reporting_bp.get("/")
@role_required()
@cached
def dashboard():
    _reporter()
    form = filter_form(request.args, _area_choices())
    common = {"form": form, "periods": _periods(clock_today()), "tops": top_areas(current_user),
              "k": rules_from_config().k}
    try:
        query = parse(current_user, request.args, typed=True)
    except ValidationFailed as error:
        apply_errors(form, error)
        return render_template("reporting/dashboard.html", report=None, **common), 422
    except NotFound:
        abort(404)
    form.area.data = query.area.code
    form["from"].data, form["to"].data = query.period.start.isoformat(), \
        query.period.end.isoformat()
    report = compute(query.area, query.period)
    gaps = compute_gaps(query.area, query.period,
                        refs=report.facts.refs if report.facts is not None else None)
    own_gaps = gaps.own_rows()
    groups, indicators, by_code = _labelled()
    return render_template(
        "reporting/dashboard.html", report=report, area=query.area, period=query.period,
        trail=_trail(query.area), groups=groups, indicators=indicators, gaps=own_gaps,
        gaps_computed_at=_other_moment(gaps.computed_at, report.computed_at),
        category_label=category_label, compare=[by_code[c] for c in COMPARE],
        headline=[by_code[c] for c in HEADLINE], link_area=_link_area(report),
        widened=widened_notice(query.period, query.asked), show=show, **common)


def _link_area(report):
    """The published area above a withheld one, when the user may open its figures."""
    above = report.published_area
    return above if above is not None and above.id in visible_area_ids(current_user) else None


@reporting_bp.get("/definities")
@role_required()
def definitions():
    _reporter()
    return render_template("reporting/definitions.html", groups=GROUPS, indicators=INDICATORS,
                           k=rules_from_config().k)


@reporting_bp.get("/indicatoren.csv")
@role_required()
def indicators_download():
    _reporter()
    try:
        query = parse(current_user, request.args, typed=True)
    except ValidationFailed as error:
        return Response("\n".join(f"{k}: {v[0]}" for k, v in error.translated_errors().items()),
                        status=422, mimetype="text/plain")
    except NotFound:
        abort(404)
    report = compute(query.area, query.period)
    text = indicators_csv(report)
    record_export("indicators.csv", query.area.id, query.period, current_user.id, text,
                  report.rules)
    db.session.commit()
    filename = f"indicatoren-{query.area.code}-{query.period.start}-{query.period.end}.csv"
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@reporting_bp.app_template_global("own_reciprocity_tally")
def own_reciprocity_tally():
    """Given / received of the signed-in resident or volunteer (their own page), else None."""
    from marketplace.reciprocity.services import tally_for

    if not current_user.is_authenticated or not current_user.has_role("resident", "volunteer"):
        return None
    return tally_for(current_user.id)
