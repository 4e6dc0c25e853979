"""The one source of "now". Services take `now` as a parameter and default to this."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DOMAIN_TZ = ZoneInfo("Europe/Amsterdam")


def now() -> datetime:
    """Timezone-aware UTC now (time-machine moves this in tests)."""
    return datetime.now(UTC)


def today(at: datetime | None = None) -> date:
    """The calendar date in the Netherlands at `at` (default: now)."""
    return (at or now()).astimezone(DOMAIN_TZ).date()


def as_utc(value: datetime) -> datetime:
    """Interpret a naive datetime as UTC; convert an aware one to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
