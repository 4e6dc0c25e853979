"""Build an iCalendar feed (RFC 5545) from plain values. Pure: no Flask, no SQLAlchemy.

The database side (``services.feed_events``) turns a person's commitments into ``Event`` and
``WeeklySlot`` values; this module only writes them. Times are written in UTC (``...Z``), so
no VTIMEZONE is needed; weekly day parts are written in Europe/Amsterdam local time with a
``TZID`` and the VTIMEZONE that goes with it, so "Tuesday morning" stays 9:00 across the
change to summer time. Nothing here adds a place: whoever builds the values decides what a
LOCATION may say (only an activity's venue).

``icalendar`` (with dateutil, ~3 MB) is imported when a feed is built, not when the app
loads: most web workers never serve a feed (docs/performance.md, memory).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from icalendar import Event as ICalEvent

DOMAIN_TZ = ZoneInfo("Europe/Amsterdam")
PRODID = "-//Buurtmakelaar//Agenda//NL"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_INDEX = {code: i for i, code in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
# Local clock times of a day part: what "morning" means in a calendar.
PART_HOURS = {"morning": (time(9), time(12)), "afternoon": (time(13), time(17)),
              "evening": (time(19), time(21))}


@dataclass(frozen=True, slots=True)
class Event:
    """One event: timed (datetimes, any zone) or all day (dates, ``end`` exclusive)."""

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date | None = None
    description: str | None = None
    location: str | None = None
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class WeeklySlot:
    """A day part every week from ``first_day`` through ``until`` (an arrangement's rhythm)."""

    uid: str
    summary: str
    day_part: str  # "tue_morning"
    first_day: date
    until: date
    description: str | None = None


def first_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _event(uid: str, summary: str, stamp: datetime, description: str | None) -> ICalEvent:
    from icalendar import Event as ICalEvent

    event = ICalEvent()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    if description:
        event.add("description", description)
    return event


def build_calendar(events: Iterable[Event], slots: Iterable[WeeklySlot], *, name: str,
                   stamp: datetime) -> bytes:
    """The whole feed as bytes (CRLF line endings, folded lines: ``icalendar`` does it)."""
    from icalendar import Calendar, Timezone

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    stamp = _utc(stamp)
    slots = list(slots)
    if slots:
        # Only the years the slots span: the full table since 1970 is 6 kB of noise.
        calendar.add_component(Timezone.from_tzid(
            "Europe/Amsterdam", first_date=min(s.first_day for s in slots) - timedelta(days=366),
            last_date=max(s.until for s in slots) + timedelta(days=366)))
    for item in events:
        event = _event(item.uid, item.summary, stamp, item.description)
        if isinstance(item.start, datetime):
            event.add("dtstart", _utc(item.start))
            if isinstance(item.end, datetime):
                event.add("dtend", _utc(item.end))
        else:
            event.add("dtstart", item.start)
            end = item.end if isinstance(item.end, date) else item.start + timedelta(days=1)
            event.add("dtend", end)
            event.add("transp", "TRANSPARENT")  # an all-day note does not block the day
        if item.location:
            event.add("location", item.location)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        calendar.add_component(event)
    for slot in slots:
        day_code, part = slot.day_part.split("_", 1)
        first = first_on_or_after(slot.first_day, DAY_INDEX[day_code])
        if first > slot.until:
            continue
        begin, finish = PART_HOURS[part]
        event = _event(slot.uid, slot.summary, stamp, slot.description)
        event.add("dtstart", datetime.combine(first, begin, DOMAIN_TZ))
        event.add("dtend", datetime.combine(first, finish, DOMAIN_TZ))
        last = datetime.combine(slot.until, time(23, 59, 59), DOMAIN_TZ)
        event.add("rrule", {"freq": "weekly", "byday": WEEKDAYS[DAY_INDEX[day_code]],
                            "until": _utc(last)})
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
