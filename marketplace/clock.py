"""The one source of "now". Services take `now` as a parameter and default to this.

Inside a sweep run (`jobs.run_job`, so also `flask jobs run-due --at …`) "now" is the run's
moment (`moment`): every default that reads the clock — `now or clock_now()` in a service,
`created_at`/`updated_at` column defaults — stamps that moment, never the wall clock. A run
as of a moment a year ahead then leaves nothing that a later run as of the same moment
would see as old (docs/scheduler.md, "One moment per run").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DOMAIN_TZ = ZoneInfo("Europe/Amsterdam")

# The moment of the sweep run this thread (or task) is in; None outside a run.
_moment: ContextVar[datetime | None] = ContextVar("sweep_moment", default=None)


def now() -> datetime:
    """Timezone-aware UTC now (time-machine moves this in tests); inside `moment(at)`, `at`."""
    return _moment.get() or datetime.now(UTC)


def wall_clock() -> datetime:
    """The real time, also inside a run: only for leases and timeouts, which other
    processes judge by their own wall clock (the relay's claim), never for a stamp."""
    return datetime.now(UTC)


@contextmanager
def moment(at: datetime) -> Iterator[datetime]:
    """Within this block `now()` is `at` (as UTC): one moment for a whole sweep run."""
    token = _moment.set(as_utc(at))
    try:
        yield as_utc(at)
    finally:
        _moment.reset(token)


def today(at: datetime | None = None) -> date:
    """The calendar date in the Netherlands at `at` (default: now)."""
    return (at or now()).astimezone(DOMAIN_TZ).date()


def as_utc(value: datetime) -> datetime:
    """Interpret a naive datetime as UTC; convert an aware one to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
