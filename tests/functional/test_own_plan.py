"""The resident reads their own plan on their own request page: "Wat we samen hebben
afgesproken" (beacon 7; marketplace/casework/own_plan.py). Read-only, for the owner only:
the volunteer of the arrangement, the area's worker (who has the file), another resident and
a worker of another area do not see it; and nothing written for the worker reaches it."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from marketplace.brokering.services import accept, propose_match
from marketplace.casework import services as casework
from marketplace.casework.models import SupportPlan
from marketplace.casework.referrals import refer, save_partner
from marketplace.extensions import db
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.partners.models import PartnerActionReport
from marketplace.volunteers.services import ProfileInput, save_profile
from tests.conftest import TEST_PASSWORD

HEADING = "Wat we samen hebben afgesproken"
GOAL_OPEN = "Twee keer per week naar buiten"
GOAL_DONE = "Zelf de boodschappen bestellen op de tablet"
OWN_ACTION = "Belt elke maandag zijn dochter"
NETWORK_ACTION = "De buurman haalt op vrijdag de boodschappen"
PARTNER_ACTION = "Helpt met het ordenen van de post"
# Written for the worker, or about the resident: never on the resident's page.
INTERNAL = {
    "measure": "Maatstaf-kw7: hij gaat zelf naar de markt",
    "summary": "Samenvatting-kw7 voor collega's",
    "partner": "Schuldhulp Kempen-kw7",
    "partner note": "Partnermelding-kw7: wacht op papieren",
    "need": "Onderliggend-kw7: eenzaam sinds overlijden",
    "strength": "Eigen kracht-kw7: kookt nog zelf",
    "note": "Notitie-kw7: schulden bij de energieleverancier",
    "referral": "Verwijsreden-kw7: medicatie niet op orde",
    "consent purpose": "Doel-kw7 van de toestemming",
}
SCORES_SHOWN_AS = ("grote zorgen", "Financieel", "Psychisch", "Korte termijn")


def sign_in(app, user):
    client = app.test_client()
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


@pytest.fixture()
def world(app, make_area, make_user):
    bladel = make_area("GM1728", "municipality", pc4=("5527", "5531"))
    eersel = make_area("GM0770", "municipality", pc4=("5521",))
    worker = make_user("worker", areas=(bladel,))
    outsider = make_user("worker", areas=(eersel,))
    resident = make_user("resident", name="Riet Eigenplan")
    other = make_user("resident", name="Otto Anders")
    volunteer = make_user("volunteer", name="Vera Helpt")
    save_profile(volunteer, ProfileInput(skills=["shopping"], postcode="5531", radius_km=10))
    request = create_request(resident, RequestInput(
        category="shopping", description="Boodschappen graag", postcode="5527",
        house_number="1"))
    accept(volunteer, propose_match(worker, request, volunteer))
    others_request = create_request(other, RequestInput(
        category="shopping", description="Ook boodschappen", postcode="5527",
        house_number="3"))

    casework.save_intake(worker, resident, question_as_asked="Hulp met boodschappen",
                         underlying_need=INTERNAL["need"], own_strength=INTERNAL["strength"],
                         network_strength=None, consent_special_data=True,
                         consent_purpose=INTERNAL["consent purpose"],
                         scores={"financial": 1, "psychological": 2})
    casework.add_goal(resident, description=GOAL_OPEN, measure=INTERNAL["measure"],
                      term="short", target_on=date(2027, 6, 1))
    done = casework.add_goal(resident, description=GOAL_DONE, measure=None, term="long",
                             target_on=None)
    casework.set_goal_status(done, "achieved")
    casework.add_action(resident, actor="network", description=NETWORK_ACTION)
    casework.add_action(resident, actor="resident", description=OWN_ACTION).done = True
    partner = save_partner(INTERNAL["partner"], line=2)
    partner_action = casework.add_action(resident, actor="partner",
                                         description=PARTNER_ACTION, partner_id=partner.id)
    db.session.add(PartnerActionReport(action_id=partner_action.id, status="not_possible",
                                       note=INTERNAL["partner note"]))
    db.session.scalar(select(SupportPlan).where(
        SupportPlan.resident_id == resident.id)).summary = INTERNAL["summary"]
    casework.add_note(worker, resident, kind="note", body=INTERNAL["note"])
    refer(worker, resident, partner_id=partner.id, reason=INTERNAL["referral"], consent=True)
    db.session.commit()
    return {"worker": worker, "outsider": outsider, "resident": resident, "other": other,
            "volunteer": volunteer, "request": request, "others_request": others_request}


def page(app, user, request):
    response = sign_in(app, user).get(f"/hulpvragen/{request.id}")
    return response.status_code, response.get_data(as_text=True)


def test_the_owner_reads_goals_and_who_does_what_in_plain_words(app, world):
    status, html = page(app, world["resident"], world["request"])
    assert status == 200
    section = BeautifulSoup(html, "html.parser").select_one("section#afspraken")
    assert section is not None and HEADING in section.get_text()
    text = " ".join(section.get_text(" ").split())
    # The goals, with the target date when there is one, and whether each was attained.
    assert GOAL_OPEN in text and "1 juni 2027" in text and "Nog bezig" in text
    assert GOAL_DONE in text and "Gehaald" in text
    # What the resident does themselves comes under its own heading; the others say who.
    own = section.find("h3", string="Wat doet u zelf?").find_next("ul").get_text(" ")
    assert OWN_ACTION in own and "gedaan" in own and NETWORK_ACTION not in own
    others = section.find("h3", string="Wat doen anderen?").find_next("ul").get_text(" ")
    assert "Uw familie, buren of vrienden: " + NETWORK_ACTION in " ".join(others.split())
    assert "Een andere organisatie: " + PARTNER_ACTION in " ".join(others.split())
    assert OWN_ACTION not in others


def test_nothing_written_for_the_worker_reaches_the_owners_page(app, world):
    _status, html = page(app, world["resident"], world["request"])
    for what, marker in INTERNAL.items():
        assert marker not in html, what
    text = BeautifulSoup(html, "html.parser").select_one("section#afspraken").get_text()
    for shown_as in SCORES_SHOWN_AS:
        assert shown_as not in text, shown_as


@pytest.mark.parametrize("who", ["volunteer", "worker"])
def test_the_volunteer_and_the_worker_see_the_request_but_not_the_plan(app, world, who):
    status, html = page(app, world[who], world["request"])
    assert status == 200  # the volunteer of the arrangement and the area's worker: full view
    assert HEADING not in html and 'id="afspraken"' not in html
    for text in (GOAL_OPEN, GOAL_DONE, OWN_ACTION, NETWORK_ACTION, PARTNER_ACTION):
        assert text not in html, (who, text)


@pytest.mark.parametrize("who", ["other", "outsider"])
def test_another_resident_and_a_worker_of_another_area_get_404(app, world, who):
    status, html = page(app, world[who], world["request"])
    assert status == 404
    assert GOAL_OPEN not in html and OWN_ACTION not in html


def test_no_plan_or_an_empty_plan_shows_nothing(app, world):
    # Another resident, on their own request: no plan at all.
    _status, html = page(app, world["other"], world["others_request"])
    assert HEADING not in html
    # A plan row without goals or actions (as a worker's first save can leave it).
    db.session.add(SupportPlan(resident_id=world["other"].id, summary=INTERNAL["summary"]))
    db.session.commit()
    _status, html = page(app, world["other"], world["others_request"])
    assert HEADING not in html and INTERNAL["summary"] not in html
