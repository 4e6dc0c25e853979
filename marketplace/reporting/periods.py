"""Reporting periods: the period asked for, and the table it is published in.

Only calendar periods are published: a year or a quarter. Each is a part of its year's
table (the year and its four quarters), so the suppression of all of them is decided once,
together: the year minus three visible quarters never reveals a suppressed fourth. Free
periods (1 January to 30 March beside 1 January to 31 March) would let anyone subtract two
answers and read a hidden day's cases: `table_for` refuses them (`is_published`), and
params.py widens an asked period to the smallest published one around it
(`published_around`): its quarter, else its year. (Half years as further parts were tried: the extra
links made the repair hide nearly the whole table.) Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

ALL = "all"
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
YEAR_PARTS = (ALL, *QUARTERS)
# How the parts of a year table add up (for the disclosure relations).
PERIOD_RELATIONS = {ALL: QUARTERS}
QUARTERS_OF = {ALL: QUARTERS, **{q: (q,) for q in QUARTERS}}


@dataclass(frozen=True)
class Period:
    start: date  # first day, inclusive
    end: date  # last day, inclusive

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min)

    @property
    def end_before(self) -> datetime:
        """The first moment after the period (UTC day boundaries)."""
        return datetime.combine(self.end + timedelta(days=1), time.min)

    @property
    def is_year(self) -> bool:
        return (self.start == date(self.start.year, 1, 1)
                and self.end == date(self.start.year, 12, 31))

    @property
    def quarter(self) -> str | None:
        """"Q1".."Q4" when the period is exactly one calendar quarter."""
        if self.start.day != 1 or (self.start.month - 1) % 3:
            return None
        q = (self.start.month - 1) // 3
        end_month = self.start.month + 2
        last = (date(self.start.year + (end_month == 12), end_month % 12 + 1, 1)
                - timedelta(days=1))
        return QUARTERS[q] if self.end == last else None

    @property
    def part(self) -> str | None:
        """Which part of its year's table the period is; None: not a calendar period."""
        if self.is_year:
            return ALL
        return self.quarter

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Table:
    """The period the figures are computed and protected over, and its parts."""

    period: Period  # what the queries read
    parts: tuple[str, ...]  # ALL first, then the quarters (YEAR_PARTS)
    asked: str  # which part answers the request: ALL or a quarter


def this_year(today: date) -> Period:
    return Period(date(today.year, 1, 1), date(today.year, 12, 31))


def is_published(period: Period) -> bool:
    """Whether figures may be published for this period: a calendar year or quarter."""
    return period.part is not None


def published_around(period: Period) -> Period | None:
    """The smallest published period that contains `period`: itself when it is one, else
    its calendar quarter, else its calendar year; None when it spans two calendar years."""
    if is_published(period):
        return period
    start, end = period.start, period.end
    if start.year != end.year:
        return None
    if (start.month - 1) // 3 == (end.month - 1) // 3:
        first = 3 * ((start.month - 1) // 3) + 1
        quarter = Period(date(start.year, first, 1),
                         (date(start.year + (first == 10), (first + 2) % 12 + 1, 1)
                          - timedelta(days=1)))
        return quarter
    return Period(date(start.year, 1, 1), date(start.year, 12, 31))


def table_for(period: Period) -> Table:
    """The year table the period is a part of. ValueError for a free period (never
    published: params.py refuses it first)."""
    part = period.part
    if part is None:
        raise ValueError(f"not a calendar period: {period.start} to {period.end}")
    year = Period(date(period.start.year, 1, 1), date(period.start.year, 12, 31))
    return Table(year, YEAR_PARTS, part)


def part_start(year: Period, part: str) -> datetime:
    """The first moment of a part of a year table."""
    first = QUARTERS.index(QUARTERS_OF[part][0])
    return datetime(year.start.year, 3 * first + 1, 1)


def parts_of_bucket(bucket: str, parts: tuple[str, ...]) -> tuple[str, ...]:
    """A row's quarter ("Q2") → ("all", "Q2") in a year table; ("all",) otherwise."""
    if len(parts) == 1 or bucket == ALL:
        return (ALL,)
    return (ALL, bucket)
