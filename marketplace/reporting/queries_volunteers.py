"""The volunteers family's queries: volunteers new in the period (by their home PC4), and
volunteers active in support (distinct, not additive). Same shapes as queries.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select

from marketplace.areas.models import AreaPostcode
from marketplace.brokering.models import Arrangement
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from marketplace.reporting.periods import Period
from marketplace.reporting.queries_sql import (
    Row,
    _grouped,
    _in_period,
    area_ids,
    bucket_of,
    kept,
    values,
)
from marketplace.volunteers.models import VolunteerProfile


@kept
def _new_volunteers(dialect: str, year: bool) -> Any:
    part = bucket_of(VolunteerProfile.created_at, year).label("part")
    return (select(AreaPostcode.area_id, part, func.count())
            .select_from(VolunteerProfile)
            .join(AreaPostcode, AreaPostcode.pc4 == VolunteerProfile.home_pc4)
            .where(AreaPostcode.area_id.in_(area_ids()), _in_period(VolunteerProfile.created_at))
            .group_by(*_grouped(AreaPostcode.area_id, part)))


def new_volunteers(area_ids: Sequence[int], period: Period) -> list[Row]:
    """Volunteer profiles created in the period, by the area of their home PC4."""
    return [(a, m, {"volunteers_new": n})
            for a, m, n in db.session.execute(_new_volunteers(period), values(area_ids, period))]


@kept
def _active_volunteers(dialect: str, year: bool) -> Any:
    running = [func.max(case((and_(Arrangement.started_on < bindparam(f"q{n}_end"),
                                   or_(Arrangement.ended_on.is_(None),
                                       Arrangement.ended_on >= bindparam(f"q{n}_start"))), 1),
                             else_=0))
               for n in (1, 2, 3, 4)]
    return (select(HelpRequest.area_id, Arrangement.volunteer_id, *running,
                   func.min(VolunteerProfile.created_at))
            .select_from(Arrangement)
            .join(HelpRequest, HelpRequest.id == Arrangement.request_id)
            .outerjoin(VolunteerProfile, VolunteerProfile.user_id == Arrangement.volunteer_id)
            .where(HelpRequest.area_id.in_(area_ids()), Arrangement.started_on <= bindparam("end"),
                   or_(Arrangement.ended_on.is_(None),
                       Arrangement.ended_on >= bindparam("start")))
            .group_by(HelpRequest.area_id, Arrangement.volunteer_id))


def active_volunteers(area_ids: Sequence[int],
                      period: Period) -> list[tuple[int, int, tuple[bool, ...], Any]]:
    """(area, volunteer, running in each quarter, profile created) for support running in
    the year: the caller counts distinct volunteers per part of the year table.

    Not additive (one volunteer helps in several areas and quarters)."""
    return [(row[0], row[1], tuple(bool(f) for f in row[2:6]), row[6])
            for row in db.session.execute(_active_volunteers(period), values(area_ids, period))]
