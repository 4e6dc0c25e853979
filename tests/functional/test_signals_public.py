"""A worry reported without an account (beacon 3): the form works signed out, the worker of
the area gets the signal with how the reporter may be reached, the reporter sees one receipt
page without a number, and reports are throttled per IP in the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from marketplace.accounts.throttle import ThrottleHit
from marketplace.extensions import db
from marketplace.signals.models import Signal
from marketplace.signals.public import IpLimit, allow
from tests.conftest import TEST_PASSWORD

CONCERN = "Mijn buurman op nummer 12 doet al dagen niet open en de post stapelt zich op."


@pytest.fixture()
def bladel(make_area):
    make_area("RG", "region")
    area = make_area("GM1728", "municipality", name="Bladel", parent="RG", pc4=("5531",))
    make_area("GM1728-HAPERT", "core", name="Hapert", parent="GM1728", pc4=("5527",))
    return area


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.text, "html.parser").get_text(" ").split())


def send(client, ip: str = "192.0.2.1", **overrides):
    data = {"postcode": "5527 AB", "concern": CONCERN, "about": "De meneer op nummer 12",
            "contact": "06 1234 5678"}
    data.update(overrides)
    return client.post("/zorg-melden", data=data, environ_base={"REMOTE_ADDR": ip})


def test_signed_out_report_reaches_the_worker(app, client, bladel, make_user):
    worker = make_user("worker", name="Wim Werker", areas=(bladel,))
    page = client.get("/zorg-melden")
    assert page.status_code == 200
    words = text_of(page)
    assert "Hoe kunnen we u bereiken?" in words and "geen account" in words

    response = send(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/zorg-melden/ontvangen"
    receipt = text_of(client.get("/zorg-melden/ontvangen"))
    assert "Een welzijnswerker gaat ernaar kijken" in receipt

    signal = db.session.scalars(select(Signal)).one()
    assert signal.reporter_id is None and signal.reporter_contact == "06 1234 5678"
    assert signal.pc4 == "5527" and signal.area.code == "GM1728-HAPERT"
    assert [e.action for e in signal.events] == ["reported_public"]

    worker_client = app.test_client()
    worker_client.post("/inloggen", data={"email": worker.email, "password": TEST_PASSWORD})
    detail = text_of(worker_client.get(f"/signalen/{signal.id}"))
    assert "Iemand zonder account." in detail and "Bereikbaar via: 06 1234 5678" in detail


def test_receipt_is_the_same_whatever_was_reported(client, bladel):
    """No number, no echo of the text: nothing to enumerate or look up."""
    first = send(client, concern=CONCERN)
    elsewhere = send(client, postcode="9999", concern=CONCERN)  # a postcode in no area
    assert first.headers["Location"] == elsewhere.headers["Location"] == "/zorg-melden/ontvangen"
    receipt = client.get("/zorg-melden/ontvangen")
    assert CONCERN[:20] not in receipt.text and "5527" not in receipt.text


def test_bad_input_shows_the_form_again(client, bladel):
    response = send(client, concern="kort", contact="x" * 201)
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("#contact")["value"] == "x" * 201
    assert "hoogstens 200 tekens" in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(Signal)) == 0


def test_throttled_per_ip_in_the_database(app, client, bladel):
    app.config.update(PUBLIC_SIGNAL_LIMIT_PER_IP=2)
    assert send(client).status_code == 302
    assert send(client).status_code == 302
    refused = send(client)
    assert refused.status_code == 429
    assert "veel meldingen" in text_of(refused) and "Fout:" in refused.text
    assert send(client, ip="192.0.2.2").status_code == 302  # another address is not hit
    assert db.session.scalar(select(func.count()).select_from(Signal)) == 3
    # Stored as digests only: no IP address in the table.
    keys = db.session.scalars(select(ThrottleHit.key)).all()
    assert keys and all("192.0.2" not in key for key in keys)


def test_the_window_passes(app, bladel):
    from marketplace.clock import now

    limit = IpLimit(per_ip=1, window=timedelta(hours=1))
    start = now()
    assert allow("198.51.100.7", limit, start)
    assert not allow("198.51.100.7", limit, start + timedelta(minutes=59))
    assert allow("198.51.100.7", limit, start + timedelta(minutes=61))


def test_signed_in_reporters_keep_their_own_receipt(app, bladel, make_user):
    neighbour = make_user("resident", name="Buurvrouw Bep")
    client = app.test_client()
    client.post("/inloggen", data={"email": neighbour.email, "password": TEST_PASSWORD})
    assert 'name="contact"' not in client.get("/zorg-melden").text
    response = send(client)
    signal = db.session.scalars(select(Signal)).one()
    assert response.headers["Location"] == f"/zorg-melden/bedankt/{signal.id}"
    assert signal.reporter_id == neighbour.id and signal.reporter_contact is None


def test_the_menu_offers_it_signed_out(client, bladel):
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    menu = soup.select("nav.site-nav .site-nav__list--bar a")
    assert [a["href"] for a in menu] == ["/", "/zorg-melden"]
