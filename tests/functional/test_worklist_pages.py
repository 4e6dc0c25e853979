"""The worker's worklist in the browser: what waits in their areas, taking a case, giving it
to a colleague (recorded in the request's timeline), the own caseload, and the coordinator's
view of the team's caseload with reassignment to balance it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from marketplace.brokering.models import Arrangement, Match
from marketplace.brokering.worklist import caseload, worklist
from marketplace.casework.models import PartnerOrganisation, Referral, ResidentArea
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from marketplace.help_requests.services import RequestInput, create_request, record_status
from marketplace.signals import services as signals
from marketplace.teams.services import save_team, set_member
from tests.conftest import TEST_PASSWORD


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
        "resident": make_user("resident", name="Inge Inwoner"),
        "volunteer": make_user("volunteer", name="Vera Vrijwilliger"),
        "worker": make_user("worker", name="Wim Werker", areas=(bladel,)),
        "colleague": make_user("worker", name="Cor Collega", areas=(bladel,)),
        "coordinator": make_user("worker", name="Coby Coördinator", areas=(bladel,)),
        "other_worker": make_user("worker", name="Olga Elders", areas=(eersel,)),
    }


def sign_in(app, user):
    client = app.test_client()
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def new_request(resident, *, category="shopping", postcode="5527 AB", days_ago=0):
    created = create_request(resident, RequestInput(
        category=category, description="Boodschappen op vrijdag, ik loop slecht.",
        postcode=postcode, house_number="17"), now=clock_now() - timedelta(days=days_ago))
    db.session.commit()
    return created


def arrangement_for(request, volunteer, *, status, ends_in_days):
    match = Match(request_id=request.id, volunteer_id=volunteer.id, status="accepted",
                  origin="worker")
    db.session.add(match)
    db.session.flush()
    arrangement = Arrangement(request_id=request.id, match_id=match.id,
                              volunteer_id=volunteer.id, status=status,
                              started_on=today() - timedelta(weeks=6),
                              planned_end_on=today() + timedelta(days=ends_in_days))
    db.session.add(arrangement)
    record_status(request, "matched", actor=None, reason="test")
    db.session.commit()
    return arrangement


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.text, "html.parser").get_text(" ").split())


def section(response, anchor: str):
    return BeautifulSoup(response.text, "html.parser").find(id=anchor)


@pytest.fixture()
def everything(people):
    """One item for every section of the worklist, in Hapert (Bladel)."""
    resident, volunteer = people["resident"], people["volunteer"]
    fresh = new_request(resident)
    stale = new_request(resident, category="garden", days_ago=10)
    offered = new_request(resident, category="odd_jobs")
    db.session.add(Match(request_id=offered.id, volunteer_id=volunteer.id, status="proposed",
                         origin="offer", awaiting="worker"))
    ending = arrangement_for(new_request(resident, category="transport"), volunteer,
                             status="ending", ends_in_days=5)
    overdue = arrangement_for(new_request(resident, category="companionship"), volunteer,
                              status="active", ends_in_days=-3)
    partner = PartnerOrganisation(name="GGZ Kempen", line=2)
    db.session.add_all([partner, ResidentArea(resident_id=resident.id, pc4="5527",
                                              area_id=fresh.area_id)])
    db.session.flush()
    referral = Referral(resident_id=resident.id, request_id=fresh.id, partner_id=partner.id,
                        reason="Somberheid", consent_at=datetime.now(UTC), status="sent")
    db.session.add(referral)
    signal = signals.report(resident, postcode="5527", concern="Buurman is erg vergeetachtig.")
    db.session.commit()
    return {"fresh": fresh, "stale": stale, "offered": offered, "ending": ending,
            "overdue": overdue, "referral": referral, "signal": signal}


def test_worklist_shows_every_section_with_counts_and_links(app, people, everything):
    response = sign_in(app, people["worker"]).get("/werk/")
    assert response.status_code == 200
    words = text_of(response)
    links = {a["href"] for a in BeautifulSoup(response.text, "html.parser").find_all("a")}
    e = everything
    assert f"/signalen/{e['signal'].id}" in links
    for key in ("fresh", "stale", "offered"):
        assert f"/hulpvragen/{e[key].id}" in links
    assert f"/hulpvragen/{e['ending'].request_id}" in links
    assert f"/hulpvragen/{e['overdue'].request_id}" in links
    assert "Zorgsignalen (1)" in words and "Vrijwilligers die willen helpen (1)" in words
    assert "Hulpvragen die al lang open staan (1)" in words
    assert "Afspraken die bijna aflopen (1)" in words and "Evaluaties te laat (1)" in words
    assert "Verwijzingen die wachten (1)" in words and "GGZ Kempen" in words
    assert "Vera Vrijwilliger wil helpen" in words
    new_section = section(response, "nieuw")
    assert f"/hulpvragen/{e['fresh'].id}" in str(new_section)
    assert "Neem deze zaak" in new_section.get_text()
    assert "Geef aan een collega" in new_section.get_text()
    assert "Werklijst" in words  # the navigation item

    found = worklist(people["worker"])
    assert [s.id for s in found.signals] == [e["signal"].id]
    assert found.total == len(found.new_requests) + 6

    elsewhere = sign_in(app, people["other_worker"]).get("/werk/")
    assert elsewhere.status_code == 200
    assert not re.search(r"/hulpvragen/[0-9]", elsewhere.text)
    assert "/signalen/" not in elsewhere.text.replace('href="/signalen/"', "")
    assert "GGZ Kempen" not in elsewhere.text
    assert sign_in(app, people["resident"]).get("/werk/").status_code == 403


def test_take_a_case_is_recorded_in_the_timeline(app, people):
    request = new_request(people["resident"])
    worker = sign_in(app, people["worker"])
    response = worker.post(f"/werk/hulpvragen/{request.id}/oppakken", data={"terug": "werklijst"})
    assert response.status_code == 302 and response.headers["Location"] == "/werk/"
    taken = db.session.get(HelpRequest, request.id)
    assert taken.assigned_worker_id == people["worker"].id
    assert taken.events[-1].reason == "toegewezen aan Wim Werker"
    assert taken.events[-1].actor_id == people["worker"].id
    # Off the "new" list, onto the own cases.
    assert f"/hulpvragen/{request.id}" not in str(section(worker.get("/werk/"), "nieuw"))
    assert "U heeft 1 open zaak." in text_of(worker.get("/werk/mijn-zaken"))
    again = worker.post(f"/werk/hulpvragen/{request.id}/oppakken", follow_redirects=True)
    assert "Wim Werker heeft deze zaak al." in text_of(again)
    assert len(db.session.get(HelpRequest, request.id).events) == len(taken.events)

    other = sign_in(app, people["other_worker"])
    assert other.post(f"/werk/hulpvragen/{request.id}/oppakken").status_code == 404
    assert other.get(f"/werk/hulpvragen/{request.id}/overdragen").status_code == 404
    assert other.post("/werk/hulpvragen/99999999999/oppakken").status_code == 404


def test_give_to_a_colleague_with_a_reason(app, people):
    request = new_request(people["resident"])
    worker = sign_in(app, people["worker"])
    worker.post(f"/werk/hulpvragen/{request.id}/oppakken")
    url = f"/werk/hulpvragen/{request.id}/overdragen"
    page = worker.get(url + "?terug=mijn-zaken")
    assert page.status_code == 200
    options = [o.get_text() for o in BeautifulSoup(page.text, "html.parser").select(
        "select[name=worker_id] option")]
    assert "Cor Collega" in options and "Olga Elders" not in options
    assert not [o for o in options if "Wim Werker" in o]  # already holds it

    response = worker.post(url, data={"worker_id": people["colleague"].id, "reason": ""})
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    chosen = soup.select_one("select[name=worker_id] option[selected]")
    assert chosen is not None and chosen.get_text() == "Cor Collega"
    assert "Schrijf kort waarom u de zaak doorgeeft." in text_of(response)
    response = worker.post(url, data={"worker_id": people["other_worker"].id,
                                      "reason": "Olga heeft tijd"})
    assert "Kies een collega uit de lijst." in text_of(response)
    assert "Olga heeft tijd" in response.text  # what was typed stays
    for junk in ("abc", "\x00", "99999999999999999999", "-1"):
        assert worker.post(url, data={"worker_id": junk, "reason": "x"}).status_code == 200

    response = worker.post(url, data={"worker_id": people["colleague"].id,
                                      "reason": "Ik ben drie weken met verlof",
                                      "terug": "mijn-zaken"})
    assert response.status_code == 302 and response.headers["Location"] == "/werk/mijn-zaken"
    moved = db.session.get(HelpRequest, request.id)
    assert moved.assigned_worker_id == people["colleague"].id
    assert moved.events[-1].reason == (
        "overgedragen van Wim Werker aan Cor Collega: Ik ben drie weken met verlof")
    assert caseload([people["worker"].id, people["colleague"].id]) == {
        people["worker"].id: 0, people["colleague"].id: 1}

    # A closed request cannot be passed on.
    record_status(moved, "closed", actor=None, reason="test")
    db.session.commit()
    response = worker.get(url)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/hulpvragen/{request.id}")


def test_caseload_counts_requests_and_signals(app, people):
    worker = people["worker"]
    first, second = new_request(people["resident"]), new_request(people["resident"])
    signal = signals.report(people["resident"], postcode="5531",
                            concern="Mevrouw komt niet meer naar de soos.")
    db.session.commit()
    client = sign_in(app, worker)
    for request in (first, second):
        client.post(f"/werk/hulpvragen/{request.id}/oppakken")
    client.post(f"/signalen/{signal.id}/toewijzen", data={"worker_id": worker.id,
                                                         "terug": "werklijst"})
    assert caseload([worker.id]) == {worker.id: 3}
    page = client.get("/werk/mijn-zaken")
    words = text_of(page)
    assert "U heeft 3 open zaken." in words
    assert "Zorgsignalen (1)" in words and "Hulpvragen (2)" in words
    assert f"/signalen/{signal.id}" in page.text
    assert "Mijn zaken (3)" in text_of(client.get("/werk/"))


def test_coordinator_sees_the_team_caseload_and_rebalances(app, people, region):
    bladel, _eersel = region
    team = save_team(bladel, "Wijkteam Bladel")
    for who in ("worker", "colleague"):
        set_member(team, people[who])
    set_member(team, people["coordinator"], coordinator=True)
    db.session.commit()
    requests = [new_request(people["resident"]) for _ in range(3)]
    busy = sign_in(app, people["worker"])
    for request in requests:
        busy.post(f"/werk/hulpvragen/{request.id}/oppakken")

    lead = sign_in(app, people["coordinator"])
    assert f"/werk/teams/{team.id}" in lead.get("/werk/").text
    page = lead.get(f"/werk/teams/{team.id}")
    assert page.status_code == 200
    rows = [[c.get_text(" ", strip=True) for c in tr.find_all("td")]
            for tr in BeautifulSoup(page.text, "html.parser").select("tbody tr")]
    assert rows[0][0] == "Wim Werker" and rows[0][1].startswith("3")
    assert ["Cor Collega", "0", "0"] in rows
    assert "Gemiddeld: 1" in text_of(page)

    transfer = f"/werk/hulpvragen/{requests[0].id}/overdragen"
    assert f"terug=team-{team.id}" in page.text
    response = lead.post(transfer, data={"worker_id": people["colleague"].id,
                                         "reason": "Werk eerlijk verdelen",
                                         "terug": f"team-{team.id}"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/werk/teams/{team.id}"
    assert caseload([people["worker"].id, people["colleague"].id]) == {
        people["worker"].id: 2, people["colleague"].id: 1}
    event = db.session.get(HelpRequest, requests[0].id).events[-1]
    assert event.actor_id == people["coordinator"].id
    assert "Werk eerlijk verdelen" in event.reason

    # Members who do not coordinate, and other teams, are not shown to anyone else.
    assert busy.get(f"/werk/teams/{team.id}").status_code == 404
    assert lead.get("/werk/teams/99999999999").status_code == 404
    assert sign_in(app, people["other_worker"]).get(f"/werk/teams/{team.id}").status_code == 404
    assert db.session.scalars(select(HelpRequest)).all()
