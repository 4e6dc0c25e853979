"""Pure rules for signals: the respond-by date in working days, and when a signal is late."""

from __future__ import annotations

from datetime import date, timedelta


def add_working_days(start: date, days: int) -> date:
    """`days` working days (Monday–Friday) after `start`; a weekend start counts from Monday."""
    if days < 0:
        raise ValueError("days must be zero or more")
    current = start
    while current.weekday() >= 5:
        current += timedelta(days=1)
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def is_overdue(respond_by: date, status: str, on: date,
               first_attempt_on: date | None = None) -> bool:
    """Late: not handled, nobody tried to reach the person yet, and the respond-by day is
    over (the respond-by day itself still counts, as in the escalation sweep)."""
    return status != "handled" and first_attempt_on is None and respond_by < on



# Control characters (NUL among them) have no place in free text; PostgreSQL refuses NUL.
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def clean(value: object) -> str:
    """Free text as stored: a string, without control characters or surrounding space."""
    return value.translate(_CONTROL).strip() if isinstance(value, str) else ""
