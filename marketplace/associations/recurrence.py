"""The planned starts of a series: a pure function (no Flask, no SQLAlchemy).

Repeats are counted in local (Amsterdam) time, so "every Tuesday at 19:00" stays 19:00
across the change to and from summer time; results are UTC.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

DOMAIN_TZ = ZoneInfo("Europe/Amsterdam")
RECURRENCES = ("none", "weekly", "biweekly", "monthly")
# A safety net: a series never plans more than this many occurrences in one go.
MAX_OCCURRENCES = 400


def _add_months(day: date, months: int, wanted_day: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(wanted_day, calendar.monthrange(year, month)[1]))


def planned_starts(first: datetime, recurrence: str, until: date) -> list[datetime]:
    """UTC starts of the series from ``first`` up to and including the local date ``until``.

    A monthly series keeps the day of the month, or the month's last day when it is shorter.
    """
    if recurrence not in RECURRENCES:
        raise ValueError(f"unknown recurrence {recurrence!r}")
    local = first.astimezone(DOMAIN_TZ)
    if recurrence == "none":
        return [first.astimezone(UTC)] if local.date() <= until else []
    starts: list[datetime] = []
    step = 0
    while len(starts) < MAX_OCCURRENCES:
        if recurrence == "monthly":
            day = _add_months(local.date(), step, local.day)
        else:
            day = local.date() + timedelta(weeks=step * (2 if recurrence == "biweekly" else 1))
        if day > until:
            break
        naive = datetime.combine(day, local.time().replace(tzinfo=None))
        starts.append(naive.replace(tzinfo=DOMAIN_TZ).astimezone(UTC))
        step += 1
    return starts
