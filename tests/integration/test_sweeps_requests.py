"""Request and signal sweeps in time: stale requests reach the worker once; requests expire
with a renewal offer (warned a week before, once); late signals reach the team coordinator."""

from __future__ import annotations

import pytest
import time_machine
from sqlalchemy import select

from marketplace.areas import settings as area_settings
from marketplace.extensions import db
from marketplace.help_requests import sweeps as request_sweeps
from marketplace.help_requests.models import HelpRequest
from marketplace.help_requests.services import renew
from marketplace.jobs import run_due
from marketplace.signals.models import Signal
from marketplace.signals.services import record_outcome, report
from marketplace.teams.services import save_team, set_member
from tests.integration.test_sweeps_world import (
    START,
    day,
    last_id,
    links,
    make_world,
    messages,
    new_messages,
    post_request,
)


@pytest.fixture()
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture()
def world(app, make_area, make_user):
    return make_world(make_area, make_user)


def handled(at, job: str) -> int:
    """Run every sweep as of `at` and return what `job` handled (a second run: nothing)."""
    first = run_due(at)
    assert not any(run_due(at).values())
    return first[job]


def test_a_stale_request_reaches_the_areas_worker_once(app, clock, world):
    request = post_request(world, now=START)
    clock.move_to(day(6, 23))
    assert handled(day(6, 23), "stale_requests") == 0
    clock.move_to(day(7))
    before = last_id()
    assert handled(day(7), "stale_requests") == 1
    (mail,) = [m for m in new_messages(before) if m.dedupe_key.startswith("stale:")]
    assert mail.to_address == world.worker.email
    assert mail.subject == "Hulpvraag zonder hulp (Boodschappen, 5531)"
    assert links(mail) == [f"/hulpvragen/{request.id}"] or links(mail)[0].endswith(
        str(request.id))
    for n in (8, 30):
        clock.move_to(day(n))
        assert handled(day(n), "stale_requests") == 0
    assert len(messages(template_key="stale:")) == 1


def test_each_area_keeps_its_own_stale_period_without_starving_others(
        app, clock, world, make_area, monkeypatch):
    """Requests of an area with a longer period are old enough for the shortest period but
    not for their own; a full page of them must not hide a stale request elsewhere."""
    monkeypatch.setattr(request_sweeps, "BATCH", 2)
    patient = make_area("GM0770", "municipality", pc4=("5521",))
    area_settings.set_value(patient, "request_stale_days", "30")
    db.session.commit()
    for _ in range(3):
        post_request(world, postcode="5521", now=START)
    hasty = post_request(world, now=day(1))
    clock.move_to(day(9))
    assert handled(day(9), "stale_requests") == 1
    (mail,) = messages(template_key="stale:")
    assert mail.dedupe_key == f"stale:{hasty.id}:{world.worker.id}"
    clock.move_to(day(30))
    assert handled(day(30), "stale_requests") == 3  # (no worker there: recorded, no mail)


def test_a_request_expires_with_a_renewal_offer_after_one_warning(app, client, clock, world):
    request = post_request(world, now=START)
    assert (request.expires_on - START.date()).days == 60
    clock.move_to(day(52))
    assert handled(day(52), "request_expiry") == 0
    clock.move_to(day(53))
    before = last_id()
    assert handled(day(53), "request_expiry") == 1
    (warning,) = [m for m in new_messages(before) if m.dedupe_key.startswith("expiring:")]
    assert warning.to_address == world.resident.email
    assert warning.subject == "Uw hulpvraag verloopt binnenkort"
    assert "01-05-2026" in warning.body_text
    for n in (54, 59):
        clock.move_to(day(n))
        assert handled(day(n), "request_expiry") == 0
    clock.move_to(day(60))
    before = last_id()
    assert handled(day(60), "request_expiry") == 1
    db.session.expire_all()
    assert db.session.get(HelpRequest, request.id).status == "expired"
    (expired,) = [m for m in new_messages(before) if m.dedupe_key.startswith("expired:")]
    assert expired.subject == "Uw hulpvraag is verlopen"
    assert links(expired)
    clock.move_to(day(61))
    assert handled(day(61), "request_expiry") == 0
    assert len(messages(template_key="expir")) == 2

    # Renewed: open again for another period, with its own warning a week before.
    renew(world.resident, db.session.get(HelpRequest, request.id), now=day(62))
    db.session.commit()
    request = db.session.get(HelpRequest, request.id)
    assert request.status == "open" and (request.expires_on - START.date()).days == 122
    assert request.closed_at is None  # open again: retention counts from a later closing
    clock.move_to(day(115))
    assert handled(day(115), "request_expiry") == 1
    assert len(messages(template_key="expiring:")) == 2


def test_a_matched_request_neither_goes_stale_nor_expires(app, clock, world):
    from tests.integration.test_sweeps_world import start_support

    start_support(world, now=START)
    for n in (7, 53, 60):
        clock.move_to(day(n))
        result = run_due(day(n))
        assert result["stale_requests"] == 0 and result["request_expiry"] == 0


@pytest.fixture()
def team(world, make_user):
    coordinator = make_user("worker", name="Cora Coördinator", areas=(world.area,))
    team = save_team(world.area, "Wijkteam Bladel")
    set_member(team, coordinator, coordinator=True)
    set_member(team, world.worker)
    db.session.commit()
    return coordinator


def test_a_late_signal_reaches_the_team_coordinator_once(app, clock, world, team, make_user):
    neighbour = make_user("resident", name="Nel Buur")
    signal = report(neighbour, postcode="5531 AB",
                    concern="Mijn buurman komt al weken niet meer buiten.", now=START)
    handled_in_time = report(neighbour, postcode="5531",
                             concern="De buurvrouw lijkt erg vergeetachtig.", now=START)
    db.session.commit()
    assert (signal.respond_by - START.date()).days == 7  # five working days, Monday to Monday
    clock.move_to(day(3))
    record_outcome(world.worker, handled_in_time, "visited", now=day(3))
    db.session.commit()

    clock.move_to(day(7, 21))  # the respond-by day itself still counts
    assert handled(day(7, 21), "signal_escalation") == 0
    clock.move_to(day(8))
    before = last_id()
    assert handled(day(8), "signal_escalation") == 1
    (overdue,) = [m for m in new_messages(before) if m.dedupe_key.startswith("signal:")]
    assert overdue.to_address == team.email  # the coordinator, not every worker
    assert overdue.subject == "Zorgsignaal te laat opgepakt (5531)"
    for n in (9, 20):
        clock.move_to(day(n))
        assert handled(day(n), "signal_escalation") == 0
    db.session.expire_all()
    assert db.session.get(Signal, signal.id).escalated_at == day(8)
    assert db.session.get(Signal, handled_in_time.id).escalated_at is None


def test_without_a_team_a_late_signal_reaches_the_areas_workers(app, clock, world, make_user):
    neighbour = make_user("resident")
    report(neighbour, postcode="5531", concern="Ik maak me zorgen om mijn buurman.", now=START)
    db.session.commit()
    clock.move_to(day(8))
    assert handled(day(8), "signal_escalation") == 1
    (overdue,) = messages(template_key="signal:1:overdue")
    assert overdue.to_address == world.worker.email
    assert db.session.scalar(select(Signal.status)) == "new"
