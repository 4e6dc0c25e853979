"""A resident without e-mail or login: the worker of the request's area answers a volunteer's
offer for them ("namens de inwoner"), recorded as given by the worker on the resident's
behalf — in the timeline, on the match and in the audit trail. Another area's worker gets
404, everyone else 403; brokered areas and the API stay as they were."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.accounts.models import AuditEvent
from marketplace.accounts.services import create_user
from marketplace.areas import settings as area_settings
from marketplace.brokering.models import Arrangement, Match
from marketplace.brokering.services import offer_help, propose_match
from marketplace.extensions import db
from marketplace.help_requests.models import RequestEvent
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.notifications.models import OutboxMessage
from marketplace.volunteers.services import ProfileInput, save_profile
from tests.conftest import TEST_PASSWORD


def sign_in(app, user):
    client = app.test_client()
    assert client.post("/inloggen", data={"email": user.email,
                                          "password": TEST_PASSWORD}).status_code == 302
    return client


def mail(template_key: str) -> list[OutboxMessage]:
    """Outbox messages whose dedupe key starts with this."""
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.dedupe_key.startswith(template_key))))


@pytest.fixture()
def case(app, make_user, make_area):
    """A peer-to-peer village: the worker typed in the request of a resident without e-mail
    or login, and a volunteer offered help; it waits for the resident."""
    bladel = make_area("GM1728", "municipality", pc4=("5527", "5531"))
    eersel = make_area("GM0770", "municipality", pc4=("5521",))
    area_settings.set_value(bladel, "brokering_mode", "peer_to_peer")
    worker = make_user("worker", name="Wendy Welzijn", areas=(bladel,), email="wendy@example.org")
    resident = create_user(None, "Mevrouw Jansen", roles=("resident",), actor_id=worker.id)
    request = create_request(worker, RequestInput(
        category="shopping", description="Boodschappen op dinsdag, ik loop slecht.",
        postcode="5527", house_number="4"), owner=resident)
    volunteer = make_user("volunteer", name="Vera Helper", email="vera@example.org")
    save_profile(volunteer, ProfileInput(skills=["shopping"], postcode="5531", radius_km=10))
    offer = offer_help(volunteer, request, "Ik kan op dinsdagochtend.")
    db.session.commit()
    return {"worker": worker, "resident": resident, "request": request, "volunteer": volunteer,
            "offer": offer, "stranger": make_user("worker", areas=(eersel,)),
            "bladel": bladel}


def url(case) -> str:
    return f"/hulpvragen/{case['request'].id}/aanbod/{case['offer'].id}/namens-inwoner"


def test_the_workers_hear_of_the_offer_and_see_it_on_the_worklist(app, case):
    assert case["offer"].awaiting == "resident"
    # Nobody mails a resident without an address; the case's worker hears it instead.
    assert [m.to_address for m in mail(f"offer:{case['offer'].id}:")] == ["wendy@example.org"]
    assert mail(f"offer:{case['offer'].id}:")[0].dedupe_key.endswith(
        f"for-resident:{case['worker'].id}")
    assert url(case) in mail(f"offer:{case['offer'].id}:")[0].body_text
    worker = sign_in(app, case["worker"])
    worklist = worker.get("/werk/").text
    assert "Vera Helper wil helpen" in worklist and url(case) in worklist
    detail = worker.get(f"/hulpvragen/{case['request'].id}").text
    assert "Aanbod, wacht op de inwoner" in detail and url(case) in detail


def test_the_worker_says_yes_for_the_resident(app, case):
    worker = sign_in(app, case["worker"])
    page = worker.get(url(case))
    assert page.status_code == 200
    assert "Vera Helper" in page.text and "Ik kan op dinsdagochtend." in page.text
    assert "geen e-mailadres" in page.text and "Telefonisch" in page.text
    missing_how = worker.post(url(case), data={"decision": "accept"})
    assert missing_how.status_code == 200 and "Kies hoe u het antwoord kreeg." in missing_how.text
    assert db.session.scalar(select(Arrangement)) is None

    done = worker.post(url(case), data={"decision": "accept", "how": "phone"})
    assert done.status_code == 302 and done.location.endswith(
        f"/hulpvragen/{case['request'].id}#werker")
    db.session.expire_all()
    offer, request = case["offer"], case["request"]
    assert (offer.status, offer.decided_by_id) == ("accepted", case["worker"].id)
    assert request.status == "matched"
    assert db.session.scalar(select(Arrangement)).volunteer_id == case["volunteer"].id
    moved = request.events[-1]
    assert (moved.to_status, moved.actor_id) == ("matched", case["worker"].id)
    assert moved.reason == "hulp gevonden; namens de inwoner ja gezegd (telefonisch)"
    audit = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "match.answered_for_resident"))
    assert (audit.actor_user_id, audit.on_behalf_of_user_id, audit.subject_user_id) == (
        case["worker"].id, case["resident"].id, case["resident"].id)
    assert (audit.object_type, audit.object_id) == ("match", offer.id)
    assert audit.detail == {"answer": "accepted", "how": "phone", "request_id": request.id}
    # The volunteer hears it as always; the resident has no address to mail.
    assert [m.to_address for m in mail(f"match:{offer.id}:accepted")] == ["vera@example.org"]

    detail = worker.get(f"/hulpvragen/{request.id}").text
    assert "namens de inwoner ja gezegd (telefonisch)" in detail
    assert "namens de inwoner, door Wendy Welzijn" in detail
    again = worker.post(url(case), data={"decision": "decline", "how": "phone"},
                        follow_redirects=True)
    assert "Op dit aanbod is al geantwoord." in again.text


def test_the_worker_says_no_for_the_resident(app, case):
    worker = sign_in(app, case["worker"])
    done = worker.post(url(case), data={"decision": "decline", "how": "visit",
                                        "reason": "Haar dochter doet het nu"})
    assert done.status_code == 302
    db.session.expire_all()
    offer, request = case["offer"], case["request"]
    assert (offer.status, offer.decided_by_id, offer.reason) == (
        "declined", case["worker"].id, "Haar dochter doet het nu")
    assert request.status == "open"
    event = request.events[-1]
    assert (event.from_status, event.to_status, event.actor_id) == (
        "open", "open", case["worker"].id)
    assert event.reason == ("namens de inwoner nee gezegd tegen het aanbod van Vera Helper "
                            "(bij een huisbezoek): Haar dochter doet het nu")
    assert db.session.scalar(select(AuditEvent.detail).where(
        AuditEvent.action == "match.answered_for_resident"))["answer"] == "declined"
    assert [m.to_address for m in mail(f"match:{offer.id}:declined")] == ["vera@example.org"]


def test_only_the_worker_of_the_area(app, case, make_user):
    for data in ({}, {"decision": "accept", "how": "phone"}):
        assert sign_in(app, case["stranger"]).post(url(case), data=data).status_code == 404
    assert sign_in(app, case["stranger"]).get(url(case)).status_code == 404
    assert sign_in(app, case["volunteer"]).get(url(case)).status_code == 403
    assert sign_in(app, case["volunteer"]).post(
        url(case), data={"decision": "accept", "how": "phone"}).status_code == 403
    other_resident = make_user("resident")
    assert sign_in(app, other_resident).post(
        url(case), data={"decision": "accept", "how": "phone"}).status_code == 403
    for role in ("municipality", "admin", "association", "partner"):
        assert sign_in(app, make_user(role)).get(url(case)).status_code == 403
    # The resident's own answer page stays the resident's: a worker may not use it.
    plain = sign_in(app, case["worker"]).post(
        f"/hulpvragen/{case['request'].id}/aanbod/{case['offer'].id}",
        data={"decision": "accept"})
    assert plain.status_code == 403
    db.session.expire_all()
    assert case["offer"].status == "proposed"
    assert db.session.scalar(select(RequestEvent).where(
        RequestEvent.reason.contains("namens"))) is None


def test_a_proposal_waiting_for_the_volunteer_is_not_the_residents(app, case, make_user):
    """Only what waits for the resident: a worker's proposal waits for the volunteer."""
    helper = make_user("volunteer", name="Piet")
    save_profile(helper, ProfileInput(skills=["shopping"], postcode="5531", radius_km=10))
    proposal = propose_match(case["worker"], case["request"], helper)
    db.session.commit()
    worker = sign_in(app, case["worker"])
    assert worker.get(f"/hulpvragen/{case['request'].id}/aanbod/{proposal.id}/namens-inwoner"
                      ).status_code == 404
    assert worker.get(f"/hulpvragen/{case['request'].id}/aanbod/{case['offer'].id + 999}"
                      "/namens-inwoner").status_code == 404


def test_brokered_areas_are_unchanged(app, case, make_user):
    """Where the worker decides, an offer waits for the worker as before: no 'for the
    resident' page, and the worker answers it as themselves."""
    area_settings.set_value(case["bladel"], "brokering_mode", "brokered")
    helper = make_user("volunteer", name="Piet")
    save_profile(helper, ProfileInput(skills=["shopping"], postcode="5531", radius_km=10))
    offer = offer_help(helper, case["request"])
    db.session.commit()
    assert offer.awaiting == "worker"
    worker = sign_in(app, case["worker"])
    assert worker.get(f"/hulpvragen/{case['request'].id}/aanbod/{offer.id}/namens-inwoner"
                      ).status_code == 404
    assert [m.to_address for m in mail(f"offer:{offer.id}:")] == ["wendy@example.org"]
    assert mail(f"offer:{offer.id}:")[0].dedupe_key == (
        f"offer:{offer.id}:worker:{case['worker'].id}")


def test_a_resident_with_a_login_is_shown_the_answer(app, case, make_user):
    """Allowed for every resident (who phoned the worker), but the page warns that they can
    answer themselves, and the resident gets the usual mail and sees who answered."""
    resident = make_user("resident", name="Riet Bakker", email="riet@example.org")
    request = create_request(resident, RequestInput(
        category="shopping", description="Boodschappen op vrijdag graag.", postcode="5527",
        house_number="8"))
    offer = offer_help(case["volunteer"], request)
    db.session.commit()
    assert [m.to_address for m in mail(f"offer:{offer.id}:")] == ["riet@example.org"]
    worker = sign_in(app, case["worker"])
    page_url = f"/hulpvragen/{request.id}/aanbod/{offer.id}/namens-inwoner"
    assert "kan ook zelf antwoorden" in worker.get(page_url).text
    assert worker.post(page_url, data={"decision": "accept", "how": "desk"}).status_code == 302
    assert sorted(m.to_address for m in mail(f"match:{offer.id}:accepted")) == [
        "riet@example.org", "vera@example.org"]
    own = sign_in(app, resident).get(f"/hulpvragen/{request.id}").text
    assert "door Wendy Welzijn" in own and "namens de inwoner ja gezegd" in own
    assert "aan de balie of op het spreekuur" in own


def test_the_api_answers_as_before(app, case, api_token):
    """CONTRACT.md §5: accept and decline stay the answerer's own; a worker's token on an
    offer that waits for the resident still gets 404."""
    token = api_token(case["worker"])
    for action in ("accept", "decline"):
        answer = app.test_client().post(f"/api/v1/matches/{case['offer'].id}/{action}",
                                        headers=token)
        assert answer.status_code == 404
    db.session.expire_all()
    assert db.session.get(Match, case["offer"].id).status == "proposed"
