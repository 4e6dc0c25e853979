"""Acting on an unassigned case takes it on: a proposal or an intake assigns the request to
the worker (recorded in the timeline), unless it is someone else's."""

from __future__ import annotations

import pytest

from marketplace.brokering import services as brokering
from marketplace.casework.services import save_intake
from marketplace.extensions import db
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.volunteers.services import ProfileInput, save_profile


@pytest.fixture()
def take_world(app, make_user, make_area):
    area = make_area("GM1728", "municipality", name="Bladel", pc4=("5527", "5531"))
    worker = make_user("worker", areas=(area,), name="Wil Werker")
    colleague = make_user("worker", areas=(area,), name="Cor Collega")
    volunteer = make_user("volunteer")
    save_profile(volunteer, ProfileInput(skills=["garden"], postcode="5527", radius_km=5))
    resident = make_user("resident")
    requests = [create_request(resident, RequestInput(
        category="garden", description="De heg moet gesnoeid worden, graag hulp.",
        postcode="5527 AB", house_number=str(n))) for n in (1, 2, 3)]
    db.session.commit()
    return {"worker": worker, "colleague": colleague, "volunteer": volunteer,
            "resident": resident, "requests": requests}


def test_a_proposal_takes_the_unassigned_case_on(take_world):
    request = take_world["requests"][0]
    brokering.propose_match(take_world["worker"], request, take_world["volunteer"])
    db.session.commit()
    assert request.assigned_worker_id == take_world["worker"].id
    assert "opgepakt door Wil Werker" in request.events[-1].reason


def test_someone_elses_case_stays_theirs(take_world):
    request = take_world["requests"][1]
    request.assigned_worker_id = take_world["colleague"].id
    db.session.commit()
    brokering.propose_match(take_world["worker"], request, take_world["volunteer"])
    db.session.commit()
    assert request.assigned_worker_id == take_world["colleague"].id


def test_an_intake_takes_the_case_on(take_world):
    request = take_world["requests"][2]
    save_intake(take_world["worker"], take_world["resident"],
                question_as_asked="Hulp bij de tuin", underlying_need=None, own_strength=None,
                network_strength=None, consent_special_data=False, consent_purpose=None,
                scores={}, request=request)
    db.session.commit()
    assert request.assigned_worker_id == take_world["worker"].id


def test_a_volunteers_offer_reads_as_waiting_for_the_workers_decision(app, take_world):
    from tests.security.security_support import sign_in

    request = take_world["requests"][0]
    match = brokering.offer_help(take_world["volunteer"], request, "Ik snoei graag.")
    db.session.commit()
    assert match.awaiting == "worker"
    page = sign_in(app, take_world["worker"]).get(f"/hulpvragen/{request.id}").text
    assert "Aanbod, wacht op uw besluit" in page
    assert 'href="#aanbod"' in page and 'id="aanbod"' in page  # the decision, next to it
    assert "Voorgesteld, wacht op antwoord" not in page
