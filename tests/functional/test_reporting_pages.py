"""The dashboard: the same numbers as the API and the CSV, "verborgen", 404 for others,
a constant number of queries whatever the amount of data."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from marketplace.extensions import db
from marketplace.reporting.definitions import INDICATORS
from tests.conftest import TEST_PASSWORD
from tests.integration.reporting_world import PERIOD, build
from tests.perf_support import page_html


def sign_in(app, user):
    client = app.test_client()
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture()
def world(app, make_area):
    return build(make_area)


@pytest.fixture()
def municipal(make_user, world):
    return make_user("municipality", areas=(world.areas["GM"],))


def _row(html: str, code: str) -> str:
    match = re.search(rf'<tr[^>]* id="cijfer-{code}">(.*?)</tr>', html, re.S)
    assert match, code
    return match.group(1)


def test_dashboard_shows_what_the_api_answers(app, client, api_token, municipal, world):
    api = client.get("/api/v1/reports/indicators", query_string={"area": "GM", **PERIOD},
                     headers=api_token(municipal)).get_json()["indicators"]
    page = sign_in(app, municipal).get("/rapportage/", query_string={"area": "GM", **PERIOD})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for indicator in INDICATORS:
        row = _row(html, indicator.code)
        assert f'href="/rapportage/definities#{indicator.code}"' in row
        cell = api[indicator.code]
        if cell["suppressed"]:
            assert "verborgen" in row, indicator.code
        else:
            assert "verborgen" not in row, indicator.code
        if indicator.kind in ("count", "distinct") and not cell["suppressed"]:
            assert re.search(rf"<td[^>]*>{cell['value']}</td>", row), indicator.code
    # A share as a percentage, Dutch style.
    assert not api["reciprocity_share"]["suppressed"]
    assert "38,5%" in _row(html, "reciprocity_share")
    # 5 of 6 signals in time: the share would tell that 1 was not (docs/disclosure.md).
    assert api["signals_in_time_share"]["suppressed"]
    # The areas below, the CSV link with the same area and period.
    for name in ("Hapert", "Bladel-Centrum", "Casteren"):
        assert name in html
    assert "/rapportage/indicatoren.csv?area=GM&amp;from=2025-01-01&amp;to=2025-03-31" in html


def test_the_main_figures_stand_on_top_as_cards(app, client, api_token, municipal, world,
                                                monkeypatch):
    """Cards above the form: the same value as the table below and the API, "verborgen"
    where the table says so, each with the way to its definition. (This small world hides
    most figures of GM, so two of its visible ones stand in for two of the four.)"""
    from marketplace.reporting import views

    assert views.HEADLINE == ("requests", "share_zero_line", "network_mobilised_share",
                              "ended_within_plan_share")
    codes = ("requests", "reciprocity_share", "life_domain_change",
             "ended_within_plan_share")
    monkeypatch.setattr(views, "HEADLINE", codes)
    api = client.get("/api/v1/reports/indicators", query_string={"area": "GM", **PERIOD},
                     headers=api_token(municipal)).get_json()["indicators"]
    html = sign_in(app, municipal).get("/rapportage/", query_string={"area": "GM", **PERIOD}
                                       ).get_data(as_text=True)
    top = html[html.index('id="kerncijfers-titel"'):html.index('report-filter')]
    cards = re.findall(r'<li class="entry-card stat-card">(.*?)</li>', top, re.S)
    assert len(cards) == len(codes)
    for code, card in zip(codes, cards, strict=True):
        number = re.search(r'<strong class="stat-card__number">(.*?)</strong>', card, re.S)
        assert number, code
        shown = re.sub(r"<[^>]+>", "", number.group(1)).strip()
        table = re.sub(r"<[^>]+>", "", re.findall(r"<td[^>]*>(.*?)</td>", _row(html, code),
                                                   re.S)[0]).strip()
        assert shown == table, code
        assert (shown == "verborgen") == bool(api[code]["suppressed"]), code
        assert f'href="/rapportage/definities#{code}"' in card
    assert "38,5%" in cards[1] and api["ended_within_plan_share"]["suppressed"]
    assert "verborgen" in cards[3]


def test_csv_download_from_the_page_equals_the_api_csv(app, client, api_token, municipal,
                                                       world):
    api = client.get("/api/v1/reports/indicators.csv", query_string={"area": "GM", **PERIOD},
                     headers=api_token(municipal))
    web = sign_in(app, municipal).get("/rapportage/indicatoren.csv",
                                      query_string={"area": "GM", **PERIOD})
    assert web.status_code == 200 and web.mimetype == "text/csv"
    assert web.get_data() == api.get_data()


def test_definitions_page_has_every_indicator(app, municipal):
    html = sign_in(app, municipal).get("/rapportage/definities").get_data(as_text=True)
    for indicator in INDICATORS:
        assert f'id="{indicator.code}"' in html


def test_bad_period_shows_the_form_again_with_the_message(app, municipal, world):
    page = sign_in(app, municipal).get("/rapportage/", query_string={
        "area": "GM", "from": "2025-06-01", "to": "2025-01-01"})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "De einddatum ligt vóór de begindatum." in html
    assert 'value="2025-06-01"' in html


def test_page_takes_dates_as_typed_and_the_api_only_iso(app, client, api_token, municipal,
                                                        world):
    typed = {"area": "GM", "from": "1-1-2025", "to": "31/3/2025"}
    page = sign_in(app, municipal).get("/rapportage/", query_string=typed)
    assert page.status_code == 200
    assert 'value="2025-03-31"' in page.get_data(as_text=True)  # the picker's own form
    wrong = sign_in(app, municipal).get("/rapportage/", query_string={**typed, "to": "31.3"})
    assert wrong.status_code == 422
    assert "Vul een datum in zoals 25-12-2026." in wrong.get_data(as_text=True)
    api = client.get("/api/v1/reports/indicators", query_string=typed,
                     headers=api_token(municipal))
    assert api.status_code == 422 and set(api.get_json()["errors"]) == {"from", "to"}


@pytest.mark.parametrize("role", ["resident", "volunteer", "association", "admin"])
def test_other_roles_get_404(app, make_user, world, role):
    client = sign_in(app, make_user(role))
    for path in ("/rapportage/", "/rapportage/definities", "/rapportage/indicatoren.csv"):
        assert client.get(path, query_string={"area": "GM"}).status_code == 404, path


def test_a_worker_of_another_area_gets_404(app, make_user, make_area, world):
    other = make_area("GM2", "municipality", parent="REG", pc4=("5521",))
    client = sign_in(app, make_user("worker", areas=(other,)))
    assert client.get("/rapportage/", query_string={"area": "GM"}).status_code == 404
    assert client.get("/rapportage/", query_string={"area": "GM2"}).status_code == 200


def test_menu_has_the_dashboard_for_the_municipality(app, municipal, make_user):
    assert 'href="/rapportage/"' in sign_in(app, municipal).get("/account/").get_data(
        as_text=True)
    resident = make_user("resident")
    assert 'href="/rapportage/"' not in sign_in(app, resident).get("/account/").get_data(
        as_text=True)


def _count_queries(client, params) -> int:
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get("/rapportage/", query_string=params).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_query_count_does_not_grow_with_the_data(app, municipal, world, drawn_pages):
    from tests.integration.reporting_world import _request, _support

    client = sign_in(app, municipal)
    params = {"area": "GM", **PERIOD}
    _count_queries(client, params)  # the first page view of a session does a little more
    small = _count_queries(client, params)
    # Ten times the requests and support, in every district.
    d1 = world.areas["D1"]
    for i in range(200):
        request = _request(d1, "5527", 2000 + i, solved_by="volunteer",
                           at=datetime(2025, 3, 1, tzinfo=UTC))
        _support(request, world.people["volunteers"][i % 6], 5 + i % 40, evaluated="network")
    db.session.commit()
    _count_queries(client, params)  # after a commit the shared test session reloads the user
    large = _count_queries(client, params)
    assert large == small, (small, large)
    assert small < 40


def test_own_page_shows_given_and_received(app, make_user, world):
    from marketplace.brokering.models import Arrangement
    from marketplace.help_requests.models import HelpRequest
    from marketplace.reciprocity.models import Contribution

    resident = make_user("resident", "volunteer")
    db.session.add(Contribution(person_id=resident.id, kind="share_skill"))
    # Two of the world's requests become this person's: support received twice.
    rows = db.session.query(HelpRequest).join(
        Arrangement, Arrangement.request_id == HelpRequest.id).limit(2).all()
    for request in rows:
        request.owner_id = resident.id
    db.session.commit()
    html = sign_in(app, resident).get("/account/").get_data(as_text=True)
    assert "Gegeven / ontvangen" in html
    assert "1 keer geholpen" in html and "2 keer hulp gekregen" in html
    municipal = make_user("municipality")
    assert "Gegeven / ontvangen" not in sign_in(app, municipal).get("/account/").get_data(
        as_text=True)


def test_an_unknown_area_is_404_like_a_hidden_one_on_the_pages(app, make_user, world,
                                                               make_area):
    elsewhere = make_area("GM2", "municipality", name="Eersel", parent="REG", pc4=("5521",))
    browser = sign_in(app, make_user("municipality", areas=(elsewhere,)))
    browser.get("/rapportage/definities")  # shows the "signed in" message first
    for path, extra in (("/rapportage/", PERIOD), ("/rapportage/indicatoren.csv", PERIOD),
                        ("/rapportage/jaarverslag", {"year": "2025"}),
                        ("/rapportage/jaarverslag.pdf", {"year": "2025"})):
        hidden = browser.get(path, query_string={"area": "GM", **extra})
        missing = browser.get(path, query_string={"area": "NOPE", **extra})
        assert hidden.status_code == missing.status_code == 404, path
        # The same page (the language switch repeats the address asked for; the CSRF token
        # carries a timestamp, so two views a second apart differ there).
        assert page_html(hidden).replace(b"area=GM", b"area=X") == \
            page_html(missing).replace(b"area=NOPE", b"area=X"), path
