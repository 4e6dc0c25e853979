"""The resident's pages in the browser: a request in steps, for someone else, by a worker on a
resident's behalf; edit, withdraw, renew; the own network and the "who could help" step."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from marketplace.help_requests.services import RequestInput, create_request, record_status
from marketplace.residents.services import network_of, save_member
from tests.conftest import TEST_PASSWORD

NEW = "/hulpvragen/nieuw"


@pytest.fixture(autouse=True)
def isolated(app, monkeypatch):
    """Cheap password hashes, and a clean `g` per request as in production: the app fixture
    keeps one app context for the whole test, so Flask-Login's cached user would otherwise
    carry over from one browser to the next."""
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


def in_a_week() -> str:
    return (today() + timedelta(days=7)).isoformat()


WHERE_WHEN = {"postcode": "5527 AB", "house_number": "17a", "timing": "date",
              "urgency": "high"}


def walk_to_check(client, *, category="shopping", for_whom="self", **where):
    assert client.post(NEW, data={"category": category, "for_whom": for_whom}).status_code == 302
    response = client.post(f"{NEW}/omschrijving", data={
        "description": "Ik kan niet meer zelf naar de supermarkt. Wie helpt op vrijdag?"})
    assert response.status_code == 302, response.text
    response = client.post(f"{NEW}/waar-wanneer",
                           data={**WHERE_WHEN, "wanted_on": in_a_week(), **where})
    assert response.headers["Location"].endswith(f"{NEW}/controleren"), response.text
    return response


def test_a_resident_posts_a_request_in_steps_and_bad_input_is_explained(app, region, make_user):
    resident = make_user("resident", name="Riet Bakker")
    client = sign_in(app, resident)

    page = client.get(NEW)
    assert page.status_code == 200
    assert "Stap 1 van 4" in page.text and "Boodschappen" in page.text
    assert 'type="radio"' in page.text and "Voor mijzelf" in page.text

    empty = client.post(NEW, data={})
    assert empty.status_code == 200
    assert "Kies waar u hulp bij zoekt." in empty.text

    assert client.post(NEW, data={"category": "shopping", "for_whom": "self"}) \
        .headers["Location"].endswith(f"{NEW}/omschrijving")
    short = client.post(f"{NEW}/omschrijving", data={"description": "Zo"})
    assert short.status_code == 200
    assert "minstens 3 tekens" in short.text and "Zo</textarea>" in short.text

    # Text that would not fit in the session cookie is refused with a message, not lost.
    rnd = random.Random(7)
    huge = "".join(chr(rnd.randint(0x4E00, 0x9FFF)) for _ in range(2000))
    too_big = client.post(f"{NEW}/omschrijving", data={"description": huge})
    assert "Uw tekst is te lang om te bewaren" in too_big.text and huge in too_big.text

    client.post(f"{NEW}/omschrijving", data={
        "description": "Ik kan niet meer zelf naar de supermarkt. Wie helpt op vrijdag?"})
    bad = client.post(f"{NEW}/waar-wanneer", data={
        "postcode": "55", "house_number": "geen", "timing": "date", "urgency": "high"})
    assert bad.status_code == 200
    assert "Vul een postcode in zoals 5531 AB." in bad.text
    assert "Vul een huisnummer in, zoals 17, 17a of 17-2." in bad.text
    assert "Vul een datum in." in bad.text
    assert 'value="geen"' in bad.text and 'value="55"' in bad.text
    typo = client.post(f"{NEW}/waar-wanneer", data={**WHERE_WHEN, "wanted_on": "31-02-2027"})
    assert "Vul een datum in zoals 25-12-2026." in typo.text
    assert 'value="31-02-2027"' in typo.text

    client.post(f"{NEW}/waar-wanneer", data={**WHERE_WHEN, "wanted_on": in_a_week()})
    check = client.get(f"{NEW}/controleren")
    assert "Kijk alles na" in check.text and "17a" in check.text and "5527 AB" in check.text
    assert "Wij bewaren alleen de 4 cijfers" in check.text

    sent = client.post(f"{NEW}/controleren", data={})
    assert sent.status_code == 302
    created = db.session.scalar(select(HelpRequest))
    assert sent.headers["Location"].endswith(f"/hulpvragen/{created.id}")
    assert (created.owner_id, created.pc4, created.house_number) == (resident.id, "5527", "17a")
    assert (created.status, created.urgency, created.timing) == ("open", "high", "date")

    detail = client.get(f"/hulpvragen/{created.id}")
    assert "We zoeken iemand" in detail.text and "door u" in detail.text
    mine = client.get("/hulpvragen/mijn")
    assert "We zoeken iemand" in mine.text and "Boodschappen" in mine.text
    # The answers are gone from the session: a new request starts empty.
    assert 'checked' not in client.get(NEW).text.split("Soort hulp")[1].split("</fieldset>")[0]


def test_for_someone_else_needs_their_consent(app, region, make_user):
    client = sign_in(app, make_user("resident"))
    assert client.post(NEW, data={"category": "garden", "for_whom": "other"}) \
        .headers["Location"].endswith(f"{NEW}/voor-wie")
    assert "Stap 2 van 5" in client.get(f"{NEW}/voor-wie").text
    # Skipping the step is not possible: later steps send you back to it.
    assert client.get(f"{NEW}/omschrijving").headers["Location"].endswith(f"{NEW}/voor-wie")

    refused = client.post(f"{NEW}/voor-wie", data={"for_person_name": "Mevrouw Jansen",
                                                   "for_person_relation": "mijn buurvrouw"})
    assert refused.status_code == 200
    assert "Vraag eerst of de ander het goed vindt" in refused.text
    assert 'value="Mevrouw Jansen"' in refused.text

    agreed = client.post(f"{NEW}/voor-wie", data={
        "for_person_name": "Mevrouw Jansen", "for_person_relation": "mijn buurvrouw",
        "for_person_consent": "y"})
    assert agreed.headers["Location"].endswith(f"{NEW}/omschrijving")
    client.post(f"{NEW}/omschrijving", data={"description": "De heg moet worden geknipt."})
    client.post(f"{NEW}/waar-wanneer", data={**WHERE_WHEN, "wanted_on": in_a_week()})
    assert "Mevrouw Jansen" in client.get(f"{NEW}/controleren").text
    assert client.post(f"{NEW}/controleren", data={}).status_code == 302
    created = db.session.scalar(select(HelpRequest))
    assert created.for_person_name == "Mevrouw Jansen"
    assert created.consent_recorded_at is not None
    assert created.consent_method == "declared_by_asker"


def test_stopping_at_the_last_step_sends_nothing(app, region, make_user):
    client = sign_in(app, make_user("resident"))
    walk_to_check(client)
    response = client.post(f"{NEW}/controleren", data={"stop": "y"})
    assert response.headers["Location"].endswith("/hulpvragen/mijn")
    assert db.session.scalar(select(HelpRequest)) is None


def test_a_worker_posts_on_behalf_of_a_resident(app, region, make_user):
    bladel, _eersel = region
    known = make_user("resident", name="Bekende Inwoner", email="bekend@example.org")
    worker = make_user("worker", areas=(bladel,))
    client = sign_in(app, worker)
    first = client.get(NEW)
    assert "Stap 1 van 5" in first.text and "Voor welke inwoner?" in first.text

    unknown = client.post(NEW, data={"who": "existing", "email": "niemand@example.org",
                                     "consent": "y"})
    assert "Wij vinden geen inwoner met dit e-mailadres" in unknown.text
    no_consent = client.post(NEW, data={"who": "new", "name": "Mevrouw Zonder Mail"})
    assert "Vraag eerst of de inwoner het goed vindt." in no_consent.text

    client.post(NEW, data={"who": "new", "name": "Mevrouw Zonder Mail", "consent": "y"})
    kind = client.get(f"{NEW}/soort")
    assert "Voor wie is de hulp?" not in kind.text  # the worker posts for the resident
    client.post(f"{NEW}/soort", data={"category": "shopping"})
    client.post(f"{NEW}/omschrijving", data={"description": "Boodschappen op vrijdag graag."})
    # Outside the worker's area: refused at the last step, shown on the address step.
    client.post(f"{NEW}/waar-wanneer", data={**WHERE_WHEN, "postcode": "5521",
                                             "wanted_on": in_a_week()})
    refused = client.post(f"{NEW}/controleren", data={})
    assert refused.status_code == 200
    assert "Deze postcode ligt niet in uw werkgebied." in refused.text
    assert 'value="5521"' in refused.text
    assert db.session.scalar(select(User).where(User.name == "Mevrouw Zonder Mail")) is None

    client.post(f"{NEW}/waar-wanneer", data={**WHERE_WHEN, "wanted_on": in_a_week()})
    assert client.post(f"{NEW}/controleren", data={}).status_code == 302
    created = db.session.scalar(select(HelpRequest))
    owner = db.session.get(User, created.owner_id)
    assert owner.name == "Mevrouw Zonder Mail" and owner.email is None
    assert owner.has_role("resident") and created.created_by_id == worker.id
    assert "geplaatst door welzijnswerker" in client.get(f"/hulpvragen/{created.id}").text

    client.post(NEW, data={"who": "existing", "email": "BEKEND@example.org", "consent": "y"})
    client.post(f"{NEW}/soort", data={"category": "garden"})
    client.post(f"{NEW}/omschrijving", data={"description": "Het gras moet gemaaid worden."})
    client.post(f"{NEW}/waar-wanneer", data={**WHERE_WHEN, "wanted_on": in_a_week()})
    assert "Bekende Inwoner" in client.get(f"{NEW}/controleren").text
    client.post(f"{NEW}/controleren", data={})
    assert db.session.scalar(select(HelpRequest).where(HelpRequest.category == "garden")) \
        .owner_id == known.id


def test_day_parts_are_kept_through_the_steps_and_shown(app, region, make_user):
    resident = make_user("resident")
    client = sign_in(app, resident)
    assert client.post(NEW, data={"category": "shopping", "for_whom": "self"}).status_code == 302
    client.post(f"{NEW}/omschrijving", data={
        "description": "Ik kan niet meer zelf naar de supermarkt. Wie helpt op vrijdag?"})

    step = client.get(f"{NEW}/waar-wanneer")
    assert "Welke dagdelen komen goed uit?" in step.text
    assert "Niets aangevinkt: het maakt niet uit." in step.text
    assert '<legend class="form-legend">Welke dagdelen komen goed uit?' in step.text
    assert 'value="tue_morning">' in step.text  # nothing ticked yet

    chosen = {"day_parts": ["tue_morning", "fri_evening"]}
    bad = client.post(f"{NEW}/waar-wanneer", data={**WHERE_WHEN, "postcode": "55", **chosen})
    assert bad.status_code == 200 and "Vul een postcode in zoals 5531 AB." in bad.text
    assert 'value="tue_morning" checked' in bad.text and 'value="fri_evening" checked' in bad.text
    assert 'value="mon_morning" checked' not in bad.text
    unknown = client.post(f"{NEW}/waar-wanneer",
                          data={**WHERE_WHEN, "wanted_on": in_a_week(), "day_parts": "someday"})
    assert unknown.status_code == 200 and "Kies uit de tabel." in unknown.text

    walk = client.post(f"{NEW}/waar-wanneer",
                       data={**WHERE_WHEN, "wanted_on": in_a_week(), **chosen})
    assert walk.headers["Location"].endswith(f"{NEW}/controleren")
    check = client.get(f"{NEW}/controleren")
    assert "dinsdag ochtend, vrijdag avond" in check.text
    back = client.get(f"{NEW}/waar-wanneer")  # "Wijzigen": the boxes are still ticked
    assert 'value="tue_morning" checked' in back.text and 'value="fri_evening" checked' in back.text

    sent = client.post(f"{NEW}/controleren", data={})
    created = db.session.scalar(select(HelpRequest).where(HelpRequest.owner_id == resident.id))
    assert sent.headers["Location"].endswith(f"/hulpvragen/{created.id}")
    assert created.day_parts == ["tue_morning", "fri_evening"]
    url = f"/hulpvragen/{created.id}"
    detail = client.get(url)
    assert "Dagdelen" in detail.text and "dinsdag ochtend, vrijdag avond" in detail.text

    form = client.get(f"{url}/wijzigen")
    assert 'value="fri_evening" checked' in form.text
    bad_edit = client.post(f"{url}/wijzigen", data={
        "category": "shopping", "description": "Ook de apotheek graag.", "postcode": "1000",
        "house_number": "12", "timing": "flexible", "urgency": "low",
        "day_parts": ["sat_afternoon"]})
    assert "Deze postcode kennen wij niet." in bad_edit.text
    assert 'value="sat_afternoon" checked' in bad_edit.text
    assert 'value="fri_evening" checked' not in bad_edit.text
    cleared = client.post(f"{url}/wijzigen", data={
        "category": "shopping", "description": "Ook de apotheek graag.", "postcode": "5527",
        "house_number": "12", "timing": "flexible", "urgency": "low"})
    assert cleared.headers["Location"].endswith(url)
    db.session.refresh(created)
    assert created.day_parts is None
    assert "Dagdelen" not in client.get(url).text


def posted(resident, **changes) -> HelpRequest:
    data = RequestInput(category="shopping", description="Boodschappen doen op vrijdag.",
                        postcode="5527", house_number="12", **changes)
    created = create_request(resident, data)
    db.session.commit()
    return created


def test_edit_withdraw_and_renew(app, region, make_user):
    resident = make_user("resident")
    created = posted(resident)
    client = sign_in(app, resident)
    url = f"/hulpvragen/{created.id}"

    form = client.get(f"{url}/wijzigen")
    assert form.status_code == 200 and 'value="5527"' in form.text
    bad = client.post(f"{url}/wijzigen", data={
        "category": "shopping", "description": "Ook de apotheek graag.", "postcode": "1000",
        "house_number": "12", "timing": "flexible", "urgency": "low"})
    assert "Deze postcode kennen wij niet." in bad.text and 'value="1000"' in bad.text
    assert "Ook de apotheek graag." in bad.text
    good = client.post(f"{url}/wijzigen", data={
        "category": "shopping", "description": "Ook de apotheek graag.", "postcode": "5531",
        "house_number": "12", "timing": "recurring", "recurrence": "elke vrijdag",
        "urgency": "low"})
    assert good.headers["Location"].endswith(url)
    db.session.refresh(created)
    assert (created.pc4, created.recurrence, created.urgency) == ("5531", "elke vrijdag", "low")
    assert "Vaker: elke vrijdag" in client.get(url).text

    assert "Langer open laten staan" not in client.get(url).text  # not near its end yet
    record_status(created, "expired", actor=None, reason="verlopen")
    db.session.commit()
    assert "Langer open laten staan" in client.get(url).text
    renewed = client.post(f"{url}/verlengen", follow_redirects=True)
    assert "staat weer open" in renewed.text and "We zoeken iemand" in renewed.text

    confirm = client.get(f"{url}/intrekken")
    assert "Wilt u de hulpvraag intrekken?" in confirm.text
    assert "Kies een reden." in client.post(f"{url}/intrekken", data={}).text
    done = client.post(f"{url}/intrekken", data={"reason": "own_network"}, follow_redirects=True)
    assert "Ingetrokken" in done.text and "Iemand uit mijn omgeving helpt al" in done.text
    db.session.refresh(created)
    assert created.status == "withdrawn"
    assert client.get(f"{url}/wijzigen", follow_redirects=True).request.path == url


def test_only_the_owner_and_area_workers_manage_a_request(app, region, make_user):
    bladel, eersel = region
    created = posted(make_user("resident"))
    url = f"/hulpvragen/{created.id}"
    stranger = sign_in(app, make_user("resident"))
    assert stranger.get(url).status_code == 404
    assert stranger.get("/hulpvragen/999999").status_code == 404
    # Exactly like a missing request (only the address in the language link differs).
    assert stranger.get(url).text.replace(url, "URL") == \
        stranger.get("/hulpvragen/999999").text.replace("/hulpvragen/999999", "URL")
    assert stranger.post(f"{url}/intrekken", data={"reason": "other"}).status_code == 404
    assert sign_in(app, make_user("worker", areas=(eersel,))).get(url).status_code == 404
    worker = sign_in(app, make_user("worker", areas=(bladel,)))
    assert worker.get(f"{url}/wijzigen").status_code == 200


def test_network_add_edit_delete(app, make_user):
    resident = make_user("resident")
    client = sign_in(app, resident)
    assert "Er staat nog niemand in uw netwerk." in client.get("/mijn-netwerk/").text

    bad = client.post("/mijn-netwerk/nieuw", data={"name": "", "relation": "boss",
                                                   "cannot_help": "Kan niet tillen"})
    assert bad.status_code == 200
    assert "Vul een naam in" in bad.text and "Kies wie dit is" in bad.text
    assert "Kan niet tillen" in bad.text

    added = client.post("/mijn-netwerk/nieuw", data={
        "name": "Anna", "relation": "family", "can_help": ["shopping", "transport"],
        "cannot_help": "Kan niet tillen"}, follow_redirects=True)
    assert "Anna staat nu in uw netwerk." in added.text
    assert "Boodschappen" in added.text and "Kan niet tillen" in added.text
    member = network_of(resident.id)[0]

    edited = client.post(f"/mijn-netwerk/{member.id}/wijzigen", data={
        "name": "Anna de Wit", "relation": "neighbour", "can_help": ["garden"]},
        follow_redirects=True)
    assert "Anna de Wit" in edited.text and "(buren)" in edited.text
    assert "Kan niet tillen" not in edited.text

    other = sign_in(app, make_user("resident"))
    assert other.get(f"/mijn-netwerk/{member.id}/wijzigen").status_code == 404
    assert other.post(f"/mijn-netwerk/{member.id}/verwijderen").status_code == 404

    confirm = client.get(f"/mijn-netwerk/{member.id}/verwijderen")
    assert "Wilt u Anna de Wit uit uw netwerk verwijderen?" in confirm.text
    gone = client.post(f"/mijn-netwerk/{member.id}/verwijderen", follow_redirects=True)
    assert "Anna de Wit staat niet meer in uw netwerk." in gone.text
    assert network_of(resident.id) == []


def test_the_network_comes_first_at_the_who_could_help_step(app, region, make_user):
    resident = make_user("resident")
    save_member(resident, name="Piet", relation="neighbour", can_help=["garden"])
    save_member(resident, name="Anna", relation="family", can_help=["shopping"])
    db.session.commit()
    client = sign_in(app, resident)
    client.post(NEW, data={"category": "shopping", "for_whom": "self"})
    page = client.get(f"{NEW}/omschrijving").text
    assert "Wie in uw omgeving zou hierbij kunnen helpen?" in page
    assert page.index("Anna (familie)") < page.index("Piet (buren)")
    assert "kan helpen met: Boodschappen" in page

    # Adding someone halfway keeps what was typed and comes back to this step.
    leave = client.post(f"{NEW}/omschrijving", data={
        "description": "Wie kan op vrijdag boodschappen doen?", "add_member": "y"})
    assert leave.headers["Location"].endswith("/mijn-netwerk/nieuw?terug=hulpvraag")
    back = client.post("/mijn-netwerk/nieuw?terug=hulpvraag", data={
        "name": "Mo", "relation": "friend", "can_help": ["shopping"]})
    assert back.headers["Location"].endswith(f"{NEW}/omschrijving")
    page = client.get(f"{NEW}/omschrijving").text
    assert "Wie kan op vrijdag boodschappen doen?" in page and "Mo (vrienden)" in page

    anna = next(m for m in network_of(resident.id) if m.name == "Anna")
    client.post(f"{NEW}/omschrijving", data={
        "description": "Wie kan op vrijdag boodschappen doen?", "asked": [str(anna.id)],
        "network_note": "Anna kan alleen in het weekend."})
    client.post(f"{NEW}/waar-wanneer", data={**WHERE_WHEN, "wanted_on": in_a_week()})
    check = client.get(f"{NEW}/controleren").text
    assert "Kan misschien helpen: Anna (familie)." in check
    client.post(f"{NEW}/controleren", data={})
    created = db.session.scalar(select(HelpRequest))
    assert created.network_note.startswith("Kan misschien helpen: Anna (familie).")
    assert "Anna kan alleen in het weekend." in created.network_note
