"""`flask jobs run-due --at …`: twice for the same moment handles nothing new; a later moment
handles only what became due since. Also: a backlog larger than one page drains in one run,
and two sweeps of the same moment racing each other never write a mail twice."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.followup import sweeps as followup_sweeps
from marketplace.followup.models import CheckIn
from marketplace.jobs import JOBS, run_due
from marketplace.notifications.models import OutboxMessage
from tests.integration.test_sweeps_world import (
    START,
    make_world,
    messages,
    post_request,
    start_support,
)


def run_due_cli(runner, at: str) -> dict[str, int]:
    result = runner.invoke(args=["jobs", "run-due", "--at", at])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert list(summary) == [job.name for job in JOBS]
    db.session.expire_all()
    return {k: v for k, v in summary.items() if v}


def test_run_due_twice_for_a_moment_then_later_only_what_became_due(
        app, runner, make_area, make_user):
    with time_machine.travel(START, tick=False):
        world = make_world(make_area, make_user)
        start_support(world, now=START)  # first check-in due on day 7 (9 March)
        post_request(world, now=START)  # open, unmatched: stale on day 7, expires on day 60

    # Dutch time without a zone: 9 March 2026, 11:00 (10:00 UTC).
    first = run_due_cli(runner, "2026-03-09T11:00")
    # (9 March is a Monday: the volunteer also gets the digest with last week's request.)
    assert first == {"stale_requests": 1, "checkins": 1, "volunteer_digest": 1,
                     "outbox_relay": 7}
    sent = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    assert run_due_cli(runner, "2026-03-09T11:00") == {}
    # The same moment spelled in UTC: still the same moment, still nothing.
    assert run_due_cli(runner, "2026-03-09T10:00:00+00:00") == {}
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == sent

    # A week later: the did-it-help check-in (day 14) and the silence of the first one.
    later = run_due_cli(runner, "2026-03-16T11:00")
    assert later == {"checkins": 1, "checkin_escalation": 1, "outbox_relay": 3}
    assert run_due_cli(runner, "2026-03-16T11:00") == {}
    # An earlier moment after a later one: nothing is undone, nothing new.
    assert run_due_cli(runner, "2026-03-10T11:00") == {}
    assert len(messages()) == sent + 3


def test_a_backlog_larger_than_a_page_drains_in_one_run(app, make_area, make_user,
                                                       monkeypatch):
    monkeypatch.setattr(followup_sweeps, "BATCH", 3)
    with time_machine.travel(START, tick=False):
        world = make_world(make_area, make_user)
        for _ in range(7):
            start_support(world, now=START)
    at = START + timedelta(days=7)
    assert run_due(at)["checkins"] == 7
    assert db.session.scalar(select(func.count()).select_from(CheckIn).where(
        CheckIn.sent_at.is_not(None))) == 7
    assert not any(run_due(at).values())


def test_two_sweeps_of_the_same_moment_at_once_send_once(app, make_area, make_user):
    """Two schedulers by mistake: the second sweep either waits for the first (SQLite: one
    writer) or skips the rows it has locked (PostgreSQL: FOR UPDATE SKIP LOCKED)."""
    with time_machine.travel(START, tick=False):
        world = make_world(make_area, make_user)
        for _ in range(3):
            start_support(world, now=START)
    at = START + timedelta(days=7)
    swept, go = threading.Event(), threading.Event()
    results: dict[str, int] = {}

    def first() -> None:
        with app.app_context():
            results["first"] = followup_sweeps.send_checkins(at)
            swept.set()
            go.wait(10)
            db.session.commit()

    def second() -> None:
        swept.wait(10)
        with app.app_context():
            results["second"] = followup_sweeps.send_checkins(at)
            db.session.commit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    swept.wait(10)
    time.sleep(0.5)  # the second sweep is now waiting (SQLite) or done (PostgreSQL)
    go.set()
    for thread in threads:
        thread.join(30)
    assert results == {"first": 3, "second": 0}
    db.session.expire_all()
    assert len(messages(template_key="checkin:")) == 6
