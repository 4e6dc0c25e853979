"""Time travel through a handover (`jobs run-due --at`): the association takes over at the
transition end; "still running?" 3 and 12 months later, once per due date; a "stopped" answer
or 14 days of silence reaches the area's worker. And the weekly cluster digest mails only
new clusters. Every moment runs twice: the second run handles nothing."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import update

from marketplace.associations import handover as handovers
from marketplace.associations.models import Activity
from marketplace.associations.services import (
    ActivityInput,
    add_member,
    create_activity,
    create_association,
)
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from marketplace.jobs import JOBS
from tests.integration.test_sweeps_world import START, links, messages, post_request
from tests.integration.test_sweeps_world import make_world as base_world

MINE = ("handover_complete", "handover_checks", "handover_alerts", "cluster_digest")


def run_due_cli(runner, at: str) -> dict[str, int]:
    result = runner.invoke(args=["jobs", "run-due", "--at", at])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert list(summary) == [job.name for job in JOBS]
    db.session.expire_all()
    return {k: v for k, v in summary.items() if v and k in MINE}


def twice(runner, at: str) -> dict[str, int]:
    first = run_due_cli(runner, at)
    assert run_due_cli(runner, at) == {}
    return first


@pytest.fixture()
def world(app, make_area, make_user):
    with time_machine.travel(START, tick=False):
        w = base_world(make_area, make_user)
        board = make_user("association", name="Bea Bestuur")
        second = make_user("association", name="Sam Secretaris")
        group = create_association(w.worker, name="Bewonersgroep De Linde", postcode="5531")
        add_member(w.worker, group, board)
        add_member(w.worker, group, second)
        activity = create_activity(w.worker, ActivityInput(
            title="Soepmiddag", category="meals", postcode="5531", venue="Dorpshuis",
            starts_at=START + timedelta(days=3), recurrence="weekly"), now=START)
        handover = handovers.create_handover(
            w.worker, activity, association_id=group.id, transition_ends_on=date(2026, 4, 1),
            checklist={"volunteers": True, "venue": True}, now=START)
        db.session.commit()
    return {"w": w, "board": board, "second": second, "activity_id": activity.id,
            "handover_id": handover.id}


def _handover(world):
    return db.session.get(handovers.Handover, world["handover_id"])


def test_handover_walk_through_the_year(app, client, runner, world):
    worker = world["w"].worker
    assert twice(runner, "2026-03-31T23:00") == {}  # 31 March, Dutch time: not yet
    assert db.session.get(Activity, world["activity_id"]).run_by == "welfare"
    assert twice(runner, "2026-04-01T00:30") == {"handover_complete": 1}
    assert db.session.get(Activity, world["activity_id"]).run_by == "association"
    assert _handover(world).status == "handed_over"

    # 3 months later: one question per member, once.
    assert twice(runner, "2026-06-30T12:00") == {}
    assert twice(runner, "2026-07-01T11:00") == {"handover_checks": 1}
    asked = messages(template_key="handover-check:")
    assert sorted(m.to_address for m in asked) == sorted(
        [world["board"].email, world["second"].email])
    # The member answers "running" by the link: a GET records nothing, the button does.
    path = next(p for p in links(asked[0]) if p.endswith("/running"))
    assert client.get(path).status_code == 200
    db.session.expire_all()
    assert _handover(world).checks[0].answer is None
    assert client.post(path, data={"answer": "running"}).status_code == 200
    db.session.expire_all()
    assert _handover(world).status == "still_running"
    assert _handover(world).checks[0].answer is True
    # Answered: no alert 14 days later.
    assert twice(runner, "2026-07-16T11:00") == {}
    assert messages(to=worker.email, template_key="handover-alert:") == []
    assert _handover(world).checks[0].alerted_at is None

    # 12 months: asked, nobody answers; day 13 nothing, day 14 the worker hears it, once.
    assert twice(runner, "2027-04-01T11:00") == {"handover_checks": 1}
    assert twice(runner, "2027-04-14T11:00") == {}
    # (Read the mail before the second run: retention may remove sent mail by then.)
    assert run_due_cli(runner, "2027-04-15T11:00") == {"handover_alerts": 1}
    alerts = messages(to=worker.email, template_key="handover-alert:")
    assert len(alerts) == 1 and "Geen antwoord" in alerts[0].subject
    assert run_due_cli(runner, "2027-04-15T11:00") == {}
    assert twice(runner, "2027-06-01T11:00") == {}


def test_stopped_alerts_at_once_and_drops_the_later_question(app, client, runner, world):
    twice(runner, "2026-04-01T11:00")
    assert twice(runner, "2026-07-01T11:00") == {"handover_checks": 1}
    mail = messages(to=world["board"].email, template_key="handover-check:")[0]
    path = next(p for p in links(mail) if p.endswith("/stopped"))
    page = client.get(path)
    assert page.status_code == 200
    (tag,) = re.findall(rb'<input[^>]*value="stopped"[^>]*>', page.data)
    assert b"checked" in tag  # the link pre-selects the answer
    assert client.post(path, data={"answer": "stopped", "note": "Geen vrijwilligers meer"}
                       ).status_code == 200
    db.session.expire_all()
    h = _handover(world)
    assert h.status == "stopped"
    assert [(c.due_on, c.answer) for c in h.checks] == [(date(2026, 7, 1), False)]
    alerts = messages(to=world["w"].worker.email, template_key="handover-alert:")
    assert len(alerts) == 1 and "gestopt" in alerts[0].subject
    assert "Geen vrijwilligers meer" in alerts[0].body_text
    # Nothing more: no 12-month question, no second alert.
    assert twice(runner, "2027-04-20T11:00") == {}
    # A forged or foreign link is 404.
    assert client.get(path.replace("/overdracht-vraag/", "/overdracht-vraag/x")).status_code \
        == 404


def test_cluster_digest_mails_only_new_clusters(app, runner, make_user, world):
    w = world["w"]
    with time_machine.travel(START, tick=False):
        ids = [post_request(w, resident=make_user("resident"), category="meals").id
               for _ in range(5)]
        db.session.execute(update(HelpRequest).where(HelpRequest.id.in_(ids))
                           .values(status="open"))
        db.session.commit()
    assert twice(runner, "2026-03-02T12:00") == {"cluster_digest": 1}
    digest = messages(to=w.worker.email, template_key="cluster-digest:")
    assert len(digest) == 1 and "5 vragen" in digest[0].body_text
    assert twice(runner, "2026-03-09T12:00") == {}
    # One more request: a new set of requests, so mailed again (the same set never twice).
    with time_machine.travel(START + timedelta(days=8), tick=False):
        extra = post_request(w, resident=make_user("resident"), category="meals")
        extra.status = "open"
        db.session.commit()
    assert twice(runner, "2026-03-16T12:00") == {"cluster_digest": 1}
    assert len(messages(to=w.worker.email, template_key="cluster-digest:")) == 2
    # After cluster_days the requests no longer count: nothing new, nothing mailed.
    assert "cluster_digest" not in twice(runner, "2026-05-01T12:00")


def test_an_answer_during_the_transition_does_not_hold_up_the_take_over(app, runner, world):
    handovers.record_answer(world["board"], _handover(world), running=True,
                            now=START + timedelta(days=5))
    db.session.commit()
    assert twice(runner, "2026-04-01T11:00") == {"handover_complete": 1}
    assert _handover(world).status == "still_running"
    assert db.session.get(Activity, world["activity_id"]).run_by == "association"
