"""The check-in schedule of an arrangement (pure: dates in, dates out)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from marketplace.followup.services import schedule

START = date(2026, 3, 2)


def days(weeks: int) -> list[tuple[str, int]]:
    return [(kind, (due - START).days)
            for kind, due in schedule(START, START + timedelta(weeks=weeks))]


def test_twelve_weeks_asks_four_times():
    assert days(12) == [("first_week", 7), ("did_it_help", 14), ("midway", 42),
                        ("before_end", 70)]


def test_six_and_twenty_six_weeks():
    assert days(6) == [("first_week", 7), ("did_it_help", 14), ("midway", 21),
                       ("before_end", 28)]
    assert days(26) == [("first_week", 7), ("did_it_help", 14), ("midway", 91),
                        ("before_end", 168)]


def test_a_short_arrangement_is_asked_once_a_day_at_most():
    # Four weeks: "did it help?", midway and before-the-end would all fall on day 14.
    assert days(4) == [("first_week", 7), ("did_it_help", 14)]
    assert days(5) == [("first_week", 7), ("did_it_help", 14), ("midway", 17),
                       ("before_end", 21)]


@pytest.mark.parametrize("weeks", [0, 1])
def test_nothing_on_or_after_the_planned_end(weeks):
    assert days(weeks) == []


def test_two_weeks_only_the_first_week():
    assert days(2) == [("first_week", 7)]


@pytest.mark.parametrize("length", range(0, 400, 3))
def test_properties_for_any_length(length):
    end = START + timedelta(days=length)
    moments = schedule(START, end)
    dates = [due for _, due in moments]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    assert all(START < due < end for due in dates)
    assert len({kind for kind, _ in moments}) == len(moments)
    assert schedule(START, end) == moments  # the same dates, always
