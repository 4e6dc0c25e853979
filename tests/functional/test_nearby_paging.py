"""The volunteer's nearby list in pages of 25 (issue 15): the count is the whole list, the
next page starts after the last request shown (keyset), the volunteer's own requests are
not in it, and a hostile "na" never breaks the page."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import g, request_started

from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.volunteers.services import ProfileInput, save_profile
from marketplace.volunteers.views import NEARBY_PAGE
from tests.conftest import TEST_PASSWORD

LINK = re.compile(r'href="/hulpvragen/(\d+)"')


def _ids(html: str) -> list[int]:
    return [int(i) for i in LINK.findall(html)]


def test_nearby_pages_through_every_request_once(app, make_area, make_user):
    request_started.connect(lambda sender, **extra: vars(g).clear(), app, weak=False)
    make_area("GM1728", "municipality", pc4=("5531", "5527"))
    residents = [make_user("resident", name=f"Buur {i}") for i in range(3)]
    made = [create_request(residents[i % 3], RequestInput(
        category="shopping", description="Boodschappen doen op vrijdag.",
        postcode="5527" if i % 2 else "5531", house_number=str(i + 1)),
        now=clock_now() - timedelta(minutes=i))
        for i in range(NEARBY_PAGE + 7)]
    volunteer = make_user("volunteer", "resident", name="Vera")
    own = create_request(volunteer, RequestInput(
        category="shopping", description="Zelf iets nodig, thuis.", postcode="5531",
        house_number="99"))
    save_profile(volunteer, ProfileInput(skills=["shopping"], postcode="5531", radius_km=5.0))
    db.session.commit()
    client = app.test_client()
    assert client.post("/inloggen", data={"email": volunteer.email,
                                          "password": TEST_PASSWORD}).status_code == 302

    for sort in ("distance", "newest", "urgency"):
        first = client.get(f"/vrijwilliger/in-de-buurt?sorteer={sort}")
        assert first.status_code == 200
        assert f"{len(made)} hulpvragen gevonden" in first.text
        page1 = _ids(first.text)
        assert len(page1) == NEARBY_PAGE and own.id not in page1
        after = re.search(r'na=(\d+)"[^>]*>Volgende hulpvragen<', first.text)
        assert after and int(after.group(1)) == page1[-1]
        second = client.get(f"/vrijwilliger/in-de-buurt?sorteer={sort}&na={page1[-1]}")
        page2 = _ids(second.text)
        assert len(page2) == len(made) - NEARBY_PAGE
        assert sorted(page1 + page2) == sorted(r.id for r in made)  # each once, none lost
        assert "Volgende hulpvragen" not in second.text
        assert "Terug naar het begin van de lijst" in second.text
    newest = _ids(client.get("/vrijwilliger/in-de-buurt?sorteer=newest").text)
    assert newest[:3] == [made[0].id, made[1].id, made[2].id]

    for hostile in ("abc", "-1", "99999999999", "%00", str(own.id)):
        page = client.get(f"/vrijwilliger/in-de-buurt?na={hostile}")
        assert page.status_code == 200 and len(_ids(page.text)) == NEARBY_PAGE
