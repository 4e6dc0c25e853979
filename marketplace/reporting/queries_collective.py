"""The collective family's queries: activities handed over, and participation in
activities (attendance). Same shape as queries.py: rows ``(area_id, part, {metric: n})``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, bindparam, func, select

from marketplace.extensions import db
from marketplace.reporting.periods import Period
from marketplace.reporting.queries_sql import (
    Row,
    _flag,
    _grouped,
    _in_period,
    area_ids,
    bucket_of,
    kept,
    values,
)


@kept
def _handovers(dialect: str, year: bool) -> Any:
    from marketplace.associations.handover_models import Handover
    from marketplace.associations.models import Activity

    part = bucket_of(Handover.transition_ends_on, year, dates=True).label("part")
    return (select(Activity.area_id, part,
                   _flag(and_(Handover.status != "stopped",
                              Handover.transition_ends_on <= bindparam("today"))),
                   _flag(Handover.status == "still_running"))
            .select_from(Handover)
            .join(Activity, Activity.id == Handover.activity_id)
            .where(Activity.area_id.in_(area_ids()),
                   Handover.transition_ends_on >= bindparam("start"),
                   Handover.transition_ends_on <= bindparam("end"))
            .group_by(*_grouped(Activity.area_id, part)))


def handovers(area_ids: Sequence[int], period: Period, today: date) -> list[Row]:
    """General activities handed over to an association (transition ended in the period),
    and those the association says are still running."""
    return [(a, m, {"activities_handed_over": int(h), "handovers_still_running": int(r)})
            for a, m, h, r in db.session.execute(_handovers(period),
                                                 values(area_ids, period, today=today))]


@kept
def _participation(dialect: str, year: bool) -> Any:
    from marketplace.associations.models import Activity, Attendance, Occurrence

    named = (select(func.count()).where(Attendance.occurrence_id == Occurrence.id)
             .correlate(Occurrence).scalar_subquery())
    people = func.coalesce(Occurrence.headcount, named)
    part = bucket_of(Occurrence.starts_at, year).label("part")
    return (select(Activity.area_id, part, _flag(people > 0),
                   func.coalesce(func.sum(people), 0))
            .select_from(Occurrence)
            .join(Activity, Activity.id == Occurrence.activity_id)
            .where(Activity.area_id.in_(area_ids()), Occurrence.status != "cancelled",
                   _in_period(Occurrence.starts_at))
            .group_by(*_grouped(Activity.area_id, part)))


def participation(area_ids: Sequence[int], period: Period) -> list[Row]:
    """Times activities took place in the period (not cancelled) with their participation
    recorded, and the participation: the headcount, else the attendance rows."""
    return [(a, m, {"activity_sessions": int(t), "activity_attendances": int(p)})
            for a, m, t, p in db.session.execute(_participation(period),
                                                 values(area_ids, period))]
