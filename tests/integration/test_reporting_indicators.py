"""The indicator module: every number by hand (with k = 1, nothing hidden but zeros), the
year table with its quarters, and the disclosure audit of what the default rules publish."""

from __future__ import annotations

from datetime import date

import pytest

from marketplace.reporting.disclosure import Rules, violations
from marketplace.reporting.indicators import compute, median
from marketplace.reporting.periods import Period
from tests.integration.reporting_world import EXPECTED_GM, build

HALF = Period(date(2025, 1, 1), date(2025, 3, 31))  # Q1: everything happens in it
OPEN = Rules(k=1, publish_zeros=True)


@pytest.fixture()
def world(app, make_area):
    return build(make_area)


def test_every_number_by_hand(world):
    report = compute(world.areas["GM"], HALF, rules=OPEN)
    cells = report.indicators
    for code, expected in EXPECTED_GM.items():
        assert cells[code].value == expected, code
    assert cells["referred"].value == 3 and cells["not_solved"].value == 0
    assert cells["extended"].value == 1 and cells["stepped_down"].value == 0
    assert cells["volunteers_retained"].value is None  # 0 cases: never a statistic
    assert (cells["share_zero_line"].n, cells["median_support_days"].n) == (39, 13)
    assert (cells["goals_attained_share"].n, cells["life_domain_change"].n) == (7, 5)
    by_code = {ref.code: c for ref, c in report.children}
    assert list(by_code) == ["D2", "D3", "D1"]  # by name: Bladel-Centrum, Casteren, Hapert
    assert by_code["D1"]["requests"].value == 30
    assert by_code["D2"]["referred"].value == 3
    assert by_code["D2"]["median_support_days"].value == 30.0
    assert by_code["D1"]["median_support_days"].value == 40.0
    assert by_code["D3"]["solved_own_network"].value == 2
    region = compute(world.areas["REG"], HALF, rules=OPEN).indicators
    assert region["requests"].value == 44


def test_a_year_is_protected_with_its_quarters(world):
    year = compute(world.areas["GM"], Period(date(2025, 1, 1), date(2025, 12, 31)))
    q1 = compute(world.areas["GM"], Period(date(2025, 1, 1), date(2025, 3, 31)))
    q3 = compute(world.areas["GM"], Period(date(2025, 7, 1), date(2025, 9, 30)))
    # One table for the year and its quarters: the same cells, the same pattern.
    assert year.disclosure[2] == q1.disclosure[2] == q3.disclosure[2]
    # Nothing happened in Q3: an empty part of the year shows nothing.
    assert q3.indicators["requests"].suppressed
    assert year.disclosure is not None
    counts, relations, suppressed = year.disclosure
    assert violations(counts, relations, suppressed, year.rules) == []


def test_the_published_pattern_passes_the_audit(world):
    report = compute(world.areas["D1"], HALF)
    counts, relations, suppressed = report.disclosure
    assert violations(counts, relations, suppressed, report.rules) == []
    for code, cell in report.indicators.items():
        if cell.suppressed:
            assert cell.value is None and cell.n is None
        elif cell.n is not None:
            assert cell.n >= report.rules.k, code


def test_median_from_a_histogram():
    from collections import Counter

    assert median(Counter()) is None
    assert median(Counter({5: 1})) == 5.0
    assert median(Counter({1: 1, 3: 1})) == 2.0
    assert median(Counter({10: 1, 20: 1, 30: 7, 40: 1, 50: 1, 60: 1, 70: 1})) == 30.0


def test_docs_define_every_indicator():
    from pathlib import Path

    from marketplace.reporting.definitions import INDICATORS

    text = (Path(__file__).parents[2] / "docs" / "indicators.md").read_text()
    for indicator in INDICATORS:
        assert f"### {indicator.code}\n" in text, indicator.code
