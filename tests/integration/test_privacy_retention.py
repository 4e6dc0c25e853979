"""Retention that covers everything: accounts inactive past RETENTION_DAYS are erased with
their network; old mail, logins, revoked tokens and audit details age out as the erasure
table says. Time travel with `flask jobs run-due --at`; every sweep is idempotent."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from marketplace.accounts.models import AuditEvent, LoginAttempt, User
from marketplace.casework.services import add_note, set_resident_pc4
from marketplace.extensions import db
from marketplace.help_requests.services import withdraw
from marketplace.notifications.models import OutboxMessage
from marketplace.notifications.outbox import enqueue
from marketplace.residents.models import NetworkMember
from marketplace.residents.services import save_member
from tests.integration.test_sweeps_world import START, day, make_world, post_request


@pytest.fixture()
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def run_due(runner, clock, at) -> dict[str, int]:
    """Run every due sweep at `at` through the CLI, twice: the second run finds nothing."""
    clock.move_to(at)
    first = runner.invoke(args=["jobs", "run-due", "--at", at.isoformat()])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["jobs", "run-due", "--at", at.isoformat()])
    mine = ("retention", "retention_rows", "retention_notice", "retention_accounts")
    assert not any(v for k, v in json.loads(second.output).items() if k in mine)
    db.session.expire_all()
    return json.loads(first.output)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_inactive_accounts_are_erased_with_their_network(app, runner, clock, make_area,
                                                         make_user):
    world = make_world(make_area, make_user)
    quiet = make_user("resident", name="Stille Sientje")
    save_member(quiet, name="Buurman Bert", relation="neighbour", can_help=["shopping"])
    request = post_request(world, resident=quiet, now=START)
    withdraw(quiet, request, now=day(5))
    busy = make_user("resident", name="Drukke Dirk")
    post_request(world, resident=busy, now=START)  # still open: never erased
    desk = make_user("resident", name="Balie Bep", password=None)
    set_resident_pc4(desk, "5531")
    add_note(world.worker, desk, kind="call", body="Gebeld over boodschappen.", now=day(400))
    db.session.commit()

    # Withdrawn on day 5: the account counts as inactive from then, 730 days on.
    # (The World's resident and volunteer, idle since day 0, go on day 734.)
    assert run_due(runner, clock, day(734))["retention_accounts"] == 2
    assert db.session.get(User, quiet.id).erased_at is None
    assert run_due(runner, clock, day(736))["retention_accounts"] == 1
    erased = db.session.get(User, quiet.id)
    assert erased.erased_at is not None and erased.name == "[gewist]"
    assert count(NetworkMember) == 0
    # Open request, or a note in the file within the period: kept.
    assert db.session.get(User, busy.id).erased_at is None
    assert db.session.get(User, desk.id).erased_at is None
    # Staff are never erased by retention.
    assert db.session.get(User, world.worker.id).erased_at is None
    run_due(runner, clock, day(1131))
    assert db.session.get(User, desk.id).erased_at is not None
    assert db.session.get(User, world.worker.id).erased_at is None
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "user.erased", AuditEvent.subject_user_id == quiet.id))
    assert event.actor_user_id is None and event.detail["reason"] == "retention"


def test_old_mail_logins_and_audit_details_age_out(app, runner, clock, make_user):
    worker = make_user("resident", name="Rita Rij")
    db.session.add(LoginAttempt(email="rita@example.org", ip="10.0.0.1", at=START))
    sent = enqueue("rita@example.org", "signal_handled", dedupe_key="old-sent", now=START,
                   user=worker, pc4="5531")
    pending = enqueue("rita@example.org", "signal_handled", dedupe_key="old-pending",
                      now=START, user=worker, pc4="5531")
    db.session.get(OutboxMessage, sent).status = "sent"
    db.session.add(AuditEvent(at=START, action="file.viewed", actor_user_id=None,
                              subject_user_id=worker.id, detail={"purpose": "Rita belde"},
                              ip="10.0.0.2"))
    db.session.commit()
    relay_setting = app.config.get("MAIL_URL")
    app.config["MAIL_URL"] = "smtp://127.0.0.1:1"  # the pending mail stays pending
    try:
        run_due(runner, clock, day(29))
        assert count(LoginAttempt) == 1
        run_due(runner, clock, day(31))
        assert count(LoginAttempt) == 0
        assert db.session.get(OutboxMessage, sent) is not None
        run_due(runner, clock, day(91))
        assert db.session.get(OutboxMessage, sent) is None
        assert db.session.get(OutboxMessage, pending) is not None  # never sent: kept
    finally:
        app.config["MAIL_URL"] = relay_setting
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "file.viewed"))
    assert event.detail == {"purpose": "Rita belde"} and event.ip == "10.0.0.2"
    run_due(runner, clock, START + timedelta(days=731))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "file.viewed"))
    assert (event.detail, event.ip, event.subject_user_id) == (None, None, worker.id)


def test_a_month_before_erasure_the_person_hears_it_once(app, runner, clock, make_area,
                                                         make_user):
    from tests.integration.test_sweeps_world import messages

    world = make_world(make_area, make_user)
    quiet = make_user("resident", name="Stille Sientje", email="sientje@example.org")
    away = make_user("resident", name="Verre Vera", email="vera@example.org")
    db.session.commit()
    assert run_due(runner, clock, day(699))["retention_notice"] == 0  # not yet
    result = run_due(runner, clock, day(701))
    # The World's resident and volunteer, and these two (the worker is staff).
    assert result["retention_notice"] == 4
    notice = messages(to="sientje@example.org", template_key="retention-notice:")
    assert len(notice) == 1 and "/inloggen" in notice[0].body_text
    assert "30 dagen" in notice[0].body_text
    # Logging in keeps the account; the other one goes 30 days after the notice.
    db.session.get(User, quiet.id).last_login_at = day(710)
    db.session.commit()
    run_due(runner, clock, day(731))
    assert db.session.get(User, quiet.id).erased_at is None
    assert db.session.get(User, away.id).erased_at is not None
    assert db.session.get(User, world.worker.id).erased_at is None


def test_someone_signed_up_for_a_running_activity_is_not_inactive(app, runner, clock,
                                                                  make_area, make_user):
    from marketplace.associations.services import create_activity
    from marketplace.associations.signups import signup
    from marketplace.associations.validation import ActivityInput

    world = make_world(make_area, make_user)
    activity = create_activity(world.worker, ActivityInput(
        title="Koffieochtend", category="companionship", postcode="5531",
        starts_at=day(1), recurrence="weekly"), now=START)
    joiner = make_user("resident", name="Koffie Kees")
    signup(activity, joiner, actor=joiner, now=START)
    db.session.commit()
    run_due(runner, clock, day(740))
    assert db.session.get(User, joiner.id).erased_at is None  # still signed up
    assert db.session.get(User, world.resident.id).erased_at is not None  # idle
