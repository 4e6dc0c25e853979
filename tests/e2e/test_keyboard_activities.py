"""Keyboard only (no mouse, no page.goto after the first page): a resident finds an activity
near them from the menu, searches another postcode, and signs up; the pages pass axe."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.e2e.e2e_support import focused, tab_to

pytestmark = pytest.mark.e2e

TITLE = "Bewegen voor senioren"  # demo: the sports club in Reusel (5541), no limit


def path_of(page) -> str:
    return urlsplit(page.url).path


def test_resident_finds_an_activity_and_signs_up_by_keyboard(page_as) -> None:
    from tests.e2e.test_page_states import assert_accessible

    page = page_as("resident")
    page.goto("/")

    # The main menu, by keyboard, to the nearby list.
    tab_to(page, lambda s: s["href"] == "/activiteiten/in-de-buurt")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/activiteiten/in-de-buurt"
    assert page.locator("h1").inner_text() == "Activiteiten in de buurt"
    assert_accessible(page)

    # Another postcode: type it over the one filled in, then Enter sends the search.
    tab_to(page, lambda s: s["id"] == "postcode")
    page.keyboard.press("Control+A")
    page.keyboard.type("5541")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    main = page.locator("main").inner_text()
    assert TITLE in main and "km" in main
    assert_accessible(page)

    # The sign-up button of that activity (its accessible name says which one).
    state = tab_to(page, lambda s: s["tag"] == "button" and TITLE in (s["text"] or ""))
    assert state["text"].startswith("Aanmelden")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page).startswith("/activiteiten/")
    assert page.locator("h1").inner_text() == TITLE
    assert "U bent aangemeld" in page.locator("main").inner_text()
    assert_accessible(page)

    # And off again, still by keyboard.
    tab_to(page, lambda s: s["tag"] == "button" and s["text"] == "Afmelden")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "U bent afgemeld" in page.locator("main").inner_text()
    assert focused(page) is None or focused(page)["text"] != "Afmelden"


def test_association_pages_are_accessible(page_as, live_server) -> None:
    """The board member's pages, and the activity form sent empty (error summary)."""
    from sqlalchemy import select

    from marketplace.associations.models import Activity, Association
    from marketplace.extensions import db
    from tests.e2e.test_page_states import assert_accessible

    with live_server.app.app_context():
        association_id = db.session.scalar(select(Association.id).where(
            Association.name == "Dorpsraad Hapert"))
        activity = db.session.scalar(select(Activity).where(
            Activity.title == "Koffieochtend voor ouderen"))
        activity_id, occurrence_id = activity.id, activity.occurrences[0].id
    page = page_as("association")
    for path in ("/mijn-vereniging", "/verenigingen/", f"/verenigingen/{association_id}",
                 f"/verenigingen/{association_id}/bewerken", f"/activiteiten/{activity_id}",
                 f"/activiteiten/{activity_id}/bewerken",
                 f"/activiteiten/{activity_id}/keer/{occurrence_id}/verplaatsen",
                 f"/activiteiten/{activity_id}/keer/{occurrence_id}/aanwezig"):
        assert page.goto(path).status == 200, path
        assert_accessible(page)
    # Names of people signed up: the board member sees them (the demo has a waiting list).
    page.goto(f"/activiteiten/{activity_id}")
    assert "Wachtlijst" in page.locator("main").inner_text()

    page.goto(f"/verenigingen/{association_id}/activiteiten/nieuw")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").last.click()
    summary = page.locator(".error-summary")
    assert summary.count() == 1 and page.title().startswith("Fout:")
    hrefs = summary.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert {"#title", "#postcode", "#day", "#start_time"} <= set(hrefs)
    assert_accessible(page)


def test_map_shows_the_listed_activities_when_tiles_are_configured(page_as, live_server) -> None:
    """With MAP_TILES_URL set (here: an image of our own server, so nothing leaves the
    machine) the map draws one marker per listed activity; the list stays as it was."""
    live_server.app.config["MAP_TILES_URL"] = (
        live_server.url + "/static/vendor/leaflet/images/layers.png?{z}-{x}-{y}")
    try:
        page = page_as("resident")
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto("/activiteiten/in-de-buurt?postcode=5531&radius_km=20")
        listed = page.locator("main li.entry-card").count()
        assert listed >= 3
        page.locator("#kaart .leaflet-marker-icon").first.wait_for()
        assert page.locator("#kaart .leaflet-marker-icon").count() == listed
        assert errors == []
    finally:
        live_server.app.config["MAP_TILES_URL"] = ""
