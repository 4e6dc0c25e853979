"""The collective family's queries: activities handed over, and participation in
activities (attendance). Same shape as queries.py: rows ``(area_id, part, {metric: n})``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_, func, select

from marketplace.extensions import db
from marketplace.reporting.periods import Period
from marketplace.reporting.queries_sql import Row, _flag, _grouped, _in_period, bucket_of


def handovers(area_ids: Sequence[int], period: Period, today: date) -> list[Row]:
    """General activities handed over to an association (transition ended in the period),
    and those the association says are still running."""
    from marketplace.associations.handover_models import Handover
    from marketplace.associations.models import Activity

    part = bucket_of(Handover.transition_ends_on, period, dates=True).label("part")
    stmt = (select(Activity.area_id, part,
                   _flag(and_(Handover.status != "stopped", Handover.transition_ends_on <= today)),
                   _flag(Handover.status == "still_running"))
            .select_from(Handover)
            .join(Activity, Activity.id == Handover.activity_id)
            .where(Activity.area_id.in_(area_ids), Handover.transition_ends_on >= period.start,
                   Handover.transition_ends_on <= period.end)
            .group_by(*_grouped(Activity.area_id, part)))
    return [(a, m, {"activities_handed_over": int(h), "handovers_still_running": int(r)})
            for a, m, h, r in db.session.execute(stmt)]


def participation(area_ids: Sequence[int], period: Period) -> list[Row]:
    """Times activities took place in the period (not cancelled) with their participation
    recorded, and the participation: the headcount, else the attendance rows."""
    from marketplace.associations.models import Activity, Attendance, Occurrence

    named = (select(func.count()).where(Attendance.occurrence_id == Occurrence.id)
             .correlate(Occurrence).scalar_subquery())
    people = func.coalesce(Occurrence.headcount, named)
    part = bucket_of(Occurrence.starts_at, period).label("part")
    stmt = (select(Activity.area_id, part, _flag(people > 0),
                   func.coalesce(func.sum(people), 0))
            .select_from(Occurrence)
            .join(Activity, Activity.id == Occurrence.activity_id)
            .where(Activity.area_id.in_(area_ids), Occurrence.status != "cancelled",
                   _in_period(Occurrence.starts_at, period))
            .group_by(*_grouped(Activity.area_id, part)))
    return [(a, m, {"activity_sessions": int(t), "activity_attendances": int(p)})
            for a, m, t, p in db.session.execute(stmt)]
