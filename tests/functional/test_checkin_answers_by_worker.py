"""Check-ins of a resident without e-mail: the mail link never reaches them, so the worker of
the area writes down the answer they gave by phone (or the volunteer's). It counts as their
answer — "needs attention" still reaches the workers, a done check-in is no silence — and it
is recorded as entered by the worker: on the check-in, in the timeline, in the audit trail."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from marketplace.accounts.models import AuditEvent
from marketplace.accounts.services import create_user
from marketplace.brokering.services import accept, propose_match
from marketplace.extensions import db
from marketplace.followup.models import CheckIn
from marketplace.followup.services import answer_token, checkins_of
from marketplace.followup.sweeps import escalate_checkins, send_checkins
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.notifications.models import OutboxMessage
from marketplace.volunteers.services import ProfileInput, save_profile
from tests.conftest import TEST_PASSWORD


def sign_in(app, user):
    client = app.test_client()
    assert client.post("/inloggen", data={"email": user.email,
                                          "password": TEST_PASSWORD}).status_code == 302
    return client


def keys(prefix: str) -> list[str]:
    return list(db.session.scalars(select(OutboxMessage.dedupe_key).where(
        OutboxMessage.dedupe_key.startswith(prefix))))


@pytest.fixture()
def case(app, make_user, make_area):
    """Support for a resident without e-mail; its first check-in was asked (the volunteer got
    the mail, the resident nothing)."""
    bladel = make_area("GM1728", "municipality", pc4=("5527", "5531"))
    eersel = make_area("GM0770", "municipality", pc4=("5521",))
    worker = make_user("worker", name="Wendy Welzijn", areas=(bladel,), email="wendy@example.org")
    resident = create_user(None, "Meneer De Vries", roles=("resident",), actor_id=worker.id)
    request = create_request(worker, RequestInput(
        category="shopping", description="Boodschappen op dinsdag, ik loop slecht.",
        postcode="5527", house_number="4"), owner=resident)
    volunteer = make_user("volunteer", name="Vera Helper", email="vera@example.org")
    save_profile(volunteer, ProfileInput(skills=["shopping"], postcode="5531", radius_km=10))
    arrangement = accept(volunteer, propose_match(worker, request, volunteer))
    db.session.commit()
    first, *later = checkins_of(arrangement)
    asked_at = datetime.combine(first.due_on, time(9), tzinfo=UTC)
    send_checkins(asked_at)
    db.session.commit()
    return {"worker": worker, "resident": resident, "request": request, "volunteer": volunteer,
            "arrangement": arrangement, "checkin": first, "later": later[0],
            "asked_at": asked_at, "stranger": make_user("worker", areas=(eersel,))}


def url(case, checkin=None) -> str:
    return f"/hulpvragen/{case['request'].id}/hoe-gaat-het/{(checkin or case['checkin']).id}"


def test_the_worker_writes_down_the_residents_answer(app, case):
    checkin = case["checkin"]
    assert checkin.sent_at is not None
    assert keys(f"checkin:{checkin.id}:") == [f"checkin:{checkin.id}:volunteer"]
    worker = sign_in(app, case["worker"])
    detail = worker.get(f"/hulpvragen/{case['request'].id}").text
    assert "nog geen antwoord" in detail and url(case) in detail
    assert url(case, case["later"]) not in detail  # not asked yet: nothing to write down

    page = worker.get(url(case))
    assert page.status_code == 200
    assert "De inwoner (Meneer De Vries)" in page.text and "De vrijwilliger (Vera Helper)" in (
        page.text)
    missing = worker.post(url(case), data={"role": "resident", "answer": "going_well"})
    assert missing.status_code == 200 and "Kies hoe u het antwoord kreeg." in missing.text
    done = worker.post(url(case), data={"role": "resident", "answer": "going_well",
                                        "how": "phone"})
    assert done.status_code == 302
    db.session.expire_all()
    assert (checkin.resident_answer, checkin.resident_answer_by_id) == (
        "going_well", case["worker"].id)
    assert checkin.volunteer_answer is None and checkin.done_at is None
    event = case["request"].events[-1]
    assert (event.actor_id, event.from_status, event.to_status) == (
        case["worker"].id, "matched", "matched")
    assert event.reason == (f"hoe gaat het (moment van {checkin.due_on:%d-%m-%Y}): de inwoner "
                            "zegt: het gaat goed; telefonisch doorgegeven aan de welzijnswerker")
    audit = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "checkin.answered_for"))
    assert (audit.actor_user_id, audit.on_behalf_of_user_id, audit.subject_user_id) == (
        case["worker"].id, case["resident"].id, case["resident"].id)
    assert (audit.object_type, audit.object_id) == ("check_in", checkin.id)
    assert audit.detail == {"role": "resident", "answer": "going_well", "how": "phone",
                            "request_id": case["request"].id}
    detail = worker.get(f"/hulpvragen/{case['request'].id}").text
    assert "gaat goed (ingevuld door Wendy Welzijn)" in detail
    assert "hoe gaat het (moment van" in detail  # the timeline

    # Only the volunteer's answer is left to write down: it comes chosen, the resident's is
    # no choice any more.
    page = worker.get(url(case)).text
    assert "Meneer De Vries" not in page
    assert re.search(r'<input checked[^>]*name="role"[^>]*value="volunteer"', page)
    again = worker.post(url(case), data={"role": "resident", "answer": "needs_attention",
                                         "how": "phone"})
    assert again.status_code == 200 and "Kies wie het antwoord gaf." in again.text

    # The volunteer answers through their own link: done, and no silence to report.
    token = answer_token(checkin, "volunteer", app.secret_key)
    assert app.test_client().post(f"/hoe-gaat-het/{token}/going_well",
                                  data={"answer": "going_well"}).status_code == 200
    db.session.expire_all()
    assert checkin.done_at is not None and checkin.volunteer_answer_by_id is None
    assert escalate_checkins(case["asked_at"] + timedelta(days=6)) == 0
    nothing = worker.get(url(case), follow_redirects=True)
    assert "Hier valt niets meer in te vullen" in nothing.text


def test_without_an_answer_the_silence_is_reported_as_before(app, case):
    """Nothing written down: the worker hears of the silence once (the behaviour the worker's
    page puts an end to)."""
    assert escalate_checkins(case["asked_at"] + timedelta(days=6)) == 1
    assert keys(f"checkin:{case['checkin'].id}:escalation") == [
        f"checkin:{case['checkin'].id}:escalation:{case['worker'].id}"]


def test_needs_attention_written_down_reaches_the_workers_as_always(app, case):
    worker = sign_in(app, case["worker"])
    assert worker.post(url(case), data={"role": "volunteer", "answer": "going_well",
                                        "how": "phone"}).status_code == 302
    assert worker.post(url(case), data={"role": "resident", "answer": "needs_attention",
                                        "how": "desk"}).status_code == 302
    db.session.expire_all()
    checkin = case["checkin"]
    assert checkin.escalated_at is not None and checkin.done_at is not None
    # The case's own worker hears it (they proposed the volunteer, so they hold the case).
    assert keys(f"checkin:{checkin.id}:attention") == [
        f"checkin:{checkin.id}:attention:{case['worker'].id}"]
    worklist = worker.get("/werk/").text
    assert "Aandacht nodig:" in worklist
    assert db.session.scalar(select(AuditEvent.on_behalf_of_user_id).where(
        AuditEvent.action == "checkin.answered_for",
        AuditEvent.detail["role"].as_string() == "volunteer")) == case["volunteer"].id


def test_the_persons_own_link_still_counts(app, case):
    """The worker wrote down the volunteer's answer; the volunteer's own answer later
    replaces it, and then it is no longer marked as the worker's."""
    worker = sign_in(app, case["worker"])
    worker.post(url(case), data={"role": "volunteer", "answer": "going_well", "how": "phone"})
    db.session.expire_all()
    assert case["checkin"].volunteer_answer_by_id == case["worker"].id
    token = answer_token(case["checkin"], "volunteer", app.secret_key)
    app.test_client().post(f"/hoe-gaat-het/{token}/needs_attention",
                           data={"answer": "needs_attention"})
    db.session.expire_all()
    assert (case["checkin"].volunteer_answer, case["checkin"].volunteer_answer_by_id) == (
        "needs_attention", None)


def test_only_the_worker_of_the_area(app, case, make_user):
    data = {"role": "resident", "answer": "going_well", "how": "phone"}
    stranger = sign_in(app, case["stranger"])
    assert stranger.get(url(case)).status_code == 404
    assert stranger.post(url(case), data=data).status_code == 404
    for user in (case["volunteer"], make_user("resident"), make_user("municipality"),
                 make_user("admin"), make_user("partner"), make_user("association")):
        client = sign_in(app, user)
        assert client.get(url(case)).status_code == 403
        assert client.post(url(case), data=data).status_code == 403
    # A check-in of another request, under this request's address: 404.
    other = create_request(case["worker"], RequestInput(
        category="shopping", description="Nog een hulpvraag in het dorp.", postcode="5527",
        house_number="6"), owner=case["resident"])
    db.session.commit()
    worker = sign_in(app, case["worker"])
    assert worker.get(f"/hulpvragen/{other.id}/hoe-gaat-het/{case['checkin'].id}"
                      ).status_code == 404
    assert worker.get(f"/hulpvragen/{case['request'].id}/hoe-gaat-het/99999999999"
                      ).status_code == 404
    db.session.expire_all()
    assert db.session.get(CheckIn, case["checkin"].id).resident_answer is None


def test_not_asked_yet_or_support_ended(app, case):
    worker = sign_in(app, case["worker"])
    early = worker.get(url(case, case["later"]), follow_redirects=True)
    assert "Hier valt niets meer in te vullen" in early.text
    assert worker.post(url(case, case["later"]), data={
        "role": "resident", "answer": "going_well", "how": "phone"}).status_code == 302
    db.session.expire_all()
    assert case["later"].resident_answer is None
