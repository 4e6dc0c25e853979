"""The worker closes a request without a volunteer from the request page: solved by the own
network, by the worker, or not solved; per-field errors keep what was typed."""

from __future__ import annotations

import pytest

from marketplace.brokering.services import accept, propose_match
from marketplace.extensions import db
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.volunteers.services import ProfileInput, save_profile
from tests.conftest import TEST_PASSWORD


def sign_in(app, user):
    client = app.test_client()
    assert client.post("/inloggen", data={"email": user.email,
                                          "password": TEST_PASSWORD}).status_code == 302
    return client


@pytest.fixture()
def people(app, make_user, make_area):
    area = make_area("GM1728", "municipality", pc4=("5527", "5531"))
    other = make_area("GM0770", "municipality", pc4=("5521",))
    resident = make_user("resident", name="Karel Smit")
    request = create_request(resident, RequestInput(
        category="shopping", description="Boodschappen op dinsdag graag.", postcode="5527",
        house_number="3"))
    db.session.commit()
    return {"worker": make_user("worker", areas=(area,)), "resident": resident,
            "stranger": make_user("worker", areas=(other,)), "request": request,
            "volunteer": make_user("volunteer")}


def test_worker_closes_a_request_solved_by_the_network(app, people):
    worker, request = sign_in(app, people["worker"]), people["request"]
    detail = worker.get(f"/hulpvragen/{request.id}")
    assert f"/hulpvragen/{request.id}/afsluiten" in detail.text
    page = worker.get(f"/hulpvragen/{request.id}/afsluiten")
    assert page.status_code == 200
    assert "<legend" in page.text and "Door het eigen netwerk" in page.text
    blank = worker.post(f"/hulpvragen/{request.id}/afsluiten",
                        data={"note": "De dochter komt elke week"})
    assert blank.status_code == 200
    assert "Kies hoe de vraag is opgelost." in blank.text
    assert "De dochter komt elke week" in blank.text  # what was typed stays
    done = worker.post(f"/hulpvragen/{request.id}/afsluiten", data={
        "solved_by": "own_network", "note": "De dochter komt elke week"})
    assert done.status_code == 302 and done.location.endswith(f"/hulpvragen/{request.id}#werker")
    db.session.expire_all()
    assert (request.status, request.solved_by) == ("closed", "own_network")
    assert (request.events[-1].actor_id, request.events[-1].reason) == (
        people["worker"].id, "De dochter komt elke week")
    assert f"/hulpvragen/{request.id}/afsluiten" not in worker.get(
        f"/hulpvragen/{request.id}").text
    again = worker.post(f"/hulpvragen/{request.id}/afsluiten", data={"solved_by": "worker"},
                        follow_redirects=True)
    assert "Deze hulpvraag is al afgesloten." in again.text
    db.session.expire_all()
    assert request.solved_by == "own_network"


def test_only_workers_of_the_area_and_not_while_a_volunteer_helps(app, people):
    request = people["request"]
    url = f"/hulpvragen/{request.id}/afsluiten"
    assert sign_in(app, people["stranger"]).get(url).status_code == 404
    assert sign_in(app, people["stranger"]).post(url, data={"solved_by": "worker"}
                                                 ).status_code == 404
    assert sign_in(app, people["resident"]).get(url).status_code == 403
    assert sign_in(app, people["worker"]).post(url, data={"solved_by": "volunteer"}
                                               ).status_code == 200  # not a choice here
    save_profile(people["volunteer"], ProfileInput(skills=["shopping"], postcode="5531",
                                                   radius_km=10))
    accept(people["volunteer"], propose_match(people["worker"], request, people["volunteer"]))
    db.session.commit()
    worker = sign_in(app, people["worker"])
    assert url not in worker.get(f"/hulpvragen/{request.id}").text
    busy = worker.post(url, data={"solved_by": "worker"}, follow_redirects=True)
    assert "Sluit die af met de evaluatie." in busy.text
    db.session.expire_all()
    assert request.status == "matched"
