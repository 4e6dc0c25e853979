"""SQL building blocks shared by the indicator queries (``queries.py``,
``queries_collective.py``, ``gaps.py``): the row shapes ``Row`` and ``HistRow`` (described in
``queries.py``), the part of the year a row falls in, GROUP BY without the constant "all"
bucket, day arithmetic per dialect, and conditional counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, and_, case, cast, func, literal_column
from sqlalchemy.sql.elements import ColumnElement

from marketplace.extensions import db
from marketplace.reporting.periods import Period

Row = tuple[int, str, dict[str, int]]
HistRow = tuple[int, str, int, int]


def _dialect() -> str:
    return db.session.get_bind().dialect.name


ALL_BUCKET = literal_column("'all'")


def bucket_of(column: Any, period: Period, *, dates: bool = False) -> ColumnElement[str]:
    """The part of the table a row falls in: its quarter when the period is a calendar year
    (plain comparisons, cheap per row), else "all"."""
    if not period.is_year:
        return ALL_BUCKET
    year = period.start.year
    starts = [date(year, m, 1) for m in (4, 7, 10)]
    bounds = [literal_column(f"'{d.isoformat()}'" if dates else f"'{d.isoformat()} 00:00:00'")
              for d in starts]
    return case((column < bounds[0], literal_column("'Q1'")),
                (column < bounds[1], literal_column("'Q2'")),
                (column < bounds[2], literal_column("'Q3'")), else_=literal_column("'Q4'"))


def _grouped(*columns: Any) -> list[Any]:
    """GROUP BY these, leaving out the constant "all" bucket (PostgreSQL refuses constants)."""
    return [c for c in columns if c is not ALL_BUCKET and getattr(c, "element", None)
            is not ALL_BUCKET]


def day_of(column: Any) -> ColumnElement[Any]:
    """The calendar day of a stored (UTC) timestamp, comparable with a date column."""
    if _dialect() == "postgresql":
        return cast(column, Date)
    return func.date(column)


def days_between(start: Any, end: Any) -> ColumnElement[int]:
    if _dialect() == "postgresql":
        return end - start
    return cast(func.julianday(end) - func.julianday(start), Integer)


def _flag(condition: Any) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _in_period(column: Any, period: Period) -> ColumnElement[bool]:
    return and_(column >= period.start_at, column < period.end_before)
