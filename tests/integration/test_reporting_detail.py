"""How much detail a sparse year table publishes (reporting/detail.py).

- The areas without any record in the year count as one area of zeros per parent,
  suppressed and protected like any count.
- Where the rules must choose between a region and its one large municipality, the region
  is hidden: the municipality is the unit a report is made for.
- A sparse table is published without its quarters, then without its smallest areas, down to
  the top area over the whole year; the page says what is left out and where to look.

Every table here is checked with the LP audit (`violations`): what is shown never lets a
hidden count be computed back.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from marketplace.reporting import detail
from marketplace.reporting.disclosure import violations
from marketplace.reporting.indicators import compute as cached_compute
from marketplace.reporting.periods import Period
from tests.functional.test_reporting_pages import sign_in
from tests.integration.reporting_world import _request, _support, _user

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))
Q1 = Period(date(2025, 1, 1), date(2025, 3, 31))


def compute(area, period):
    """A fresh report (the request-wide cache would hand back an earlier table)."""
    from flask import g

    g.pop("_reporting_cache", None)
    return cached_compute(area, period)


def _safe(report) -> None:
    cells, relations, suppressed = report.disclosure
    assert violations(cells, relations, suppressed, report.rules) == []


SOLVED = ("worker", "volunteer", "own_network", None)  # None: still open


def _requests(area, pc4: str, count: int, *, start: int = 0, month: int = 2) -> None:
    """`count` requests, solved in turn by a worker, a volunteer, the own network, or open."""
    for n in range(start, start + count):
        solved_by = SOLVED[n % len(SOLVED)]
        _request(area, pc4, n, solved_by=solved_by, status="closed" if solved_by else "open",
                 at=datetime(2025, month, 3 + n % 20, 10, 0, tzinfo=UTC))


def test_empty_areas_are_left_out_and_the_region_keeps_its_large_municipality(make_area):
    make_area("R", "region")
    big = make_area("G", "municipality", parent="R", pc4=("5527",))
    small = make_area("H", "municipality", parent="R", pc4=("5528",))
    empty = make_area("E", "municipality", parent="R", pc4=("5529",))
    _requests(big, "5527", 30)
    _requests(small, "5528", 1, start=100)
    db.session.commit()
    report = compute(big, YEAR)
    _safe(report)
    # G's 30 requests are shown; the region (31) would give away H's one, so it is hidden.
    assert report.indicators["requests"].value == 30
    assert compute(db.session.get(type(big), big.parent_id), YEAR) \
        .indicators["requests"].suppressed
    # The empty municipality is not listed on its own, and reads as suppressed.
    assert all(key[0] != empty.id for key in report.facts.cells)
    assert compute(empty, YEAR).indicators["requests"].suppressed
    assert compute(small, YEAR).indicators["requests"].suppressed


def test_one_municipality_with_data_is_shown_and_its_empty_neighbours_stay_hidden(make_area):
    """The other municipalities are empty. They count as one area of zeros under the region,
    so the municipality is shown and the region hidden: the region minus the municipality
    would say that the others have no request at all (a count under k)."""
    make_area("R", "region")
    area = make_area("G", "municipality", parent="R", pc4=("5527",))
    for code, pc4 in (("H", "5528"), ("E", "5529"), ("F", "5531")):
        make_area(code, "municipality", parent="R", pc4=(pc4,))
    _requests(area, "5527", 12)
    db.session.commit()
    report = compute(area, YEAR)
    _safe(report)
    region = compute(db.session.get(type(area), area.parent_id), YEAR)
    assert report.indicators["requests"].value == 12
    assert region.indicators["requests"].suppressed
    assert report.withheld is None and not report.nothing_shown
    # One key for the three empty municipalities, not three.
    keys = {key[0] for key in report.facts.cells}
    assert keys == {area.id, area.parent_id, ("empty", area.parent_id)}


@pytest.fixture()
def sparse(make_area, monkeypatch):
    """A municipality with two districts and a few requests per quarter; the threshold is
    set to nothing, so the sparse table steps down to the municipality over the year."""
    monkeypatch.setattr(detail, "MAX_HIDDEN", 0)
    area = make_area("G", "municipality", pc4=())
    north = make_area("G-N", "district", parent="G", pc4=("5527",))
    south = make_area("G-Z", "district", parent="G", pc4=("5528",))
    for quarter_month, start in ((2, 0), (5, 100), (8, 200)):
        _requests(north, "5527", 4, start=start, month=quarter_month)
        _requests(south, "5528", 3, start=start + 50, month=quarter_month)
    db.session.commit()
    return area, north


def test_a_sparse_table_steps_down_to_the_whole_year_of_the_top_area(sparse):
    area, north = sparse
    year = compute(area, YEAR)
    _safe(year)
    assert year.facts.depth == 0 and not year.facts.quarters
    assert year.indicators["requests"].value == 21 and year.withheld is None
    quarter = compute(area, Q1)
    assert quarter.withheld == "quarter" and quarter.nothing_shown
    district = compute(north, YEAR)
    assert district.withheld == "area" and district.published_area.code == "G"
    assert district.indicators["requests"].suppressed
    # The districts' and quarters' counts are not in the published table at all.
    assert {key[1] for key in year.facts.cells} == {"all"}


def test_a_withheld_area_or_quarter_shows_no_active_volunteers_either(sparse):
    """Active volunteers are a distinct count beside the table: shown where the area's
    counts are, left out where the page says the area (or quarter) is not shown."""
    area, north = sparse
    helped = db.session.scalars(
        select(HelpRequest).where(HelpRequest.area_id == north.id).order_by(HelpRequest.id)
        .limit(6)).all()
    for n, request in enumerate(helped):
        _support(request, _user(f"Helper{n}"), 20)
    db.session.commit()
    year = compute(area, YEAR)
    assert year.withheld is None and year.indicators["volunteers_active"].value == 6
    district = compute(north, YEAR)
    assert district.withheld == "area"
    assert district.indicators["volunteers_active"].suppressed
    quarter = compute(area, Q1)
    assert quarter.withheld == "quarter"
    assert quarter.indicators["volunteers_active"].suppressed
    assert all(cells["volunteers_active"].suppressed for _c, cells in year.children)
    assert {key[0] for key in year.facts.cells} == {area.id}


def _note(html: str) -> str:
    match = re.search(r'<div class="utrecht-alert report-withheld"[^>]*>(.*?)</div>', html, re.S)
    assert match, "the page says what is left out"
    return match.group(1)


def test_the_page_says_what_is_left_out_and_links_to_where_the_figures_are(
        app, sparse, make_user):
    area, north = sparse
    client = sign_in(app, make_user("municipality", areas=(area,)))
    page = client.get("/rapportage/", query_string={
        "area": "G-N", "from": "2025-01-01", "to": "2025-12-31"}).get_data(as_text=True)
    # The note comes first, before the form; no cards full of "verborgen".
    assert page.index("report-withheld") < page.index("<form", page.index("<main"))
    assert 'class="entry-list stat-cards"' not in page
    district = _note(page)
    assert "geen cijfers tonen" in district and "G-N" in district
    assert "/rapportage/?area=G&amp;from=2025-01-01&amp;to=2025-12-31" in district
    quarter = _note(client.get("/rapportage/", query_string={
        "area": "G", "from": "2025-01-01", "to": "2025-03-31"}).get_data(as_text=True))
    assert "per kwartaal" in quarter
    assert "/rapportage/?area=G&amp;from=2025-01-01&amp;to=2025-12-31" in quarter
    whole = client.get("/rapportage/", query_string={
        "area": "G", "from": "2025-01-01", "to": "2025-12-31"}).get_data(as_text=True)
    assert "report-withheld" not in whole and "report-nothing-shown" not in whole
    assert 'class="entry-list stat-cards"' in whole


def test_a_district_user_is_not_sent_to_an_area_they_may_not_open(app, sparse, make_user):
    _area, north = sparse
    client = sign_in(app, make_user("municipality", areas=(north,)))
    note = _note(client.get("/rapportage/", query_string={
        "area": "G-N", "from": "2025-01-01", "to": "2025-12-31"}).get_data(as_text=True))
    assert "De cijfers van G zijn er wel." in note
    assert "area=G&amp;" not in note


@pytest.fixture()
def thin_gaps(make_area):
    """Seven requests waiting since March 2025, spread over two districts (4 and 3): each
    district's counts are small, the municipality's are not. Returns the municipality."""
    area = make_area("W", "municipality", pc4=())
    north = make_area("W-N", "district", parent="W", pc4=("5527",))
    south = make_area("W-Z", "district", parent="W", pc4=("5528",))
    for n in range(4):
        _request(north, "5527", n, status="open", at=datetime(2025, 3, 3 + n, tzinfo=UTC))
    for n in range(3):
        _request(south, "5528", 50 + n, status="open", at=datetime(2025, 3, 3 + n, tzinfo=UTC))
    db.session.commit()
    return area


def test_a_sparse_gap_table_shows_the_municipality_instead_of_nothing(thin_gaps, monkeypatch):
    """Waiting requests spread thin over two districts: each district's count is small, the
    municipality's is not. The sparse table (every category, mostly zeros) was hidden whole;
    now the level of detail that shows the municipality is published (here the whole table:
    on a tie the more detailed level stays), and what it shows passes the audit."""
    from marketplace.reporting.gaps import compute_gaps

    area = thin_gaps
    seen = []
    choose = detail.choose

    def recorded(levels, relations_of, rules, score):
        label, suppressed = choose(levels, relations_of, rules, score)
        seen.append((dict(levels)[label], relations_of, rules, suppressed))
        return label, suppressed

    monkeypatch.setattr(detail, "choose", recorded)
    detail._CHOSEN.clear()
    report = compute_gaps(area, YEAR, today=date(2025, 12, 1))
    own = {r["category"]: r for r in report.rows if r["area"] == "W"}
    assert report.own_rows()[0]["category"] == "shopping"  # the row with figures first
    assert [r["category"] for r in report.own_rows()[1:]] == sorted(set(own) - {"shopping"})
    assert own["shopping"]["open_too_long"] == 7 and own["shopping"]["without_candidates"] == 7
    assert own["shopping"]["median_wait_days"] is not None
    districts = [r for r in report.rows if r["area"] in ("W-N", "W-Z")]
    assert districts and all(r["open_too_long"] is None and r["without_candidates"] is None
                             for r in districts)
    (cells, relations_of, rules, suppressed), = seen
    assert violations(cells, relations_of(cells), suppressed, rules) == []


def test_the_gap_table_hides_the_region_rather_than_its_one_busy_municipality(make_area):
    from marketplace.reporting.gaps import compute_gaps

    make_area("RG", "region", pc4=())
    busy = make_area("RG-B", "municipality", parent="RG", pc4=("5527",))
    make_area("RG-Q", "municipality", parent="RG", pc4=("5531",))
    for n in range(6):
        _request(busy, "5527", n, status="open", at=datetime(2025, 3, 3 + n, tzinfo=UTC))
    db.session.commit()
    detail._CHOSEN.clear()
    rows = compute_gaps(busy, YEAR, today=date(2025, 12, 1)).rows
    shopping = next(r for r in rows if r["area"] == "RG-B" and r["category"] == "shopping")
    assert shopping["open_too_long"] == 6 and shopping["without_candidates"] == 6


def test_the_page_names_the_kinds_of_help_with_every_gap_figure_hidden(app, thin_gaps,
                                                                       make_user):
    """The gap table on the page: the row with figures, and the kinds of help whose three
    figures are all hidden named in one sentence under it, not as rows of "verborgen". A
    district with nothing to show gets the sentence and no table."""
    from marketplace.categories.services import label

    area = thin_gaps
    detail._CHOSEN.clear()
    client = sign_in(app, make_user("municipality", areas=(area,)))

    def gaps_part(code):
        page = client.get("/rapportage/", query_string={
            "area": code, "from": "2025-01-01", "to": "2025-12-31", "lang": "nl"})
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        return html[html.index('id="groep-gaps"'):html.index("</section>",
                                                              html.index('id="groep-gaps"'))]

    part = gaps_part("W")
    rows = re.findall(r'<th class="utrecht-table__header-cell" scope="row">(.*?)</th>', part)
    assert rows == [label("shopping")]
    sentence = re.search(r'<p class="utrecht-paragraph gaps-hidden">(.*?)</p>', part, re.S)
    assert sentence and "Bij de andere soorten hulp zijn de cijfers verborgen" in sentence[1]
    others = sorted(label(c) for c in _categories() if c != "shopping")
    assert len(others) >= 5 and all(name in sentence[1] for name in others)
    assert label("shopping") not in sentence[1]

    part = gaps_part("W-N")
    assert "<table" not in part
    sentence = re.search(r'<p class="utrecht-paragraph gaps-hidden">(.*?)</p>', part, re.S)
    assert sentence and "Hiaten per soort hulp: W-N" in sentence[1]
    assert "Bij alle soorten hulp zijn de cijfers verborgen" in sentence[1]
    assert label("shopping") in sentence[1]


def _categories():
    from marketplace.categories.models import Category

    return db.session.scalars(select(Category.code)).all()
