"""Keyboard only (no mouse, no page.goto after the first page): the demo worker opens the
batch proposals of Bladel from the worklist, unticks a proposal with Space and sends the
rest; and marks a follow-up done from the top of the worklist."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.e2e.e2e_support import focused, tab_to

pytestmark = pytest.mark.e2e


def path_of(page) -> str:
    return urlsplit(page.url).path


def add_batch_material(live_server) -> None:
    """Two open garden requests in Bladel and two free volunteers close by: the shared demo
    database may have no two proposals left when earlier e2e tests proposed or took the
    demo volunteers (test_core_flow proposes Anja), so this test brings its own."""
    from marketplace.accounts.services import create_user
    from marketplace.extensions import db
    from marketplace.help_requests.services import RequestInput, create_request
    from marketplace.volunteers.services import ProfileInput, save_profile

    with live_server.app.app_context():
        resident = create_user(None, "Bram Batch", roles=("resident",))
        for i in (1, 2):
            volunteer = create_user(None, f"Tuinhulp {i}", roles=("volunteer",))
            save_profile(volunteer, ProfileInput(skills=["garden"], postcode="5531",
                                                 radius_km=10.0))
            request = create_request(resident, RequestInput(
                category="garden", description=f"Heg snoeien, stuk {i}.", postcode="5531 CD",
                house_number=str(40 + i)))
            db.session.flush()
            request.status = "open"
        db.session.commit()


def test_worker_sends_batch_proposals_by_keyboard(page_as, live_server) -> None:
    from tests.e2e.test_page_states import assert_accessible

    add_batch_material(live_server)
    page = page_as("worker")
    page.goto("/werk/")
    tab_to(page, lambda s: (s["href"] or "").endswith("/werk/voorstellen"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/werk/voorstellen"
    assert_accessible(page)
    boxes = page.locator("input[name=pair]")
    total = boxes.count()
    assert total >= 2, page.locator("main").inner_text()
    ticked = [boxes.nth(i).is_checked() for i in range(total)]
    # Untick the first proposal: Tab reaches it, Space toggles it.
    first = tab_to(page, lambda s: s["tag"] == "input" and s["name"] == "pair")
    page.keyboard.press("Space")
    assert focused(page)["id"] == first["id"]
    assert boxes.nth(0).is_checked() is (not ticked[0])
    tab_to(page, lambda s: s["tag"] == "button" and "versturen" in s["text"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/werk/voorstellen"
    sent = sum(ticked[1:]) + (0 if ticked[0] else 1)
    text = page.locator("body").inner_text()
    assert (f"{sent} voorstel" in text) if sent else ("niets verstuurd" in text), text
    # What was sent has an open proposal now, so it is no longer offered.
    assert page.locator("input[name=pair]").count() == total - sent


def test_worker_marks_a_follow_up_done_by_keyboard(page_as, live_server) -> None:
    from sqlalchemy import select

    from marketplace.accounts.models import User
    from marketplace.casework.services import add_note, set_resident_pc4
    from marketplace.clock import today
    from marketplace.extensions import db
    from tests.e2e.e2e_support import ROLE_ACCOUNTS

    with live_server.app.app_context():
        worker = db.session.scalar(select(User).where(
            User.email == ROLE_ACCOUNTS["worker"].email))
        resident = db.session.scalar(select(User).where(
            User.email == ROLE_ACCOUNTS["resident"].email))
        set_resident_pc4(resident, "5531")
        note = add_note(worker, resident, kind="call", body="Terugbellen over de boodschappen",
                        follow_up_on=today())
        db.session.commit()
        note_id = note.id
    page = page_as("worker")
    page.goto("/werk/")
    assert "Terugbellen over de boodschappen" in page.locator("#opvolging").inner_text()
    tab_to(page, lambda s: s["id"] == f"f{note_id}-note")
    page.keyboard.type("Gebeld: de buurvrouw doet nu de boodschappen.")
    tab_to(page, lambda s: s["tag"] == "button" and s["text"] == "Opvolging afronden")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/werk/"
    assert "De opvolging is afgerond." in page.locator("body").inner_text()
    assert "Terugbellen over de boodschappen" not in page.locator("#opvolging").inner_text()
