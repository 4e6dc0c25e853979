"""The worker's pages that write down an answer for a resident without e-mail: the answer to
a volunteer's offer ("Namens de inwoner antwoorden") and to a check-in ("Antwoord invullen").
Reached from the request page as a worker clicks, accessible (axe) as shown and with errors,
no sideways scrolling at 320 px; screenshots in artifacts/screenshots/."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.e2e.e2e_support import ARTIFACTS, DESKTOP, PHONE
from tests.e2e.test_page_states import assert_accessible

pytestmark = pytest.mark.e2e

REFLOW = {"width": 320, "height": 640}
WIDE_JS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def add_material(live_server) -> dict[str, int]:
    """In Bladel (the demo worker's area): a resident without e-mail with an offer waiting
    for them, and another with running support whose first check-in was asked."""
    from marketplace.accounts.services import create_user, find_by_email
    from marketplace.brokering.models import Match
    from marketplace.brokering.services import accept, propose_match
    from marketplace.extensions import db
    from marketplace.followup.services import checkins_of
    from marketplace.help_requests.services import RequestInput, create_request
    from marketplace.volunteers.services import ProfileInput, save_profile

    with live_server.app.app_context():
        resident = create_user(None, "Mevrouw Zonder Mail", roles=("resident",))
        helper = create_user(None, "Hulp Zonder Haast", roles=("volunteer",))
        save_profile(helper, ProfileInput(skills=["shopping", "companionship"],
                                          postcode="5531", radius_km=10.0))
        asked = create_request(resident, RequestInput(
            category="shopping", description="Boodschappen op woensdag, ik loop slecht.",
            postcode="5531 CD", house_number="70"))
        db.session.flush()
        offer = Match(request_id=asked.id, volunteer_id=helper.id, status="proposed",
                      origin="offer", awaiting="resident", proposed_by_id=helper.id,
                      message="Ik kan op woensdagmiddag.")
        db.session.add(offer)
        supported = create_request(resident, RequestInput(
            category="companionship", description="Een praatje op dinsdag zou fijn zijn.",
            postcode="5531 CD", house_number="70"))
        db.session.flush()
        worker = find_by_email("welzijnswerker@demo.buurtmakelaar.nl")
        arrangement = accept(helper, propose_match(worker, supported, helper))
        checkin = checkins_of(arrangement)[0]
        checkin.sent_at = datetime.now(UTC)
        db.session.commit()
        return {"asked": asked.id, "supported": supported.id}


def test_worker_answers_for_the_resident(page_as, live_server) -> None:
    ids = add_material(live_server)
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page = page_as("worker")

    page.goto(f"/hulpvragen/{ids['asked']}")
    with page.expect_navigation():
        page.get_by_role("link", name="Namens de inwoner antwoorden").first.click()
    assert "/namens-inwoner" in page.url
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Antwoord van de inwoner opslaan").click()
    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)
    offer_url = page.url

    page.goto(f"/hulpvragen/{ids['supported']}")
    with page.expect_navigation():
        page.get_by_role("link", name="Antwoord invullen").first.click()
    assert "/hoe-gaat-het/" in page.url
    assert_accessible(page)
    checkin_url = page.url

    for viewport, label in ((PHONE, "phone"), (DESKTOP, "desktop"), (REFLOW, None)):
        sized = page_as("worker", viewport=viewport, is_mobile=viewport != DESKTOP,
                        device_scale_factor=1)
        for name, url in (("answer-for-resident", offer_url),
                          ("checkin-answer-by-worker", checkin_url)):
            sized.goto(url)
            if label:
                sized.screenshot(path=shots / f"{name}-{label}.png", full_page=True)
            if viewport != DESKTOP:
                assert sized.evaluate(WIDE_JS) <= 0, f"{url} scrolls sideways at {viewport}"

    page.goto(checkin_url)
    page.get_by_label("De inwoner (Mevrouw Zonder Mail)").check()
    page.get_by_label("Het gaat goed").check()
    page.get_by_label("Telefonisch").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Antwoord opslaan").click()
    assert "ingevuld door" in page.locator("main").inner_text()

    page.goto(offer_url)
    page.get_by_label("Ja, deze vrijwilliger mag helpen").check()
    page.get_by_label("Telefonisch").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Antwoord van de inwoner opslaan").click()
    text = page.locator("main").inner_text()
    assert "Hulp Zonder Haast gaat helpen" in text and "namens de inwoner" in text
