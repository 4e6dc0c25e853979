"""The volunteer's pages in the browser: profile, requests nearby, offering help (peer to peer
and brokered), a worker's proposal, commitments, and messages with the resident."""

from __future__ import annotations

import email
import re
from email import policy

import pytest
from sqlalchemy import select

from marketplace.areas import settings as area_settings
from marketplace.brokering.models import Arrangement, Match
from marketplace.brokering.services import propose_match
from marketplace.extensions import db
from marketplace.geo import default_gazetteer, distance_km, round_half_km
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.volunteers.services import ProfileInput, get_profile, save_profile
from tests.conftest import TEST_PASSWORD


@pytest.fixture(autouse=True)
def isolated(app, monkeypatch):
    """Cheap password hashes, and a clean `g` per request as in production (the app fixture
    keeps one app context, so Flask-Login's cached user would carry over between browsers)."""
    from argon2 import PasswordHasher
    from flask import g, request_started

    from marketplace.accounts import passwords

    fast = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", fast)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", fast.hash("not-a-real-password"))

    def clear(sender, **extra):
        vars(g).clear()

    request_started.connect(clear, app)
    yield
    request_started.disconnect(clear, app)


@pytest.fixture()
def region(make_area):
    make_area("RG", "region")
    bladel = make_area("GM1728", "municipality", parent="RG", pc4=("5531",))
    make_area("GM1728-HAPERT", "core", parent="GM1728", pc4=("5527",))
    make_area("GM1728-NETERSEL", "core", parent="GM1728", pc4=("5534",))
    eersel = make_area("GM0770", "municipality", parent="RG", pc4=("5521",))
    return bladel, eersel


def sign_in(app, user):
    client = app.test_client()
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def post_request(resident, *, category="shopping", postcode="5527", urgency="normal",
                 house_number="12"):
    created = create_request(resident, RequestInput(
        category=category, description=f"Hulp gezocht: {category} in {postcode}.",
        postcode=postcode, house_number=house_number, urgency=urgency))
    db.session.commit()
    return created


def give_profile(user, skills=("shopping", "garden"), postcode="5531", radius=5.0):
    save_profile(user, ProfileInput(skills=list(skills), postcode=postcode, radius_km=radius))
    db.session.commit()


def shown_km(pc4_from: str, pc4_to: str) -> str:
    a, b = default_gazetteer().get(pc4_from), default_gazetteer().get(pc4_to)
    return f"{round_half_km(distance_km(a.lat, a.lon, b.lat, b.lon)):.1f}".replace(".", ",")


def mails_to(outbox, address: str) -> list[str]:
    found = []
    for raw in outbox():
        message = email.message_from_string(raw, policy=policy.default)
        if str(message["To"]) == address:
            found.append(f"{message['Subject']}\n{message.get_body(('plain',)).get_content()}")
    return found


def test_profile_bad_input_is_explained_and_nothing_is_lost(app, make_user):
    user = make_user("resident", name="Vera")
    client = sign_in(app, user)
    page = client.get("/vrijwilliger/profiel")
    assert page.status_code == 200 and "Vrijwilliger worden" in page.text
    assert re.search(r'<th[^>]* scope="row">Dinsdag</th>', page.text)
    assert re.search(r'<th[^>]* scope="col">Ochtend</th>', page.text)
    assert "dinsdag ochtend</label>" in page.text

    bad = client.post("/vrijwilliger/profiel", data={
        "postcode": "12", "radius_km": "80", "availability": ["tue_morning"], "has_vog": "no",
        "languages": ["nl"], "max_commitments": "2", "about": "Ik fiets graag."})
    assert bad.status_code == 200
    assert "Kies minstens één soort hulp die u wilt geven." in bad.text
    assert "Vul een postcode in zoals 5531 AB of 5531." in bad.text
    assert "Kies een afstand van 1 tot 25 km." in bad.text
    assert 'value="80"' in bad.text and "Ik fiets graag." in bad.text
    assert 'value="tue_morning" checked' in bad.text
    vog = client.post("/vrijwilliger/profiel", data={
        "skills": ["garden"], "postcode": "5531", "radius_km": "5", "has_vog": "no",
        "vog_valid_until": "2027-01-01", "max_commitments": "2"})
    assert "Vul alleen een datum in als u een VOG heeft." in vog.text

    good = client.post("/vrijwilliger/profiel", data={
        "skills": ["shopping", "garden"], "postcode": "5531 AB", "radius_km": "7,5",
        "availability": ["tue_morning", "sat_afternoon"], "has_vog": "yes",
        "vog_valid_until": "31-12-2027", "languages": ["nl", "en"], "max_commitments": "3",
        "wants_digest": "y"})
    assert good.headers["Location"].endswith("/vrijwilliger/in-de-buurt")
    db.session.refresh(user)
    profile = get_profile(user)
    assert user.has_role("volunteer")
    assert (profile.home_pc4, profile.radius_km, profile.max_commitments) == ("5531", 7.5, 3)
    assert profile.slot_codes == ["sat_afternoon", "tue_morning"]
    again = client.get("/vrijwilliger/profiel")
    assert "Mijn profiel als vrijwilliger" in again.text and 'value="7,5"' in again.text


def test_nearby_shows_only_fitting_requests_within_the_radius(app, region, make_user):
    resident = make_user("resident", name="Riet")
    hapert = post_request(resident, category="shopping", postcode="5527")
    netersel = post_request(resident, category="garden", postcode="5534", urgency="high")
    post_request(resident, category="shopping", postcode="5521")  # Eersel: 7 km, too far
    post_request(resident, category="pets", postcode="5527")  # not a skill
    post_request(resident, category="companionship", postcode="5527")  # needs a VOG
    volunteer = make_user("volunteer")
    client = sign_in(app, volunteer)
    assert "Maak eerst uw profiel" in client.get("/vrijwilliger/in-de-buurt").text

    give_profile(volunteer, skills=("shopping", "garden", "companionship"))
    page = client.get("/vrijwilliger/in-de-buurt")
    assert "2 hulpvragen gevonden" in page.text
    assert f"/hulpvragen/{hapert.id}" in page.text and f"/hulpvragen/{netersel.id}" in page.text
    assert "5527 Hapert" in page.text and "5534 Netersel" in page.text
    assert "Eersel" not in page.text and "Huisdieren" not in page.text
    assert f"ongeveer {shown_km('5531', '5527')} km" in page.text  # "3,0"
    assert f"ongeveer {shown_km('5531', '5534')} km" in page.text  # "3,5"
    assert "ongeveer 3,5 km" in page.text and "ongeveer 3,0 km" in page.text  # Dutch comma
    assert page.text.index("Hapert") < page.text.index("Netersel")  # nearest first

    urgent = client.get("/vrijwilliger/in-de-buurt?sorteer=urgency").text
    assert urgent.index("Netersel") < urgent.index("Hapert")
    gardens = client.get("/vrijwilliger/in-de-buurt?categorie=garden").text
    assert "1 hulpvraag gevonden" in gardens and "Hapert" not in gardens
    junk = client.get("/vrijwilliger/in-de-buurt?categorie=pets&sorteer=%00")
    assert junk.status_code == 200 and "2 hulpvragen gevonden" in junk.text

    detail = client.get(f"/hulpvragen/{hapert.id}")
    assert detail.status_code == 200 and "Ik kan helpen" in detail.text
    assert "Hulp gezocht: shopping in 5527." in detail.text
    assert f"ongeveer {shown_km('5531', '5527')} km van uw postcode" in detail.text


def test_peer_to_peer_offer_accepted_by_the_resident_then_messages(
        app, region, make_user, outbox_files):
    bladel, _eersel = region
    area_settings.set_value(bladel, "brokering_mode", "peer_to_peer")
    db.session.commit()
    resident = make_user("resident", name="Riet Bakker", email="riet@example.org")
    volunteer = make_user("volunteer", name="Vera Helper", email="vera@example.org")
    give_profile(volunteer)
    request = post_request(resident, house_number="23b")
    url = f"/hulpvragen/{request.id}"
    helper, owner = sign_in(app, volunteer), sign_in(app, resident)

    too_long = helper.post(f"{url}/aanbieden", data={"message": "x" * 600})
    assert too_long.status_code == 200 and "hoogstens 500 tekens" in too_long.text
    offered = helper.post(f"{url}/aanbieden", data={"message": "Ik kan op vrijdagochtend."},
                          follow_redirects=True)
    assert "De inwoner krijgt bericht" in offered.text
    assert "De inwoner zegt ja of nee" in offered.text and "Ik kan helpen" not in offered.text
    assert helper.post(f"{url}/bericht", data={"body": "Hallo"}).status_code == 403

    offer_mail = mails_to(outbox_files, "riet@example.org")
    assert any("Iemand wil u helpen" in m for m in offer_mail)
    assert not any("vera@example.org" in m for m in offer_mail)

    page = owner.get(url)
    assert "Iemand wil helpen" in page.text and "Vera Helper" in page.text
    assert "Ik kan op vrijdagochtend." in page.text
    match = db.session.scalar(select(Match))
    accepted = owner.post(f"{url}/aanbod/{match.id}", data={"decision": "accept"},
                          follow_redirects=True)
    assert "Vera Helper gaat helpen" in accepted.text and "Er is hulp gevonden" in accepted.text
    assert db.session.scalar(select(Arrangement)).volunteer_id == volunteer.id

    now_full = helper.get(url)
    assert "23b" in now_full.text and "Riet Bakker" in now_full.text
    assert "Vraag in een bericht naar de straat" in now_full.text
    commitments = helper.get("/vrijwilliger/afspraken")
    assert "U helpt Riet Bakker" in commitments.text

    empty = helper.post(f"{url}/bericht", data={"body": "   "})
    assert empty.status_code == 200 and "Schrijf eerst een bericht." in empty.text
    helper.post(f"{url}/bericht", data={"body": "Zal ik vrijdag om tien uur komen?"})
    owner.post(f"{url}/bericht", data={"body": "Graag! Tot vrijdag."})
    for client in (owner, helper):
        thread = client.get(url).text
        assert "Zal ik vrijdag om tien uur komen?" in thread and "Graag! Tot vrijdag." in thread

    to_riet = mails_to(outbox_files, "riet@example.org")
    to_vera = mails_to(outbox_files, "vera@example.org")
    assert any("U heeft een nieuw bericht" in m for m in to_riet)
    assert any("U heeft een nieuw bericht" in m for m in to_vera)
    assert not any("vera@example.org" in m for m in to_riet)
    assert not any("riet@example.org" in m for m in to_vera)
    # Mails say that something happened; the message itself is only on the site.
    assert not any("Zal ik vrijdag" in m for m in to_riet)


def test_brokered_offer_waits_for_the_worker(app, region, make_user, outbox_files):
    bladel, eersel = region
    resident = make_user("resident", name="Riet Bakker")
    volunteer = make_user("volunteer", name="Vera Helper")
    worker = make_user("worker", areas=(bladel,), email="werker@example.org")
    give_profile(volunteer)
    request = post_request(resident)
    url = f"/hulpvragen/{request.id}"
    helper = sign_in(app, volunteer)
    offered = helper.post(f"{url}/aanbieden", data={}, follow_redirects=True)
    assert "Een welzijnswerker bekijkt uw aanbod" in offered.text
    assert any("werker@example.org" in m for m in outbox_files())

    owner = sign_in(app, resident)
    waiting = owner.get(url).text
    assert "Een welzijnswerker bekijkt dit" in waiting and "mag helpen" not in waiting
    match = db.session.scalar(select(Match))
    assert owner.post(f"{url}/aanbod/{match.id}", data={"decision": "accept"}).status_code \
        == 403
    other_worker = sign_in(app, make_user("worker", areas=(eersel,)))
    assert other_worker.get(url).status_code == 404
    assert other_worker.post(f"{url}/aanbod/{match.id}",
                             data={"decision": "accept"}).status_code == 404

    broker = sign_in(app, worker)
    page = broker.get(url).text
    assert "Ja, Vera Helper mag helpen" in page
    assert "In dit gebied beslist de welzijnswerker" in page
    done = broker.post(f"{url}/aanbod/{match.id}", data={"decision": "accept"},
                       follow_redirects=True)
    assert "De inwoner en de vrijwilliger krijgen bericht" in done.text
    assert "12" in helper.get(url).text and "Riet Bakker" in helper.get(url).text
    assert "Vera Helper helpt." in owner.get(url).text


def test_a_worker_proposal_accepted_by_the_volunteer(app, region, make_user):
    bladel, _eersel = region
    resident = make_user("resident", name="Riet Bakker")
    volunteer = make_user("volunteer")
    worker = make_user("worker", areas=(bladel,))
    give_profile(volunteer)
    request = post_request(resident, house_number="31")
    match = propose_match(worker, request, volunteer)  # the worker's page is not ours
    db.session.commit()
    helper = sign_in(app, volunteer)

    listing = helper.get("/vrijwilliger/afspraken").text
    assert "Een welzijnswerker vraagt of u wilt helpen" in listing
    assert f"/vrijwilliger/voorstellen/{match.id}" in listing
    proposal = helper.get(f"/vrijwilliger/voorstellen/{match.id}")
    assert "Ja, ik help" in proposal.text and "Riet Bakker" not in proposal.text
    assert "Kies ja of nee." in helper.post(f"/vrijwilliger/voorstellen/{match.id}",
                                            data={}).text
    accepted = helper.post(f"/vrijwilliger/voorstellen/{match.id}", data={"decision": "accept"},
                           follow_redirects=True)
    assert "U helpt Riet Bakker." in accepted.text and "Huisnummer 31" in accepted.text
    stranger = sign_in(app, make_user("volunteer"))
    assert stranger.get(f"/vrijwilliger/voorstellen/{match.id}").status_code == 404


def test_declining_a_proposal_tells_the_worker(app, region, make_user, outbox_files):
    bladel, _eersel = region
    volunteer = make_user("volunteer")
    worker = make_user("worker", areas=(bladel,), email="werker@example.org")
    give_profile(volunteer)
    match = propose_match(worker, post_request(make_user("resident")), volunteer)
    db.session.commit()
    helper = sign_in(app, volunteer)
    done = helper.post(f"/vrijwilliger/voorstellen/{match.id}",
                       data={"decision": "decline", "reason": "Ik ben op vakantie."},
                       follow_redirects=True)
    assert "U heeft nee gezegd op dit voorstel." in done.text
    assert db.session.get(Match, match.id).reason == "Ik ben op vakantie."
    assert mails_to(outbox_files, "werker@example.org")


def test_a_volunteer_takes_back_an_offer_no_one_answered(app, region, make_user):
    resident = make_user("resident", name="Riet")
    wanted = post_request(resident, postcode="5527")
    vera, other = make_user("volunteer", name="Vera"), make_user("volunteer", name="Wim")
    give_profile(vera)
    helper = sign_in(app, vera)
    assert helper.post(f"/hulpvragen/{wanted.id}/aanbieden", data={"message": ""},
                       follow_redirects=True).status_code == 200
    match = db.session.scalars(select(Match).where(Match.volunteer_id == vera.id)).one()
    listing = helper.get("/vrijwilliger/afspraken").text
    assert f"/vrijwilliger/voorstellen/{match.id}#intrekken" in listing
    url = f"/vrijwilliger/voorstellen/{match.id}"
    assert "Aanbod intrekken" in helper.get(url).text
    # Nobody else can take it back.
    assert sign_in(app, other).post(url, data={"decision": "withdraw"}).status_code == 404
    done = helper.post(url, data={"decision": "withdraw"})
    assert done.status_code == 302
    db.session.refresh(match)
    assert (match.status, match.reason, match.decided_by_id) == (
        "cancelled", "withdrawn_by_volunteer", vera.id)
    page = helper.get(url).text
    assert "U heeft dit aanbod ingetrokken." in page and "Aanbod intrekken" not in page
    again = helper.post(url, data={"decision": "withdraw"})
    assert again.status_code == 200 and "Op dit aanbod is al geantwoord." in again.text
    # The request is open to offers again, from Vera too.
    assert helper.post(f"/hulpvragen/{wanted.id}/aanbieden", data={"message": ""}
                       ).status_code == 302
