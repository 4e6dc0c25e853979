"""Volunteer care per area: the worker's page (skills, load, last activity, pause, VOG,
not matched in 60 days, open vacancies), the contact mail, and the VOG-expiry sweep."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
import time_machine
from sqlalchemy import select

from marketplace.clock import DOMAIN_TZ
from marketplace.extensions import db
from marketplace.notifications.models import OutboxMessage
from marketplace.volunteers.services import ProfileInput, save_profile
from tests.conftest import TEST_PASSWORD

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=DOMAIN_TZ)


@pytest.fixture()
def care_world(app, make_user, make_area):
    with time_machine.travel(datetime(2026, 6, 1, 10, 0, tzinfo=DOMAIN_TZ), tick=False):
        area = make_area("GM1728", "municipality", name="Bladel", pc4=("5527", "5531"))
        elsewhere = make_area("GM0861", "municipality", name="Veldhoven", pc4=("5501",))
        worker = make_user("worker", areas=(area,))
        quiet = make_user("volunteer", name="Stille Sanne")
        save_profile(quiet, ProfileInput(skills=["garden"], postcode="5527", radius_km=5,
                                         has_vog=True, vog_valid_until=date(2027, 1, 15)))
        paused = make_user("volunteer", name="Pauze Piet")
        save_profile(paused, ProfileInput(skills=["shopping", "pets"], postcode="5531",
                                          radius_km=5, paused_until=date(2027, 2, 1)))
        far = make_user("volunteer", name="Verre Vera")
        save_profile(far, ProfileInput(skills=["garden"], postcode="5501", radius_km=5))
        db.session.commit()
    return {"area": area, "elsewhere": elsewhere, "worker": worker, "quiet": quiet,
            "paused": paused, "far": far}


def _login(client, user):
    assert client.post("/inloggen", data={"email": user.email,
                                          "password": TEST_PASSWORD}).status_code == 302


def test_care_page_lists_the_area_volunteers_with_their_state(client, care_world):
    with time_machine.travel(NOW, tick=False):
        _login(client, care_world["worker"])
        page = client.get("/werk/vrijwilligers/").get_data(as_text=True)
        assert client.get("/werk/vrijwilligers/?gebied=GM0861").status_code == 404
    assert "Stille Sanne" in page and "Pauze Piet" in page
    assert "Verre Vera" not in page  # lives in another area
    assert "loopt af op 15 januari 2027" in page
    assert "tot 1 februari 2027" in page  # the pause
    assert "60 dagen niets gevraagd" in page
    assert "0 van 2" in page


def test_contact_mail_goes_through_the_outbox_and_other_areas_are_404(client, care_world):
    with time_machine.travel(NOW, tick=False):
        _login(client, care_world["worker"])
        quiet = care_world["quiet"]
        form = client.get(f"/werk/vrijwilligers/{quiet.id}/contact?gebied=GM1728")
        assert form.status_code == 200 and "Hoe gaat het met u?" in form.get_data(as_text=True)
        empty = client.post(f"/werk/vrijwilligers/{quiet.id}/contact", data={"message": ""})
        assert empty.status_code == 200 and "Schrijf een kort bericht" in empty.get_data(
            as_text=True)
        sent = client.post(f"/werk/vrijwilligers/{quiet.id}/contact",
                           data={"message": "Heeft u zin in een nieuwe klus?",
                                 "gebied": "GM1728"})
        assert sent.status_code == 302
        assert client.get(f"/werk/vrijwilligers/{care_world['far'].id}/contact").status_code \
            == 404
    mail = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.to_address == quiet.email))
    assert "Heeft u zin in een nieuwe klus?" in mail.body_text


def test_vog_expiry_reminder_once_per_end_date(runner, care_world):
    def run(at: str) -> dict:
        result = runner.invoke(args=["jobs", "run-due", "--at", at])
        assert result.exit_code == 0, result.output
        return json.loads(result.output.strip().splitlines()[-1])

    assert run("2026-11-01T07:20")["vog_expiring"] == 0  # 75 days before: not yet
    assert run("2026-11-20T07:20")["vog_expiring"] == 1  # within 60 days
    assert run("2026-11-21T07:20")["vog_expiring"] == 0  # once
    keys = db.session.scalars(select(OutboxMessage.dedupe_key).where(
        OutboxMessage.dedupe_key.like("vog:%"))).all()
    assert keys == [f"vog:{care_world['quiet'].id}:2027-01-15"]


def test_care_page_and_batch_plan_queries_do_not_grow_with_volunteers(client, care_world,
                                                                      make_user):
    """Counted, not timed: ten more volunteers (and requests) add no statement."""
    from marketplace.brokering import batch_proposals
    from marketplace.help_requests.services import RequestInput, create_request
    from tests.perf_support import count_queries, page_queries

    def measure() -> tuple[int, int]:
        db.session.expire_all()
        with count_queries(db.engine) as log:
            batch_proposals.plan(care_world["area"])
        db.session.rollback()
        page_queries(client, "/werk/vrijwilligers/")  # the first view after a commit
        return page_queries(client, "/werk/vrijwilligers/")[1].count, log.count

    with time_machine.travel(NOW, tick=False):
        _login(client, care_world["worker"])
        resident = make_user("resident")
        create_request(resident, RequestInput(category="garden", description="Graag hulp "
                       "in de tuin, het lukt niet meer.", postcode="5527 AB", house_number="1"))
        db.session.commit()
        page_before, plan_before = measure()
        for n in range(10):
            extra = make_user("volunteer")
            save_profile(extra, ProfileInput(skills=["garden", "shopping"], postcode="5531",
                                             radius_km=5, has_vog=n % 2 == 0))
            create_request(make_user("resident"), RequestInput(
                category="garden", description="Graag hulp in de tuin, het lukt niet meer.",
                postcode="5531 AA", house_number=str(n + 2)))
        db.session.commit()
        page_after, plan_after = measure()
    assert page_after == page_before
    # The plan reads the categories once and everything else in batches.
    assert plan_after <= plan_before, (plan_before, plan_after)
