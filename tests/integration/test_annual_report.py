"""The annual report: the PDF is a real PDF whose text shows no suppressed number, its
figures are the indicators API's, charts come with tables, and a machine without Pango
still gets the print view with one line saying why there is no PDF."""

from __future__ import annotations

import re

import pytest

from marketplace.reporting import annual
from marketplace.reporting.periods import Period
from tests.integration.reporting_world import build
from tests.integration.test_yearplans_api import busy_year


@pytest.fixture()
def world(app, make_area):
    world = build(make_area)
    busy_year(world)
    return world


@pytest.fixture()
def municipal(make_user, world):
    return make_user("municipality", areas=(world.areas["GM"],))


@pytest.fixture()
def no_pango(monkeypatch):
    """A machine where importing WeasyPrint fails (as without Pango): through the seam."""
    def broken():
        raise OSError("cannot load library 'libpango-1.0-0': not found")

    annual.reset_pdf_state()
    monkeypatch.setattr(annual, "import_weasyprint", broken)
    yield
    annual.reset_pdf_state()


def page_text(document) -> str:
    """The text WeasyPrint laid out on the pages (what a PDF reader extracts)."""
    out: list[str] = []

    def walk(box) -> None:
        text = getattr(box, "text", None)
        if isinstance(text, str):
            out.append(text)
        for child in getattr(box, "children", ()) or ():
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(out)


def test_pdf_text_is_the_published_figures_and_no_hidden_one(app, client, api_token, municipal,
                                                            world):
    headers = api_token(municipal)
    cells = client.get("/api/v1/reports/indicators", headers=headers, query_string={
        "area": "GM", "from": "2025-01-01", "to": "2025-12-31"}).get_json()["indicators"]
    report = annual.build(world.areas["GM"], 2025)
    html = annual.render_html(report, standalone=True)
    document = annual.pdf_document(html)
    assert 1 <= len(document.pages) <= 12
    text = page_text(document)
    assert "Jaarverslag 2025: Bladel" in text
    assert "verborgen" in text
    assert str(cells["requests"]["value"]) in text  # 476, published
    # The true counts (10 and more: small numbers occur as page numbers and in "minder
    # dan 5") behind suppressed cells, computed by the disclosure table itself:
    # none of them is written anywhere in the report.
    counts, _relations, hidden = report.indicators.disclosure
    secret = {counts[key] for key in hidden
              if key[0] == world.areas["GM"].id and key[1] == "all" and counts[key] >= 10}
    shown = {c["value"] for c in cells.values() if not c["suppressed"]}
    # The moment the figures were computed ("Cijfers van 4 december 2026, 21:13.") is not
    # a count: leave it out of the check.
    figures = re.sub(r"Cijfers van [^.]*\.", "", text)
    assert figures != text
    numbers = set(re.findall(r"(?<![\d,.])\d+(?![\d,])", figures))
    assert secret - shown, "the world hides no large count: the check would be empty"
    leaked = {n for n in secret - shown if str(n) in numbers}
    assert not leaked, leaked
    pdf = annual.make_pdf(html)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5000


def test_charts_are_svg_with_title_and_a_table_beside(app, world):
    report = annual.build(world.areas["GM"], 2025)
    html = annual.render_html(report, standalone=True)
    assert "<script" not in html
    for chart in report.charts.values():
        assert f'aria-labelledby="{chart.id}-titel {chart.id}-uitleg"' in html
        assert f"{chart.title}: de cijfers van de grafiek" in html
        for bar in chart.bars:
            for value in bar.texts:
                assert re.search(rf"<td[^>]*>{re.escape(str(value))}</td>", html), value


def test_without_pango_the_print_view_works_and_says_why(app, municipal, world, no_pango,
                                                         api_token, client):
    from tests.functional.test_reporting_pages import sign_in

    browser = sign_in(app, municipal)
    page = browser.get("/rapportage/jaarverslag", query_string={"area": "GM", "year": "2025"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="pdf-niet-beschikbaar"' in html and "Pango" in html
    assert "/rapportage/jaarverslag.pdf" not in html
    assert "Alle cijfers" in html
    assert browser.get("/rapportage/jaarverslag.pdf",
                       query_string={"area": "GM", "year": "2025"}).status_code == 503
    api = client.get("/api/v1/reports/annual.pdf", query_string={"area": "GM", "year": 2025},
                     headers=api_token(municipal))
    assert api.status_code == 503 and "Pango" in api.get_json()["detail"]


def test_with_weasyprint_the_page_links_the_pdf(app, municipal, world):
    from tests.functional.test_reporting_pages import sign_in

    annual.reset_pdf_state()
    browser = sign_in(app, municipal)
    html = browser.get("/rapportage/jaarverslag", query_string={"area": "GM", "year": "2025"}
                       ).get_data(as_text=True)
    assert "/rapportage/jaarverslag.pdf?area=GM&amp;year=2025" in html
    pdf = browser.get("/rapportage/jaarverslag.pdf", query_string={"area": "GM", "year": "2025"})
    assert pdf.status_code == 200 and pdf.get_data().startswith(b"%PDF")
    assert Period  # the year's table: see test_yearplans_api for equality with the API


def _annual_queries(client, params, path="/rapportage/jaarverslag") -> int:
    from sqlalchemy import event

    from marketplace.extensions import db

    statements: list[str] = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    # A web request starts with an empty session; the test's own (outer app context) keeps
    # what earlier views loaded, which would make the count depend on the views before.
    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(path, query_string=params).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_annual_page_queries_do_not_grow_with_the_data(app, municipal, coordinator_plan, world):
    from marketplace.extensions import db
    from tests.functional.test_reporting_pages import sign_in

    client = sign_in(app, municipal)
    params = {"area": "GM", "year": "2025"}
    _annual_queries(client, params)
    small = _annual_queries(client, params)
    busy_year(world, start=5000)  # twice the data
    db.session.commit()
    _annual_queries(client, params)
    large = _annual_queries(client, params)
    assert large == small, (small, large)
    assert small < 60


@pytest.fixture()
def coordinator_plan(make_user, world):
    from marketplace.extensions import db
    from marketplace.reporting.yearplan import save_plan

    admin = make_user("admin")
    save_plan(admin, {"area": "GM", "year": 2025,
                      "goals": [{"indicator": "requests", "target": 400}],
                      "budget": [{"line": "Zaalhuur", "amount": 800, "spent": 650}]})
    db.session.commit()
