"""The iCalendar builder alone (no app, no database): RFC 5545 essentials, parsed back."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from marketplace.calendar.ical import Event, WeeklySlot, build_calendar, first_on_or_after

STAMP = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _parse(events=(), slots=()) -> Calendar:
    raw = build_calendar(list(events), list(slots), name="Buurtmakelaar", stamp=STAMP)
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines are folded"
    return Calendar.from_ical(raw)


def test_calendar_header():
    calendar = _parse()
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//Buurtmakelaar")
    assert calendar.walk("VEVENT") == [] and calendar.walk("VTIMEZONE") == []


def test_timed_event_is_utc_and_has_stamp_and_uid():
    start = datetime(2027, 7, 1, 19, 30, tzinfo=AMSTERDAM)  # summer time: 17:30 UTC
    (event,) = _parse([Event("e1@x", "Koffie", start, start.replace(hour=21), "Samen",
                             "Dorpshuis, Bladel")]).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2027, 7, 1, 17, 30, tzinfo=UTC)
    assert event.to_ical().count(b"DTSTART:20270701T173000Z") == 1
    assert event.decoded("DTSTAMP") == STAMP
    assert str(event["UID"]) == "e1@x" and str(event["LOCATION"]) == "Dorpshuis, Bladel"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_all_day_event_ends_the_next_day_and_does_not_block_time():
    (event,) = _parse([Event("d@x", "Even checken", date(2027, 3, 8))]).walk("VEVENT")
    assert event.decoded("DTSTART") == date(2027, 3, 8)
    assert event.decoded("DTEND") == date(2027, 3, 9)
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert "LOCATION" not in event


def test_cancelled_event():
    start = datetime(2027, 3, 4, 9, tzinfo=UTC)
    (event,) = _parse([Event("c@x", "Koffie", start, cancelled=True)]).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"


def test_weekly_slot_keeps_local_time_across_summer_time():
    slot = WeeklySlot("s@x", "Boodschappen — hulp in 5527", "tue_morning",
                      date(2027, 3, 3), date(2027, 4, 30))
    calendar = _parse(slots=[slot])
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start == datetime(2027, 3, 9, 9, 0, tzinfo=AMSTERDAM)  # first Tuesday on/after
    assert event.decoded("DTEND").hour == 12
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["TU"]
    assert rule["UNTIL"][0].date() in (date(2027, 4, 30), date(2027, 5, 1))
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Amsterdam"


def test_slot_that_never_happens_is_left_out():
    slot = WeeklySlot("s@x", "x", "mon_evening", date(2027, 3, 2), date(2027, 3, 7))
    assert _parse(slots=[slot]).walk("VEVENT") == []


def test_first_on_or_after():
    assert first_on_or_after(date(2027, 3, 1), 0) == date(2027, 3, 1)  # a Monday itself
    assert first_on_or_after(date(2027, 3, 2), 0) == date(2027, 3, 8)
