"""Retention (GDPR): closed cases are anonymised after RETENTION_DAYS; what the reports need
stays (category, area, PC4, dates, statuses, how it was solved, who carried on)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from marketplace.brokering.models import Arrangement, Match
from marketplace.extensions import db
from marketplace.followup.models import CheckIn, Evaluation
from marketplace.followup.services import evaluate, record_answer
from marketplace.help_requests import messages as request_messages
from marketplace.help_requests.models import HelpRequest, Message, RequestEvent
from marketplace.help_requests.services import withdraw
from marketplace.jobs import run_due
from marketplace.retention import REDACTED
from marketplace.signals.models import Signal
from marketplace.signals.services import record_outcome, report
from tests.integration.test_sweeps_world import START, day, make_world, post_request, start_support


@pytest.fixture()
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def handled(at) -> int:
    first = run_due(at)
    assert not any(run_due(at).values())
    return first["retention"]


def test_closed_cases_are_anonymised_after_the_retention_period(
        app, clock, make_area, make_user):
    assert app.config["RETENTION_DAYS"] == 730
    world = make_world(make_area, make_user)
    arrangement = start_support(world, now=START)
    request = db.session.get(HelpRequest, arrangement.request_id)
    request.for_person_name, request.for_person_relation = "Opa Jan", "opa"
    request_messages.send(world.resident, request, "Komt u dinsdag om tien uur?", now=START)
    match = db.session.get(Match, arrangement.match_id)
    match.message = "Ik woon om de hoek en ken mevrouw van de kerk."
    clock.move_to(day(7))
    run_due(day(7))
    checkin = db.session.scalar(select(CheckIn).where(CheckIn.kind == "first_week"))
    record_answer(checkin, "resident", "going_well", now=day(8))
    evaluate(world.worker, arrangement, continuation="association",
             note="Mevrouw is erg eenzaam sinds haar man overleed.", now=day(10))
    open_request = post_request(world, now=day(10))
    withdrawn = post_request(world, now=day(10))
    withdraw(world.resident, withdrawn, reason="Mijn dochter helpt nu, zij woont dichtbij.",
             now=day(100))
    neighbour = make_user("resident")
    signal = report(neighbour, postcode="5531", about="Kerkstraat 3, meneer De Vries",
                    concern="Meneer komt al weken niet buiten en de post stapelt zich op.",
                    now=START)
    record_outcome(world.worker, signal, "visited", note="Dochter ingeschakeld.", now=day(3))
    db.session.commit()
    closed_at = request.closed_at
    assert closed_at == day(10)

    # One day before the period is over: nothing.
    clock.move_to(day(739))
    assert handled(day(739)) == 1  # only the signal, handled on day 3
    clock.move_to(day(740, 10))
    assert handled(day(740, 10)) == 1
    db.session.expire_all()
    request = db.session.get(HelpRequest, request.id)
    assert request.anonymised_at == day(740, 10)
    assert request.description == REDACTED and request.house_number == ""
    assert request.for_person_name is None and request.for_person_relation is None
    assert db.session.scalar(select(func.count()).select_from(Message)) == 0
    assert all(e.reason is None for e in db.session.scalars(
        select(RequestEvent).where(RequestEvent.request_id == request.id)))
    match = db.session.get(Match, arrangement.match_id)
    assert match.message is None
    evaluation = db.session.scalar(select(Evaluation))
    assert evaluation.note is None
    # What the accountability reports count stays.
    assert (request.category, request.pc4, request.status, request.solved_by) == (
        "shopping", "5531", "closed", "volunteer")
    assert request.area_id == world.area.id and request.closed_at == closed_at
    # Status moves (a worker taking the case on is a timeline entry without a move).
    assert [e.to_status for e in request.events
            if e.from_status != e.to_status] == ["open", "matched", "closed"]
    arrangement = db.session.get(Arrangement, arrangement.id)
    assert (arrangement.started_on, arrangement.ended_on) == (START.date(), day(10).date())
    assert evaluation.continuation == "association"
    assert db.session.scalar(select(CheckIn.resident_answer).where(
        CheckIn.kind == "first_week")) == "going_well"
    signal = db.session.get(Signal, signal.id)
    assert signal.concern == REDACTED and signal.about is None and signal.outcome_note is None
    assert (signal.pc4, signal.outcome, signal.status) == ("5531", "visited", "handled")

    # Still open: untouched, however old. Withdrawn on day 100: 730 days after that.
    assert db.session.get(HelpRequest, open_request.id).anonymised_at is None
    clock.move_to(day(829))
    assert handled(day(829)) == 0
    clock.move_to(day(831))
    assert handled(day(831)) == 1
    db.session.expire_all()
    assert db.session.get(HelpRequest, withdrawn.id).description == REDACTED
    assert db.session.get(HelpRequest, open_request.id).description.startswith("Hulp gezocht")


def test_retention_follows_the_configured_period(app, clock, make_area, make_user):
    world = make_world(make_area, make_user)
    request = post_request(world, now=START)
    withdraw(world.resident, request, now=START)
    db.session.commit()
    app.config["RETENTION_DAYS"] = 30
    try:
        assert handled(START + timedelta(days=29)) == 0
        assert handled(START + timedelta(days=30)) == 1
    finally:
        app.config["RETENTION_DAYS"] = 730
