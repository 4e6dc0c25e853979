"""SQL building blocks shared by the indicator queries (``queries.py``,
``queries_collective.py``, ``gaps.py``): the row shapes ``Row`` and ``HistRow`` (described in
``queries.py``), the part of the year a row falls in, GROUP BY without the constant "all"
bucket, day arithmetic per dialect, and conditional counts.

The statements are built once per *shape* (the database dialect, and whether the period is a
calendar year with quarters: ``kept``) and run with the values of a view (``values``): the
areas, the period's bounds, the quarters' first days, today. Building them anew cost more than
running them: about 11 ms for the eleven statements of a results page, against 6 ms to run
them on the page benchmark's 1k world (docs/performance.md, eighth round).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import Date, Integer, String, and_, bindparam, case, cast, func, literal_column
from sqlalchemy.sql.elements import ColumnElement

from marketplace.extensions import db
from marketplace.reporting.periods import Period

Row = tuple[int, str, dict[str, int]]
HistRow = tuple[int, str, int, int]


def _dialect() -> str:
    return db.session.get_bind().dialect.name


S = TypeVar("S")


def kept(build: Callable[[str, bool], S]) -> Callable[[Period], S]:
    """`build(dialect, year)` once per shape: the dialect of the session's database, and
    whether the period is a calendar year (rows by quarter) or not (one "all" bucket)."""
    cached = lru_cache(maxsize=None)(build)  # at most two dialects × two

    def statement(period: Period) -> S:
        return cached(_dialect(), period.is_year)

    statement.cache_info = cached.cache_info  # type: ignore[attr-defined]
    return statement


def values(area_ids: Sequence[int], period: Period, **more: Any) -> dict[str, Any]:
    """The bound values of a kept statement: the areas (``area_ids``, expanding), the
    period's bounds (``start_at``, ``end_before``; ``start``, ``end`` as days) and the
    quarters of the period's year: each one's first day and the next one's (``q1_start``,
    ``q1_end``.. as dates), and the first days of the 2nd to 4th as text (``q2``..,
    ``q2_day``..: ``bucket_of``). A statement for a period that is not a year does not read
    them."""
    out = {"area_ids": list(area_ids), "start_at": period.start_at,
           "end_before": period.end_before, "start": period.start, "end": period.end, **more}
    year = period.start.year
    firsts = [date(year, month, 1) for month in (1, 4, 7, 10)] + [date(year + 1, 1, 1)]
    for n in (1, 2, 3, 4):
        out[f"q{n}_start"], out[f"q{n}_end"] = firsts[n - 1], firsts[n]
    for n in (2, 3, 4):
        out[f"q{n}_day"] = firsts[n - 1].isoformat()
        out[f"q{n}"] = f"{out[f'q{n}_day']} 00:00:00"
    return out


def area_ids() -> Any:
    """The bound list of areas (``values``)."""
    return bindparam("area_ids", expanding=True)


ALL_BUCKET = literal_column("'all'")


def bucket_of(column: Any, year: bool, *, dates: bool = False) -> ColumnElement[str]:
    """The part of the table a row falls in: its quarter when the period is a calendar year
    (plain comparisons, cheap per row), else "all".

    The quarters' first days are bound (``values``) but written into the SQL when it runs
    (``literal_execute``): the same expression stands in SELECT and GROUP BY, and
    PostgreSQL only sees them as the same with the same literals in both."""
    if not year:
        return ALL_BUCKET
    bounds = [bindparam(f"q{n}_day" if dates else f"q{n}", type_=String(), literal_execute=True)
              for n in (2, 3, 4)]
    return case((column < bounds[0], literal_column("'Q1'")),
                (column < bounds[1], literal_column("'Q2'")),
                (column < bounds[2], literal_column("'Q3'")), else_=literal_column("'Q4'"))


def _grouped(*columns: Any) -> list[Any]:
    """GROUP BY these, leaving out the constant "all" bucket (PostgreSQL refuses constants)."""
    return [c for c in columns if c is not ALL_BUCKET and getattr(c, "element", None)
            is not ALL_BUCKET]


def day_of(column: Any, dialect: str | None = None) -> ColumnElement[Any]:
    """The calendar day of a stored (UTC) timestamp, comparable with a date column."""
    if (dialect or _dialect()) == "postgresql":
        return cast(column, Date)
    return func.date(column)


def days_between(start: Any, end: Any, dialect: str | None = None) -> ColumnElement[int]:
    if (dialect or _dialect()) == "postgresql":
        return end - start
    return cast(func.julianday(end) - func.julianday(start), Integer)


def _flag(condition: Any) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _in_period(column: Any) -> ColumnElement[bool]:
    """The timestamp lies in the bound period (``values``)."""
    return and_(column >= bindparam("start_at"), column < bindparam("end_before"))
