"""Neighbourhood-team evaluations: a short structured form per district and period (what
went well, what not, agreements) with that period's indicators frozen into it.

The frozen figures are the published ones (`compute(area, period).to_json()`): already
suppressed, so the history holds no small number either, and later data never changes
what the team discussed. Written by workers of the area; read by them and the municipality.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.areas.models import Area
from marketplace.errors import NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.reporting.access import may_report, may_see, visible_area_ids
from marketplace.reporting.indicators import compute
from marketplace.reporting.params import parse, widened_notice
from marketplace.reporting.yearplan_models import TeamEvaluation

TEXT_MAX = 4000
EVALUATED_KINDS = ("district", "core")


def may_write(user: User | None, area: Area) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_role("worker")
                and may_see(user, area))


def create_evaluation(user: User, data: dict[str, Any]) -> tuple[TeamEvaluation, str | None]:
    """`data`: area, from, to, went_well, went_less, agreements (strings). Returns the
    evaluation and, when the period was widened to its quarter or year (params.parse), the
    notice that says so."""
    if not may_report(user):
        raise NotFound(_("Deze pagina bestaat niet."))
    errors: dict[str, list[str]] = {}
    try:
        query = parse(user, {key: str(data.get(key) or "") for key in ("area", "from", "to")},
                      typed=True)
    except ValidationFailed as error:
        errors.update(error.errors)
        query = None
    if query is not None and query.area.kind not in EVALUATED_KINDS:
        errors["area"] = [_("Een wijkteam-evaluatie hoort bij een wijk of kern.")]
    texts: dict[str, str] = {}
    for key in ("went_well", "went_less", "agreements"):
        value = data.get(key)
        value = value.strip() if isinstance(value, str) else ""
        if not value:
            errors[key] = [_("Vul dit veld in.")]
        elif len(value) > TEXT_MAX:
            errors[key] = [_("Gebruik hoogstens %(n)s tekens.", n=TEXT_MAX)]
        texts[key] = value
    if query is not None and "area" not in errors and not may_write(user, query.area):
        from marketplace.errors import Forbidden

        raise Forbidden(_("Alleen welzijnswerkers van het gebied schrijven een evaluatie."))
    if errors:
        raise ValidationFailed(errors)
    assert query is not None
    frozen = compute(query.area, query.period).to_json()
    evaluation = TeamEvaluation(area_id=query.area.id, period_from=query.period.start,
                                period_to=query.period.end, indicators=frozen["indicators"],
                                author_id=user.id, **texts)
    db.session.add(evaluation)
    db.session.flush()
    return evaluation, widened_notice(query.period, query.asked)


def history(user: User, area: Area | None = None) -> list[TeamEvaluation]:
    """The evaluations the user may read (of one area, or all they see), newest first."""
    ids = visible_area_ids(user)
    if area is not None:
        ids = ids & {area.id}
    if not ids:
        return []
    return list(db.session.scalars(
        select(TeamEvaluation).where(TeamEvaluation.area_id.in_(ids))
        .order_by(TeamEvaluation.period_to.desc(), TeamEvaluation.id.desc())))


def get_evaluation(user: User, evaluation_id: int) -> TeamEvaluation:
    row = (db.session.get(TeamEvaluation, evaluation_id)
           if 0 < evaluation_id <= 2**31 - 1 else None)
    if row is None or not may_see(user, row.area):
        raise NotFound(_("Deze evaluatie bestaat niet."))
    return row


def period_label(start: date, end: date) -> str:
    return f"{start.isoformat()} – {end.isoformat()}"
