"""Pure rules for signals: the respond-by date in working days."""

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
