"""The indicator queries are built once per shape and run with a view's values
(queries_sql.kept / values): a second year, other areas and a quarter reuse the statement
and still put every row in its own quarter, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from marketplace.extensions import db
from marketplace.reporting import gaps, queries
from marketplace.reporting.periods import Period
from tests.integration.reporting_world import _request


def _year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31))


@pytest.fixture()
def areas(app, make_area):
    make_area("KREG", "region")
    one = make_area("KGM1", parent="KREG", pc4=("5527",))
    two = make_area("KGM2", parent="KREG", pc4=("5531",))
    # On both sides of each quarter's first moment, in two years and two areas.
    n = 0
    for year in (2024, 2025):
        for month in (4, 7, 10):
            for at in (datetime(year, month, 1, tzinfo=UTC),
                       datetime(year, month - 1, 28, 23, 59, 59, tzinfo=UTC)):
                for area, pc4 in ((one, "5527"), (two, "5531")):
                    n += 1
                    _request(area, pc4, n, status="open", at=at)
    _request(one, "5527", 999, status="open", at=datetime(2025, 12, 31, 23, 59, tzinfo=UTC))
    db.session.commit()
    return one, two


def _by_part(rows) -> dict[str, int]:
    out: dict[str, int] = {}
    for _area, part, metrics in rows:
        out[part] = out.get(part, 0) + metrics["requests"]
    return out


def test_one_statement_serves_every_year_area_and_quarter(areas):
    one, two = areas
    queries.outcomes([one.id], _year(2024))  # the statement for a year on this database
    before = queries._outcomes.cache_info()
    assert _by_part(queries.outcomes([one.id], _year(2024))) == {
        "Q1": 1, "Q2": 2, "Q3": 2, "Q4": 1}
    assert _by_part(queries.outcomes([one.id, two.id], _year(2025))) == {
        "Q1": 2, "Q2": 4, "Q3": 4, "Q4": 3}
    assert _by_part(queries.outcomes([two.id], _year(2025))) == {
        "Q1": 1, "Q2": 2, "Q3": 2, "Q4": 1}
    after = queries._outcomes.cache_info()
    assert after.misses == before.misses and after.hits == before.hits + 3

    # A quarter is a period of another shape: one "all" bucket, its own bounds.
    q2 = Period(date(2025, 4, 1), date(2025, 6, 30))
    assert _by_part(queries.outcomes([one.id], q2)) == {"all": 2}
    assert _by_part(queries.outcomes([one.id], Period(date(2025, 7, 1), date(2025, 9, 30)))) \
        == {"all": 2}
    assert queries._outcomes.cache_info().misses <= after.misses + 1


def test_the_waiting_requests_are_read_with_the_bounds_of_each_period(areas):
    one, two = areas
    waiting_2024 = gaps._waiting([one.id, two.id], _year(2024))
    waiting_q4 = gaps._waiting([one.id], Period(date(2025, 10, 1), date(2025, 12, 31)))
    assert sum(row[3] for row in waiting_2024) == 12
    assert {row[2] for row in waiting_q4} == {date(2025, 10, 1), date(2025, 12, 31)}
    assert sum(row[3] for row in waiting_q4) == 2
