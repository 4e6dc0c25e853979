"""Keyboard only (no mouse, no page.goto after the first page): the demo worker hands a
welfare-run activity over to a residents' group, and solves a request of the demo's meal
cluster through an activity, from the worklist."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from tests.e2e.e2e_support import focused, tab_to

pytestmark = pytest.mark.e2e


def path_of(page) -> str:
    return urlsplit(page.url).path


def _activity_id(live_server, title: str) -> int:
    from sqlalchemy import select

    from marketplace.associations.models import Activity
    from marketplace.extensions import db

    with live_server.app.app_context():
        return db.session.scalar(select(Activity.id).where(Activity.title == title))


def test_handover_form_sent_empty_shows_accessible_errors(page_as, live_server) -> None:
    """Runs before the handover below, while the activity can still be handed over."""
    from tests.e2e.test_page_states import assert_accessible

    page = page_as("worker")
    activity_id = _activity_id(live_server, "Buurtmaaltijd in De Schakel")
    page.goto(f"/activiteiten/{activity_id}/overdragen")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").last.click()
    summary = page.locator(".error-summary")
    assert summary.count() == 1 and page.title().startswith("Fout:")
    hrefs = summary.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert set(hrefs) == {"#association_id", "#transition_ends_on"}
    assert_accessible(page)


def test_handover_pages_are_accessible(page_as, live_server) -> None:
    from sqlalchemy import select

    from marketplace.associations.handover_models import Handover
    from marketplace.extensions import db
    from tests.e2e.test_page_states import assert_accessible

    with live_server.app.app_context():
        handover_id = db.session.scalar(select(Handover.id).order_by(Handover.id))
    for actor in ("worker", "association"):
        page = page_as(actor)
        for path in ("/overdrachten", f"/overdrachten/{handover_id}"):
            assert page.goto(path).status == 200
            assert_accessible(page)


def test_worker_hands_over_an_activity_by_keyboard(page_as, live_server) -> None:
    from marketplace.clock import today

    page = page_as("worker")
    activity_id = _activity_id(live_server, "Buurtmaaltijd in De Schakel")
    page.goto(f"/activiteiten/{activity_id}")

    tab_to(page, lambda s: s["href"] == f"/activiteiten/{activity_id}/overdragen")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == f"/activiteiten/{activity_id}/overdragen"

    # The receiving association: a select, chosen by typing its name.
    tab_to(page, lambda s: s["id"] == "association_id")
    page.keyboard.type("Bewonersgroep De Schakel")
    tab_to(page, lambda s: s["id"] == "transition_ends_on")
    ends = today() + timedelta(days=40)
    page.keyboard.type(ends.strftime("%d%m%Y"))  # a date field in Dutch order
    tab_to(page, lambda s: s["tag"] == "input" and s["name"] == "checklist")
    page.keyboard.press("Space")  # "Er zijn genoeg vrijwilligers"
    tab_to(page, lambda s: s["tag"] == "button" and s["text"] == "Overdracht starten")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.fullmatch(r"/overdrachten/\d+", path_of(page)), page.locator("main").inner_text()
    main = page.locator("main").inner_text()
    assert "Buurtmaaltijd in De Schakel" in main and "Wordt overgedragen" in main
    assert "Er zijn genoeg vrijwilligers: ja" in main
    assert ends.strftime("%Y") in main


def test_worker_solves_a_request_together_by_keyboard(page_as) -> None:
    page = page_as("worker")
    page.goto("/werk/")
    assert "vragen over" in page.locator("#groepen").inner_text()
    # The requests of the cluster are behind a disclosure: Enter opens it.
    tab_to(page, lambda s: s["tag"] == "summary" and s["text"].startswith("De hulpvragen"))
    page.keyboard.press("Enter")
    tab_to(page, lambda s: (s["href"] or "").endswith("/samen-oplossen"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page).endswith("/samen-oplossen")
    # Radios: Tab reaches the group, Space chooses the focused activity.
    tab_to(page, lambda s: s["tag"] == "input" and s["name"] == "activity_id")
    page.keyboard.press("Space")
    assert focused(page)["name"] == "activity_id"
    tab_to(page, lambda s: s["tag"] == "button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.fullmatch(r"/hulpvragen/\d+", path_of(page))
    assert "hulpvraag is afgesloten" in page.locator("body").inner_text()
