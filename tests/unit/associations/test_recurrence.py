"""Planned starts of a series: local time across summer time, month ends, the last date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from marketplace.associations.recurrence import DOMAIN_TZ, planned_starts

TUESDAY_EVENING = datetime(2027, 3, 16, 19, 0, tzinfo=DOMAIN_TZ)  # winter time, UTC+1


def local(values):
    return [(v.astimezone(DOMAIN_TZ).date(), v.astimezone(DOMAIN_TZ).hour) for v in values]


def test_weekly_keeps_the_local_hour_across_summer_time():
    starts = planned_starts(TUESDAY_EVENING, "weekly", date(2027, 4, 6))
    assert local(starts) == [(date(2027, 3, 16), 19), (date(2027, 3, 23), 19),
                             (date(2027, 3, 30), 19), (date(2027, 4, 6), 19)]
    # In UTC the hour moves: 18:00 before 28 March, 17:00 after.
    assert [s.hour for s in starts] == [18, 18, 17, 17]
    assert all(s.tzinfo == UTC for s in starts)


def test_biweekly_and_the_last_date_is_inclusive():
    starts = planned_starts(TUESDAY_EVENING, "biweekly", date(2027, 4, 13))
    assert [d for d, _ in local(starts)] == [date(2027, 3, 16), date(2027, 3, 30),
                                             date(2027, 4, 13)]


def test_monthly_on_the_31st_uses_the_last_day_of_shorter_months():
    first = datetime(2027, 1, 31, 10, 0, tzinfo=DOMAIN_TZ)
    starts = planned_starts(first, "monthly", date(2027, 5, 31))
    assert [d for d, _ in local(starts)] == [date(2027, 1, 31), date(2027, 2, 28),
                                             date(2027, 3, 31), date(2027, 4, 30),
                                             date(2027, 5, 31)]


def test_once_and_nothing_before_the_start():
    assert len(planned_starts(TUESDAY_EVENING, "none", date(2030, 1, 1))) == 1
    assert planned_starts(TUESDAY_EVENING, "weekly", date(2027, 3, 15)) == []


def test_unknown_recurrence_is_refused():
    with pytest.raises(ValueError):
        planned_starts(TUESDAY_EVENING, "daily", date(2027, 4, 1))
