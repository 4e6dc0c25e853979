"""A worker takes a request from first contact to its end in the browser: intake (the
question behind the question), plan, candidates (own network first), a proposal the
volunteer accepts through the API, the arrangement with its check-ins, and the evaluation
that closes the request and records how it was solved."""

from __future__ import annotations

import email
from datetime import timedelta
from email import policy

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from marketplace.brokering.models import Arrangement, Match
from marketplace.casework.models import Goal, Intake, LifeDomainScore
from marketplace.casework.referrals import save_partner
from marketplace.extensions import db
from marketplace.followup.models import Evaluation
from marketplace.followup.services import answer_token, checkins_of
from marketplace.help_requests.models import HelpRequest
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.residents.services import save_member
from marketplace.volunteers.services import ProfileInput, save_profile
from tests.conftest import TEST_PASSWORD


def sign_in(app, user):
    client = app.test_client()
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def text_of(html: str, selector: str) -> str:
    found = BeautifulSoup(html, "html.parser").select_one(selector)
    assert found is not None, selector
    return " ".join(found.get_text(" ").split())


@pytest.fixture()
def case(app, make_user, make_area):
    area = make_area("GM1728", "municipality", name="Bladel", pc4=("5527", "5531"))
    worker = make_user("worker", name="Wendy Werker", areas=(area,))
    resident = make_user("resident", name="Riet Jansen")
    volunteer = make_user("volunteer", name="Vera Vrijwilliger")
    save_profile(volunteer, ProfileInput(skills=["shopping"], postcode="5531", radius_km=10,
                                         availability=["tue_morning"]))
    save_member(resident, name="Buurman Bert", relation="neighbour", can_help=["shopping"])
    save_member(resident, name="Zus Anna", relation="family", can_help=["garden"])
    request = create_request(resident, RequestInput(
        category="shopping", description="Ik zoek hulp in het huishouden en met boodschappen.",
        postcode="5527", house_number="12"))
    db.session.commit()
    return {"area": area, "worker": worker, "resident": resident, "volunteer": volunteer,
            "request": request}


def mails_to(outbox, address: str) -> list[str]:
    found = []
    for raw in outbox():
        message = email.message_from_string(raw, policy=policy.default)
        if str(message["To"]) == address:
            found.append(f"{message['Subject']}\n{message.get_body(('plain',)).get_content()}")
    return found


def test_from_first_contact_to_a_closed_request(app, case, api_token, outbox_files):
    worker, resident, volunteer = case["worker"], case["resident"], case["volunteer"]
    request_id = case["request"].id
    browser = sign_in(app, worker)

    # The request page shows the worker's panel: own network first, then volunteers.
    page = browser.get(f"/hulpvragen/{request_id}")
    assert page.status_code == 200
    panel = text_of(page.text, "#netwerk")
    assert "Buurman Bert (buren)" in panel
    assert "Verder in het netwerk: Zus Anna (familie)" in panel
    assert page.text.index('id="netwerk"') < page.text.index('id="kandidaten"')
    candidates = text_of(page.text, "#kandidaten")
    assert "Vera Vrijwilliger" in candidates and "Score" in candidates and "km" in candidates
    assert "Voorstellen" in candidates

    # Intake: scores without consent are refused, and what was typed stays.
    intake_url = f"/dossier/{resident.id}/vraagverheldering?hulpvraag={request_id}"
    form_page = browser.get(intake_url)
    assert "Ik zoek hulp in het huishouden" in form_page.text  # the question as asked
    refused = browser.post(intake_url, data={
        "question_as_asked": "Hulp in het huishouden", "underlying_need": "Eenzaam sinds juni",
        "own_strength": "Kookt zelf", "network_strength": "Buurman Bert doet boodschappen",
        "score_social": "2", "consent_purpose": ""})
    assert refused.status_code == 200
    assert "Vraag eerst toestemming om gegevens over gezondheid en geld vast te leggen." \
        in refused.text
    assert "Eenzaam sinds juni" in refused.text and "Kookt zelf" in refused.text
    assert db.session.scalar(select(Intake.id)) is None
    saved = browser.post(intake_url, data={
        "question_as_asked": "Hulp in het huishouden", "underlying_need": "Eenzaam sinds juni",
        "own_strength": "Kookt zelf", "network_strength": "Buurman Bert doet boodschappen",
        "consent_special_data": "y", "consent_purpose": "Samen zien of het beter gaat",
        "score_social": "2", "score_psychological": "3", "score_housing": "4"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(
        f"/hulpvragen/{request_id}#werker")
    intake = db.session.scalar(select(Intake))
    assert (intake.question_as_asked, intake.underlying_need) == (
        "Hulp in het huishouden", "Eenzaam sinds juni")
    assert intake.request_id == request_id and intake.consent_at is not None
    assert db.session.get(HelpRequest, request_id).status == "clarifying"
    # Coming back: what was recorded is filled in, but consent is asked anew (never ticked
    # in advance).
    again = BeautifulSoup(browser.get(intake_url).text, "html.parser")
    assert not again.find("input", attrs={"name": "consent_special_data"}).has_attr("checked")
    assert again.find("input", attrs={"name": "consent_purpose"})["value"] == \
        "Samen zien of het beter gaat"

    # The plan: a goal that is too vague is explained; a measurable one is kept.
    vague = browser.post(f"/dossier/{resident.id}/plan/doel", data={
        "doel-description": "Uit", "doel-measure": "Elke dinsdag koffie", "doel-term": "short"})
    assert vague.status_code == 200
    assert "Beschrijf het doel concreet" in vague.text and "Elke dinsdag koffie" in vague.text
    good = browser.post(f"/dossier/{resident.id}/plan/doel", data={
        "doel-description": "Twee keer per week onder de mensen",
        "doel-measure": "Elke dinsdag naar de koffieochtend", "doel-term": "short",
        "doel-target_on": "1-9-2030", "doel-arrangement_id": ""})
    assert good.status_code == 302
    action = browser.post(f"/dossier/{resident.id}/plan/actie", data={
        "actie-actor": "network", "actie-description": "Buurman Bert doet de boodschappen",
        "actie-goal_id": "", "actie-partner_id": ""})
    assert action.status_code == 302
    plan_page = browser.get(f"/dossier/{resident.id}/plan")
    assert "Twee keer per week onder de mensen" in plan_page.text
    assert "Het netwerk (familie, buren, vrienden)" in plan_page.text

    # The question is clear: open it to volunteers, then propose one.
    assert browser.post(f"/hulpvragen/{request_id}/openzetten").status_code == 302
    assert db.session.get(HelpRequest, request_id).status == "open"
    proposed = browser.post(f"/hulpvragen/{request_id}/voorstellen",
                            data={"volunteer_id": str(volunteer.id)}, follow_redirects=True)
    assert "U heeft Vera Vrijwilliger gevraagd." in proposed.text
    assert "Voorgesteld, wacht op antwoord" in proposed.text
    assert any("Wilt u iemand helpen?" in mail for mail in mails_to(outbox_files,
                                                                    volunteer.email))

    # The volunteer accepts through the API: an arrangement with check-ins starts.
    match = db.session.scalar(select(Match))
    accepted = app.test_client().post(f"/api/v1/matches/{match.id}/accept",
                                      headers=api_token(volunteer))
    assert accepted.status_code == 200 and accepted.get_json()["arrangement_id"]
    arrangement = db.session.get(Arrangement, accepted.get_json()["arrangement_id"])
    first = checkins_of(arrangement)[0]
    token = answer_token(first, "resident", app.secret_key)
    answered = app.test_client().post(f"/hoe-gaat-het/{token}/going_well",
                                      data={"answer": "going_well"})
    assert answered.status_code == 200
    page = browser.get(f"/hulpvragen/{request_id}")
    shown = text_of(page.text, "#afspraak-werker")
    assert "Vera Vrijwilliger helpt sinds" in shown and "Na de eerste week" in shown
    assert "gaat goed" in shown
    assert "Eerder evalueren, verlengen of afsluiten" in shown  # not due yet

    # Past the planned end, the panel asks for the evaluation.
    arrangement.planned_end_on = arrangement.started_on - timedelta(days=1)
    db.session.commit()
    page = browser.get(f"/hulpvragen/{request_id}")
    assert "Het geplande einde is voorbij." in text_of(page.text, "#afspraak-werker")
    evaluation_url = f"/hoe-gaat-het/afspraken/{arrangement.id}/evaluatie"
    assert evaluation_url in page.text

    goal = db.session.scalar(select(Goal))
    form_page = browser.get(evaluation_url)
    assert form_page.status_code == 200 and "Twee keer per week onder de mensen" in form_page.text
    extension = browser.post(evaluation_url, data={
        f"goal_{goal.id}": "partly", "continuation": "extension", "extend_weeks": "4",
        "extension_reason": "", "note": "Gaat al beter"})
    assert extension.status_code == 200
    assert "Schrijf op waarom de hulp langer nodig is." in extension.text
    assert "Gaat al beter" in extension.text
    assert db.session.get(Goal, goal.id).status == "open"  # nothing saved

    done = browser.post(evaluation_url, data={
        f"goal_{goal.id}": "achieved", "score_social": "4", "score_psychological": "4",
        "continuation": "network", "solved_by": "", "note": "Bert blijft boodschappen doen"})
    assert done.status_code == 302 and done.headers["Location"].endswith(
        f"/hulpvragen/{request_id}#werker")
    db.session.expire_all()
    closed = db.session.get(HelpRequest, request_id)
    assert (closed.status, closed.solved_by) == ("closed", "own_network")
    assert db.session.get(Arrangement, arrangement.id).status == "ended"
    assert db.session.get(Goal, goal.id).status == "achieved"
    assert db.session.scalar(select(Evaluation.continuation)) == "network"
    assert set(db.session.scalars(select(LifeDomainScore.moment))) == {"intake", "evaluation"}

    # The file shows the change in life domains; the evaluation page shows the result.
    file_page = browser.get(f"/dossier/{resident.id}")
    row = text_of(file_page.text, "#leefgebieden tbody tr")
    assert "Sociaal" in row and "2 – zorgen" in row and "4 – gaat redelijk" in row
    assert "Deze afspraak is afgesloten." in browser.get(evaluation_url).text


def test_solved_by_can_be_chosen_and_extension_moves_the_end(app, case, api_token):
    worker, volunteer, request = case["worker"], case["volunteer"], case["request"]
    browser = sign_in(app, worker)
    browser.post(f"/hulpvragen/{request.id}/voorstellen", data={"volunteer_id": volunteer.id})
    match = db.session.scalar(select(Match))
    arrangement_id = app.test_client().post(f"/api/v1/matches/{match.id}/accept",
                                            headers=api_token(volunteer)).get_json()[
        "arrangement_id"]
    arrangement = db.session.get(Arrangement, arrangement_id)
    end = arrangement.planned_end_on
    url = f"/hoe-gaat-het/afspraken/{arrangement_id}/evaluatie"
    longer = browser.post(url, data={"continuation": "extension", "extend_weeks": "6",
                                     "extension_reason": "De buurman is pas in mei terug."})
    assert longer.status_code == 302
    db.session.expire_all()
    arrangement = db.session.get(Arrangement, arrangement_id)
    assert arrangement.planned_end_on == end + timedelta(weeks=6)
    assert arrangement.status == "active"
    # Scores without the resident's consent are not offered, and not taken.
    page = browser.get(url)
    assert "gaf (nog) geen toestemming" in page.text and 'name="score_social"' not in page.text
    ended = browser.post(url, data={"continuation": "none_needed", "solved_by": "worker",
                                    "score_social": "5"})
    assert ended.status_code == 302
    db.session.expire_all()
    assert db.session.get(HelpRequest, request.id).solved_by == "worker"
    assert db.session.scalar(select(LifeDomainScore.id)) is None


def test_bad_input_on_every_form_is_explained_never_a_server_error(app, case):
    worker, resident, request = case["worker"], case["resident"], case["request"]
    save_partner("Schuldhulp De Kempen", line=2)
    db.session.commit()
    browser = sign_in(app, worker)
    base = f"/dossier/{resident.id}"
    checks = [
        (f"{base}/vraagverheldering", {"question_as_asked": "", "own_strength": "Fietst nog"},
         "Schrijf op wat de inwoner vroeg", "Fietst nog"),
        (f"{base}/vraagverheldering", {"question_as_asked": "Hulp", "consent_special_data": "y",
                                       "score_physical": "9"}, "Kies uit de lijst.", None),
        (f"{base}/vraagverheldering", {"question_as_asked": "Hulp graag",
                                       "consent_special_data": "y", "consent_purpose": ""},
         "Schrijf op waarvoor de gegevens nodig zijn.", "Hulp graag"),
        (f"{base}/contact", {"kind": "follow_up", "body": "Bellen over de meterkast"},
         "Kies wanneer u het opvolgt.", "Bellen over de meterkast"),
        (f"{base}/contact", {"kind": "visit", "body": "", "follow_up_on": "31-02-2030"},
         "Vul een datum in zoals 25-12-2026.", None),
        (f"{base}/plan/actie", {"actie-actor": "wizard", "actie-description": "Iets doen"},
         "Kies wie dit doet.", "Iets doen"),
        (f"{base}/plan/doel", {"doel-description": "Elke week naar de markt",
                               "doel-term": "short", "doel-target_on": "morgen"},
         "Vul een datum in zoals 25-12-2026.", "Elke week naar de markt"),
        (f"{base}/verwijzen", {"reason": "Schulden", "partner_id": "", "request_id": ""},
         "Kies een organisatie uit de lijst.", "Schulden"),
    ]
    for url, data, message, kept in checks:
        response = browser.post(url, data=data)
        assert response.status_code == 200, (url, response.status_code)
        assert message in response.text, (url, message)
        if kept:
            assert kept in response.text, (url, kept)
    noted = browser.post(f"{base}/contact", data={"kind": "no_answer", "body": "",
                                                  "request_id": str(request.id)})
    assert noted.status_code == 302
    log = browser.get(f"{base}/contact")
    assert "Geen gehoor" in log.text
    # Proposing someone who is not a volunteer, or nobody, is explained on the request.
    nobody = browser.post(f"/hulpvragen/{request.id}/voorstellen", data={"volunteer_id": "x"},
                          follow_redirects=True)
    assert "Kies een vrijwilliger uit de lijst." in nobody.text
    not_one = browser.post(f"/hulpvragen/{request.id}/voorstellen",
                           data={"volunteer_id": str(resident.id)}, follow_redirects=True)
    assert "Deze persoon is (nog) geen vrijwilliger." in not_one.text

