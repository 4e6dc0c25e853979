"""A web worker decodes a snapshot once (snapshots.decoded_cache: by the row's id and
computed_at), a new snapshot replaces it, and the dashboard's gaps come from the same
snapshot as its indicators: the same rows as computed live at that moment, no disclosure
control (and so no LP, no scipy) in the web request. docs/performance.md."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import g

from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.jobs import JOBS, run_job
from marketplace.reporting import detail, indicators, snapshots
from marketplace.reporting import gaps as gaps_module
from marketplace.reporting.disclosure import Rules
from marketplace.reporting.gaps import compute_gaps
from marketplace.reporting.periods import Period
from tests.functional.test_reporting_pages import sign_in
from tests.integration.reporting_world import _request, build
from tests.integration.test_yearplans_api import busy_year
from tests.perf_support import page_html, page_queries

SNAPSHOTS = next(job for job in JOBS if job.name == "report_snapshots")
YEAR = "/rapportage/?area=GM&from=2025-01-01&to=2025-12-31"
PERIODS = [Period(datetime(2025, 1, 1).date(), datetime(2025, 12, 31).date())] + [
    Period(datetime(2025, m, 1).date(), end.date()) for m, end in (
        (1, datetime(2025, 3, 31)), (4, datetime(2025, 6, 30)), (7, datetime(2025, 9, 30)),
        (10, datetime(2025, 12, 31)))]


def _waiting(world, start: int) -> None:
    """Requests still waiting for help, in three quarters and two categories."""
    n = start
    for code, pc4, many in (("D1", "5527", 9), ("D2", "5531", 6), ("D3", "5529", 3)):
        for month in (2, 5, 8):
            for i in range(many):
                n += 1
                request = _request(world.areas[code], pc4, n, status="open",
                                   at=datetime(2025, month, 3 + i, tzinfo=UTC))
                request.category = ("shopping", "garden")[i % 2]
    db.session.commit()


@pytest.fixture()
def world(app, make_area, monkeypatch):
    # the app may outlive one test: set (and restore) what these tests rely on
    monkeypatch.setitem(app.config, "REPORTING_SNAPSHOT_MIN_REQUESTS", 100)
    monkeypatch.setitem(app.config, "REPORTING_SNAPSHOT_MAX_AGE", 3600)
    world = build(make_area)
    busy_year(world)
    _waiting(world, 5000)
    return world


def _view(client, url=YEAR):
    g.pop("_reporting_cache", None)  # a new web request
    return page_queries(client, url)


def _payload_reads(log) -> int:
    return sum("report_snapshot.payload" in s for s in log.statements)


def test_a_second_view_does_not_read_the_payload_again_and_a_new_snapshot_replaces_it(
        app, make_user, world, drawn_pages):
    browser = sign_in(app, make_user("municipality", areas=(world.areas["GM"],)))
    _view(browser)  # computed live (no snapshot yet), and the sign-in message is shown
    assert run_job(SNAPSHOTS, clock_now() - timedelta(minutes=5)) == 1
    cache = snapshots.decoded_cache()  # the process's (the app outlives one test)
    cache.entries.clear()
    before = cache.loads
    first_page, first = _view(browser)
    assert _payload_reads(first) == 1 and cache.loads == before + 1
    second_page, second = _view(browser)
    assert _payload_reads(second) == 0 and cache.loads == before + 1
    assert [s for s in second.statements if s != "BEGIN"] == [
        s for s in first.statements if s != "BEGIN" and "report_snapshot.payload" not in s]
    assert page_html(second_page) == page_html(first_page)

    # A request made after the snapshot is in neither the indicators nor the gaps ...
    _request(world.areas["D1"], "5527", 9000, status="open",
             at=datetime(2025, 2, 20, tzinfo=UTC))
    db.session.commit()
    assert page_html(_view(browser)[0]) == page_html(first_page)
    # ... until the next sweep: the new row content is read once and replaces the old one.
    assert run_job(SNAPSHOTS, clock_now()) == 1
    third_page, third = _view(browser)
    assert _payload_reads(third) == 1 and cache.loads == before + 2
    assert len(cache.entries) == 1
    assert page_html(third_page) != page_html(first_page)
    assert _payload_reads(_view(browser)[1]) == 0 and cache.loads == before + 2


def test_the_cache_keeps_a_few_snapshots(app):
    cache = snapshots._DecodedCache(size=2)
    for row_id in (1, 2, 3):
        cache.put((row_id, "t"), snapshots._Decoded((), None, None))
    assert [key[0] for key in cache.entries] == [2, 3]
    cache.put((3, "later"), snapshots._Decoded((), None, None))
    assert list(cache.entries) == [(2, "t"), (3, "later")]


def test_gaps_from_the_snapshot_are_the_live_gaps_of_that_moment(app, world, monkeypatch):
    # k=3 with zeros shown: the small world's gaps are not hidden as a whole (sparse)
    rules = Rules(k=3, publish_zeros=True)
    monkeypatch.setattr(indicators, "rules_from_config", lambda: rules)
    monkeypatch.setattr(gaps_module, "rules_from_config", lambda: rules)
    assert run_job(SNAPSHOTS, clock_now() - timedelta(minutes=5)) == 1
    for code in ("REG", "GM", "D1"):
        area = world.areas[code]
        for period in PERIODS:
            g.pop("_reporting_cache", None)
            stored = compute_gaps(area, period)
            monkeypatch.setitem(app.config, "REPORTING_SNAPSHOT_MAX_AGE", 60)  # too old: live
            g.pop("_reporting_cache", None)
            live = compute_gaps(area, period)
            monkeypatch.setitem(app.config, "REPORTING_SNAPSHOT_MAX_AGE", 3600)
            assert stored.rows == live.rows, (code, period)
            assert stored.computed_at < live.computed_at
    rows = compute_gaps(world.areas["GM"], PERIODS[0]).rows
    # the comparison compared published figures, not only hidden ones
    assert any(r["open_too_long"] for r in rows) and any(r["suppressed"] for r in rows)


def test_a_dashboard_from_the_snapshot_runs_no_disclosure_control(app, make_user, world,
                                                                  monkeypatch):
    browser = sign_in(app, make_user("municipality", areas=(world.areas["GM"],)))
    assert run_job(SNAPSHOTS, clock_now() - timedelta(minutes=5)) == 1

    def refuse(*args, **kwargs):
        raise AssertionError("disclosure control in a web request served from a snapshot")

    monkeypatch.setattr(detail, "protect", refuse)  # the indicators' and the gaps' check
    page, _log = _view(browser)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and text.count("Cijfers van") == 1
    assert "Hiaten per soort hulp" in text
