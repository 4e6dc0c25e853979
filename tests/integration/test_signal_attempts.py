"""Contact attempts on a signal, on every database: the service's rules, "not reached" only
after a try that did not reach the person, the respond-by date met by the first attempt (the
indicator and the escalation sweep), and the attempts through the JSON API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from marketplace.errors import Conflict, DomainError, NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.reporting import queries
from marketplace.reporting.periods import Period
from marketplace.signals import services
from marketplace.signals.models import Signal, SignalAttempt
from marketplace.signals.rules import is_overdue

CONCERN = "Mevrouw op de hoek lijkt niet meer buiten te komen; de krant blijft liggen."
THURSDAY = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)  # respond by (5 working days): 12 March


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
        "resident": make_user("resident", name="Buurman Bas"),
        "volunteer": make_user("volunteer"),
        "worker": make_user("worker", name="Wim Werker", areas=(bladel,)),
        "colleague": make_user("worker", name="Cor Collega", areas=(bladel,)),
        "other_worker": make_user("worker", name="Olga Elders", areas=(eersel,)),
        "municipality": make_user("municipality", areas=(bladel,)),
    }


def new_signal(people, at: datetime = THURSDAY) -> Signal:
    signal = services.report(people["resident"], postcode="5527", concern=CONCERN, now=at)
    db.session.commit()
    return signal


def test_an_attempt_is_logged_and_takes_the_signal_on(people):
    signal = new_signal(people)
    assert signal.status == "new" and signal.assigned_worker_id is None
    later = THURSDAY + timedelta(days=2)
    attempt = services.log_attempt(people["colleague"], signal, on=date(2026, 3, 6),
                                   method="visit", reached=False,
                                   note="  Niemand thuis.\x00 ", now=later)
    db.session.commit()
    assert (attempt.method, attempt.reached, attempt.note) == ("visit", False, "Niemand thuis.")
    assert attempt.worker_id == people["colleague"].id
    assert signal.status == "in_progress" and signal.assigned_worker_id == people["colleague"].id
    assert signal.first_attempt_on == date(2026, 3, 6)
    assert signal.events[-1].action == "attempt:visit:no" and signal.events[-1].note is None
    # An earlier day logged afterwards becomes the first attempt; the list is by day.
    services.log_attempt(people["worker"], signal, on=date(2026, 3, 5), method="phone",
                         reached=True, now=later)
    db.session.commit()
    db.session.expire_all()
    signal = db.session.get(Signal, signal.id)
    assert signal.first_attempt_on == date(2026, 3, 5)
    assert [(a.attempted_on.day, a.method) for a in signal.attempts] == [(5, "phone"),
                                                                        (6, "visit")]
    assert signal.assigned_worker_id == people["colleague"].id  # someone else's stays theirs


def test_attempt_input_is_checked_field_by_field(people):
    signal = new_signal(people)
    now = THURSDAY + timedelta(days=1)
    with pytest.raises(ValidationFailed) as caught:
        services.log_attempt(people["worker"], signal, on=date(2026, 3, 7), method="fax",
                             reached=None, note="x" * 501, now=now)
    assert set(caught.value.errors) == {"attempted_on", "method", "reached", "note"}
    assert "nog niet geweest" in caught.value.errors["attempted_on"][0]
    with pytest.raises(ValidationFailed) as caught:
        services.log_attempt(people["worker"], signal, on=date(2026, 3, 4), method="letter",
                             reached=False, now=now)
    assert caught.value.errors["attempted_on"] == [
        "Die dag is vóór de melding. Vul een dag in vanaf 5-3-2026."]
    with pytest.raises(ValidationFailed):
        services.log_attempt(people["worker"], signal, on=None, method="letter",
                             reached=False, now=now)
    db.session.rollback()
    assert db.session.scalars(select(SignalAttempt)).all() == []
    with pytest.raises(NotFound):
        services.log_attempt(people["other_worker"], signal, on=date(2026, 3, 5),
                             method="visit", reached=False, now=now)
    with pytest.raises(NotFound):
        services.log_attempt(people["municipality"], signal, on=date(2026, 3, 5),
                             method="visit", reached=False, now=now)


def test_not_reached_only_after_an_attempt_that_did_not_reach(people):
    signal = new_signal(people)
    now = THURSDAY + timedelta(days=1)
    with pytest.raises(DomainError) as caught:
        services.record_outcome(people["worker"], signal, "not_reached", now=now)
    assert caught.value.field == "outcome" and "Leg eerst een contactpoging vast" in str(
        caught.value)
    db.session.rollback()
    services.log_attempt(people["worker"], signal, on=date(2026, 3, 5), method="phone",
                         reached=True, now=now)
    db.session.commit()
    with pytest.raises(DomainError):  # a try that reached the person is no "not reached"
        services.record_outcome(people["worker"], signal, "not_reached", now=now)
    db.session.rollback()
    services.log_attempt(people["worker"], signal, on=date(2026, 3, 6), method="letter",
                         reached=False, now=now)
    services.record_outcome(people["worker"], signal, "not_reached", now=now)
    db.session.commit()
    assert signal.status == "handled" and signal.outcome == "not_reached"
    with pytest.raises(Conflict):  # handled: no more attempts
        services.log_attempt(people["worker"], signal, on=date(2026, 3, 6), method="visit",
                             reached=False, now=now)


@pytest.mark.parametrize("outcome", ["visited", "no_need", "consent_for_help", "referred"])
def test_the_other_outcomes_need_no_attempt(people, outcome):
    signal = new_signal(people)
    services.record_outcome(people["worker"], signal, outcome, now=THURSDAY)
    db.session.commit()
    assert signal.status == "handled" and signal.outcome == outcome


def test_a_signal_with_an_attempt_is_not_escalated_as_untouched(people):
    tried, untouched = new_signal(people), new_signal(people)
    services.log_attempt(people["worker"], tried, on=date(2026, 3, 9), method="visit",
                         reached=False, now=THURSDAY + timedelta(days=4))
    db.session.commit()
    assert services.escalate_overdue(THURSDAY + timedelta(days=8)) == 1
    db.session.commit()
    assert tried.escalated_at is None and untouched.escalated_at is not None
    assert is_overdue(tried.respond_by, tried.status, date(2026, 3, 20), tried.first_attempt_on) \
        is False
    assert is_overdue(untouched.respond_by, untouched.status, date(2026, 3, 20)) is True


def test_the_respond_by_date_is_met_by_the_first_attempt_or_the_outcome(people):
    """signals_in_time_share: the earlier of first attempt and outcome, on or before
    respond-by. Reported on Thursday 5 March: respond by 12 March; on Friday 13 March:
    respond by 20 March. Today is 16 March."""
    worker = people["worker"]
    friday = datetime(2026, 3, 13, 9, tzinfo=UTC)

    def made(attempt_day: int | None, handled_day: int | None, at=THURSDAY) -> Signal:
        signal = new_signal(people, at)
        if attempt_day:
            services.log_attempt(worker, signal, on=date(2026, 3, attempt_day),
                                 method="visit", reached=False,
                                 now=datetime(2026, 3, attempt_day, 18, tzinfo=UTC))
        if handled_day:
            services.record_outcome(worker, signal, "visited",
                                    now=datetime(2026, 3, handled_day, 12, tzinfo=UTC))
        db.session.commit()
        return signal

    first = made(11, 13)  # tried in time, handled late: in time
    assert first.respond_by == date(2026, 3, 12)
    made(None, 13)  # handled late, never tried: late
    made(13, 14)  # tried late, handled late: late
    made(None, 11)  # handled in time without an attempt: in time
    made(9, None)  # tried in time, still open: counts, in time
    made(None, None)  # untouched, past respond-by: counts, late
    made(None, None, at=friday)  # not due yet: not counted
    made(16, None, at=friday)  # tried before it is due: counts, in time
    rows = queries.signals([first.area_id], Period(date(2026, 3, 1), date(2026, 3, 31)),
                           date(2026, 3, 16))
    totals = {"signals_due": 0, "signals_in_time": 0}
    for _area, _part, cells in rows:
        for key in totals:
            totals[key] += cells[key]
    assert totals == {"signals_due": 7, "signals_in_time": 4}


def test_attempts_through_the_api(client, people, api_token):
    with time_machine.travel(THURSDAY, tick=False):
        answer = client.post("/api/v1/signals", json={"postcode": "5527", "concern": CONCERN},
                             headers=api_token(people["resident"]))
        assert answer.status_code == 201
        assert set(answer.get_json()) == {"id", "status", "respond_by"}  # unchanged contract
        url = f"/api/v1/signals/{answer.get_json()['id']}"
        headers = api_token(people["worker"])
        refused = client.post(f"{url}/outcome", json={"outcome": "not_reached"},
                              headers=headers)
        assert refused.status_code == 422 and "outcome" in refused.get_json()["errors"]
        bad = client.post(f"{url}/attempts", json={"method": "fax", "reached": "nee",
                                                   "attempted_on": "gisteren"}, headers=headers)
        assert bad.status_code == 422
        assert {"reached", "attempted_on"} <= set(bad.get_json()["errors"])
        logged = client.post(f"{url}/attempts", json={"method": "letter", "reached": False,
                                                      "note": "Kaartje in de bus."},
                             headers=headers)
        assert logged.status_code == 201, logged.get_json()
        body = logged.get_json()
        assert body["first_attempt_on"] == "2026-03-05" and body["status"] == "in_progress"
        assert body["attempts"] == [{"attempted_on": "2026-03-05", "method": "letter",
                                     "reached": False, "note": "Kaartje in de bus.",
                                     "worker_id": people["worker"].id}]
        assert client.post(f"{url}/attempts", json={"method": "visit", "reached": False},
                           headers=api_token(people["other_worker"])).status_code == 404
        assert client.post(f"{url}/attempts", json={"method": "visit", "reached": False},
                           headers=api_token(people["volunteer"])).status_code == 403
        done = client.post(f"{url}/outcome", json={"outcome": "not_reached"}, headers=headers)
        assert done.status_code == 200 and done.get_json()["status"] == "handled"


def test_the_notes_go_with_the_case_after_the_retention_period(app, people):
    from marketplace.retention import anonymise_expired

    signal = new_signal(people)
    services.log_attempt(people["worker"], signal, on=date(2026, 3, 5), method="visit",
                         reached=False, note="Buurvrouw op nummer 14 zegt: ziekenhuis.",
                         now=THURSDAY)
    services.log_attempt(people["worker"], signal, on=date(2026, 3, 5), method="phone",
                         reached=False, now=THURSDAY)
    services.record_outcome(people["worker"], signal, "not_reached", now=THURSDAY)
    db.session.commit()
    days = int(app.config["RETENTION_DAYS"])
    assert anonymise_expired(THURSDAY + timedelta(days=days - 1)) == 0
    assert anonymise_expired(THURSDAY + timedelta(days=days, hours=1)) == 1
    db.session.commit()
    kept = db.session.scalars(select(SignalAttempt).order_by(SignalAttempt.id)).all()
    # The story goes; how and when someone tried stays (the reports count the first try).
    assert [(a.note, a.method, a.reached, a.attempted_on) for a in kept] == [
        (None, "visit", False, date(2026, 3, 5)), (None, "phone", False, date(2026, 3, 5))]
    assert db.session.get(Signal, signal.id).first_attempt_on == date(2026, 3, 5)
