"""Signals in the browser: anyone signed in reports a worry; workers of the area see it with
its respond-by date, take it, give it to a colleague and record the outcome. The reporter's
mail says only that it was handled; a worker of another area gets 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from marketplace.accounts.models import AuditEvent
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.signals.models import Signal
from tests.conftest import TEST_PASSWORD

CONCERN = "De gordijnen van nummer 12 blijven al een week dicht en de post stapelt zich op."
NEW = "/zorg-melden"


@pytest.fixture()
def region(make_area):
    make_area("RG", "region")
    bladel = make_area("GM1728", "municipality", name="Bladel", parent="RG", pc4=("5531",))
    make_area("GM1728-HAPERT", "core", name="Hapert", parent="GM1728", pc4=("5527",))
    eersel = make_area("GM0770", "municipality", name="Eersel", parent="RG", pc4=("5521",))
    return bladel, eersel


@pytest.fixture()
def people(make_user, region):
    bladel, eersel = region
    return {
        "neighbour": make_user("resident", name="Buurvrouw Bep"),
        "volunteer": make_user("volunteer", name="Vera Vrijwilliger"),
        "association": make_user("association", name="Club de Eendracht"),
        "worker": make_user("worker", name="Wim Werker", areas=(bladel,)),
        "colleague": make_user("worker", name="Cor Collega", areas=(bladel,)),
        "other_worker": make_user("worker", name="Olga Elders", areas=(eersel,)),
        "municipality": make_user("municipality", areas=(bladel,)),
    }


def sign_in(app, user):
    client = app.test_client()
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def report(client, **overrides):
    data = {"postcode": "5527 AB", "concern": CONCERN, "about": "De oudere meneer op nr 12"}
    data.update(overrides)
    return client.post(NEW, data=data)


def only_signal() -> Signal:
    return db.session.scalars(select(Signal)).one()


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.text, "html.parser").get_text(" ").split())


@pytest.mark.parametrize("who", ["neighbour", "volunteer", "association", "worker"])
def test_anyone_signed_in_can_report_and_is_thanked(app, people, who):
    client = sign_in(app, people[who])
    page = client.get(NEW)
    assert page.status_code == 200
    words = text_of(page)
    assert "Alleen de welzijnswerkers van dat gebied lezen wat u schrijft" in words
    assert "alleen bericht dat uw melding is opgepakt" in words
    response = report(client)
    assert response.status_code == 302
    signal = only_signal()
    assert response.headers["Location"] == f"/zorg-melden/bedankt/{signal.id}"
    thanks = text_of(client.get(response.headers["Location"]))
    assert "Bedankt voor uw melding" in thanks and "5527 Hapert" in thanks
    assert CONCERN not in thanks
    assert signal.reporter_id == people[who].id and signal.pc4 == "5527"
    assert signal.concern == CONCERN and signal.status == "new"


def test_anonymous_gets_the_form_without_an_account(client, region):
    """Since task G a worry needs no account (tests/functional/test_signals_public.py)."""
    response = client.get(NEW)
    assert response.status_code == 200 and 'name="contact"' in response.text


def test_bad_input_shows_the_form_again_with_what_was_typed(app, people):
    client = sign_in(app, people["neighbour"])
    response = report(client, postcode="12", concern="Zorg", about="x" * 301)
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("input", attrs={"name": "postcode"})["value"] == "12"
    assert soup.find("textarea", attrs={"name": "concern"}).get_text().strip() == "Zorg"
    words = text_of(response)
    assert "Er ging iets mis" in words
    assert "Houd dit korter: hoogstens 300 tekens." in words
    response = report(client, postcode="0000 AB", concern="Zo")
    words = text_of(response)
    assert "Vul een postcode in zoals 5531 AB of 5531." in words
    assert "minstens 3 tekens" in words
    response = report(client, postcode="1000", concern=CONCERN)
    assert "Deze postcode kennen wij niet" in text_of(response)
    response = report(client, postcode="", concern="")
    words = text_of(response)
    assert "Vul de postcode in." in words and "Vertel wat u opviel." in words
    assert db.session.scalars(select(Signal)).all() == []


def test_nul_bytes_and_junk_never_give_a_server_error(app, people):
    client = sign_in(app, people["neighbour"])
    response = report(client, postcode="5527\x00", concern="Zorg\x00" * 20, about="\x00")
    assert response.status_code in (200, 302)
    worker = sign_in(app, people["worker"])
    for url in ("/signalen/99999999999", "/signalen/0", "/signalen/?toon=\x00"):
        assert worker.get(url).status_code in (200, 404)
    signal = only_signal()
    assert "\x00" not in signal.concern
    for data in ({"worker_id": "abc"}, {"worker_id": "99999999999999999999"},
                 {"worker_id": "\x00", "reason": "\x00" * 400}):
        assert worker.post(f"/signalen/{signal.id}/toewijzen", data=data).status_code == 200
    for data in ({"outcome": "chaos"}, {"outcome": "visited", "note": "x" * 2001}, {}):
        response = worker.post(f"/signalen/{signal.id}/uitkomst", data=data)
        assert response.status_code == 200
        assert "Er ging iets mis" in response.text
    assert only_signal().status == "new"


def test_outside_any_area_the_reporter_is_told_to_call_the_municipality(app, people):
    client = sign_in(app, people["neighbour"])
    response = report(client, postcode="1012")  # Amsterdam: no area of ours
    assert "werkt nog geen welzijnswerker" in client.get(response.headers["Location"]).text
    # The receipt is the reporter's own: anyone else gets 404, like a missing one.
    other = sign_in(app, people["volunteer"])
    assert other.get(response.headers["Location"]).status_code == 404
    assert other.get("/zorg-melden/bedankt/99999999999").status_code == 404


def test_worker_of_the_area_sees_list_and_page_other_area_gets_404(app, people):
    report(sign_in(app, people["neighbour"]))
    signal = only_signal()
    worker = sign_in(app, people["worker"])
    listing = worker.get("/signalen/")
    assert listing.status_code == 200
    words = text_of(listing)
    assert "5527 Hapert" in words and signal.respond_by.strftime("%d") in words
    page = worker.get(f"/signalen/{signal.id}")
    assert page.status_code == 200
    words = text_of(page)
    assert CONCERN in words and "De oudere meneer op nr 12" in words
    assert "Buurvrouw Bep" in words  # the worker may call the reporter back
    assert db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "signal.viewed", AuditEvent.object_id == signal.id)).first()

    other = sign_in(app, people["other_worker"])
    assert other.get(f"/signalen/{signal.id}").status_code == 404
    assert other.post(f"/signalen/{signal.id}/uitkomst",
                      data={"outcome": "visited"}).status_code == 404
    assert CONCERN not in other.get("/signalen/").text
    for who in ("neighbour", "volunteer", "municipality"):
        assert sign_in(app, people[who]).get(f"/signalen/{signal.id}").status_code == 403


def test_overdue_is_said_in_words(app, people):
    report(sign_in(app, people["neighbour"]))
    signal = only_signal()
    signal.respond_by = today() - timedelta(days=1)
    db.session.commit()
    worker = sign_in(app, people["worker"])
    assert "Te laat" in text_of(worker.get("/signalen/"))
    assert "De datum is voorbij" in text_of(worker.get(f"/signalen/{signal.id}"))
    assert "Te laat" in text_of(worker.get("/werk/"))


def test_take_give_to_colleague_and_record_outcome(app, people, outbox_files):
    report(sign_in(app, people["neighbour"]))
    signal = only_signal()
    worker = sign_in(app, people["worker"])
    response = worker.post(f"/signalen/{signal.id}/toewijzen",
                           data={"worker_id": people["worker"].id})
    assert response.status_code == 302
    assert only_signal().assigned_worker_id == people["worker"].id
    assert only_signal().status == "in_progress"

    # Giving it to someone outside the area is not a choice.
    response = worker.post(f"/signalen/{signal.id}/toewijzen",
                           data={"worker_id": people["other_worker"].id})
    assert "Kies een collega uit de lijst." in text_of(response)
    response = worker.post(f"/signalen/{signal.id}/toewijzen", data={
        "worker_id": people["colleague"].id, "reason": "Cor kent de familie"})
    assert response.status_code == 302
    assert only_signal().assigned_worker_id == people["colleague"].id

    colleague = sign_in(app, people["colleague"])
    response = colleague.post(f"/signalen/{signal.id}/uitkomst",
                              data={"outcome": "consent_for_help",
                                    "note": "Meneer is eenzaam; wil graag een maatje."})
    assert response.status_code == 302
    handled = only_signal()
    assert handled.status == "handled" and handled.outcome == "consent_for_help"
    page = text_of(colleague.get(f"/signalen/{signal.id}"))
    assert "Cor kent de familie" in page and "Meneer is eenzaam" in page
    assert "Hulpvraag maken voor deze inwoner" in page
    actions = [e.action for e in handled.events]
    assert actions == ["reported", "assigned", "assigned", "outcome:consent_for_help"]

    # A second outcome is refused politely.
    again = colleague.post(f"/signalen/{signal.id}/uitkomst", data={"outcome": "visited"})
    assert again.status_code == 302
    assert "al afgehandeld" in colleague.get(again.headers["Location"]).text

    mails = outbox_files()
    to_reporter = [m for m in mails if people["neighbour"].email in m]
    assert len(to_reporter) == 1
    assert "opgepakt" in to_reporter[0]
    for mail in mails:
        assert "gordijnen" not in mail and "eenzaam" not in mail and "nr 12" not in mail
    assert "afgehandeld" in text_of(colleague.get("/signalen/?toon=afgehandeld")).lower()


def test_reporter_mail_is_the_only_news_for_the_reporter(app, people, outbox_files):
    from tests.security.security_support import mail_parts

    report(sign_in(app, people["volunteer"]))
    signal = only_signal()
    worker = sign_in(app, people["worker"])
    worker.post(f"/signalen/{signal.id}/uitkomst", data={"outcome": "no_need",
                                                         "note": "Familie zorgt al goed."})
    parts = [mail_parts(m) for m in outbox_files()]
    to_reporter = [p for p in parts if p[0] == people["volunteer"].email]
    assert len(to_reporter) == 1
    _to, subject, body = to_reporter[0]
    assert "opgepakt" in subject
    assert "vertellen we niet wat er is gebeurd" in body
    assert "Familie" not in body and "gordijnen" not in body
    # The workers of the area got the new signal, without the concern either.
    to_workers = [p for p in parts if p[0] in (people["worker"].email,
                                               people["colleague"].email)]
    assert len(to_workers) == 2
    assert all("5527" in p[1] and "gordijnen" not in p[2] for p in to_workers)
    assert not [p for p in parts if p[0] == people["other_worker"].email]
