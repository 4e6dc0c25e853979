"""The worker's page "Voorstellen voor alle open hulpvragen": shows the batch, sends only
what stays ticked (one mail per volunteer), and is 404 for an area that is not the worker's."""

from __future__ import annotations

from sqlalchemy import func, select

from marketplace.brokering.models import Match
from marketplace.extensions import db
from marketplace.notifications.models import OutboxMessage
from marketplace.residents.models import NetworkMember
from tests.conftest import TEST_PASSWORD
from tests.integration.test_batch_proposals import area_world  # noqa: F401  (fixture)


def _login(client, user):
    assert client.post("/inloggen", data={"email": user.email,
                                          "password": TEST_PASSWORD}).status_code == 302


def test_page_shows_pairs_reasons_and_why_and_sends_only_the_ticked(client, area_world):  # noqa: F811
    garden = area_world["requests"][0]
    db.session.add(NetworkMember(resident_id=garden.owner_id, name="Kees", relation="buurman",
                                 can_help=["garden"]))
    db.session.commit()
    _login(client, area_world["worker"])
    page = client.get("/werk/voorstellen").get_data(as_text=True)
    assert "Voorstellen voor alle open hulpvragen" in page
    assert "Hanna Helper" in page and "Sem Shopper" in page
    assert "niemand in de buurt helpt met deze soort hulp" in page  # the paperwork request
    assert "Eigen netwerk eerst" in page and "Kees" in page
    assert db.session.scalar(select(func.count()).select_from(Match)) == 0  # GET sends nothing
    boxes = page.count('name="pair"')
    assert boxes == 3
    assert page.count(" checked>") == 2  # the network's request starts unticked
    keys = [f"{r.id}-" for r in area_world["requests"][1:3]]
    ticked = [part.split('"')[0] for part in page.split('name="pair" value="')[1:]]
    chosen = [k for k in ticked if any(k.startswith(p) for p in keys)][:1]
    response = client.post("/werk/voorstellen", data={"gebied": "GM1728", "pair": chosen})
    assert response.status_code == 302
    matches = list(db.session.scalars(select(Match)))
    assert [f"{m.request_id}-{m.volunteer_id}" for m in matches] == chosen
    assert matches[0].proposed_by_id == area_world["worker"].id
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.dedupe_key.like("batch:%"))) == 1
    # Sending the same again proposes nothing new: that request has an open proposal.
    client.post("/werk/voorstellen", data={"gebied": "GM1728", "pair": chosen})
    assert db.session.scalar(select(func.count()).select_from(Match)) == 1


def test_another_area_is_404(client, area_world, make_area):  # noqa: F811
    make_area("GM0861", "municipality", name="Veldhoven", pc4=("5501",))
    db.session.commit()
    _login(client, area_world["worker"])
    assert client.get("/werk/voorstellen?gebied=GM0861").status_code == 404
    assert client.get("/werk/voorstellen?gebied=NOPE").status_code == 404
    assert client.post("/werk/voorstellen", data={"gebied": "GM0861"}).status_code == 404


def test_a_worker_of_two_areas_chooses_one_on_both_area_pages(client, make_area, make_user):
    """The area chooser (one macro for the batch page and the volunteers of an area): shown
    only with more than one area, each page's own action, the area shown is selected."""
    from bs4 import BeautifulSoup

    bladel = make_area("GM1728", "municipality", name="Bladel", pc4=("5531",))
    eersel = make_area("GM0770", "municipality", name="Eersel", pc4=("5521",))
    worker = make_user("worker", areas=(bladel, eersel))
    db.session.commit()
    _login(client, worker)
    for url in ("/werk/voorstellen", "/werk/vrijwilligers/"):
        soup = BeautifulSoup(client.get(f"{url}?gebied=GM0770").text, "html.parser")
        form = soup.select_one("form:has(select#gebied)")
        assert form is not None and form["method"] == "get" and form["action"] == url, url
        assert sorted(o["value"] for o in form.select("option")) == ["GM0770", "GM1728"]
        assert form.select_one("option[selected]")["value"] == "GM0770"
    one = make_user("worker", areas=(bladel,))
    db.session.commit()
    other = client.application.test_client()
    _login(other, one)
    assert 'id="gebied"' not in other.get("/werk/voorstellen").text
