"""Time travel through temporary support: accept → check-ins → "who carries on?" → overdue
evaluation → evaluation → end → reciprocity invitation, one reminder, and the answer.

Every step runs all sweeps (`run_due`) as of a moment, then runs them again for the same
moment and expects nothing new.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from marketplace.brokering.models import Arrangement
from marketplace.extensions import db
from marketplace.followup import services as followup
from marketplace.followup import sweeps as followup_sweeps
from marketplace.followup.models import CheckIn, Evaluation
from marketplace.help_requests.models import HelpRequest
from marketplace.jobs import run_due
from marketplace.reciprocity import services as reciprocity
from marketplace.reciprocity.models import Contribution, ReciprocityInvitation
from tests.integration.test_sweeps_world import (
    START,
    day,
    last_id,
    links,
    make_world,
    messages,
    new_messages,
    start_support,
)

SWEEPS = ("checkins", "checkin_escalation", "arrangement_ending", "evaluation_overdue",
          "reciprocity_invitations", "reciprocity_reminders")


def sweep(at) -> dict[str, int]:
    """All jobs as of `at` (twice: the second run must find nothing new)."""
    first = run_due(at)
    again = run_due(at)
    assert not any(again.values()), again
    return {k: v for k, v in first.items() if v}


@pytest.fixture()
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture()
def world(app, make_area, make_user):
    return make_world(make_area, make_user)


def answer_by_link(client, message, answer: str):
    """Open the link for `answer` in the mail (GET records nothing) and press the button."""
    path = next(p for p in links(message) if p.endswith("/" + answer))
    page = client.get(path)
    assert page.status_code == 200
    return client.post(path, data={"answer": answer})


def test_walk_an_arrangement_from_accept_to_reciprocity(app, client, clock, world):
    w = world
    arrangement = start_support(w, now=START)
    assert arrangement.planned_end_on == START.date() + timedelta(weeks=12)
    plan = [(c.kind, (c.due_on - START.date()).days) for c in followup.checkins_of(arrangement)]
    assert plan == [("first_week", 7), ("did_it_help", 14), ("midway", 42), ("before_end", 70)]
    accepted = last_id()
    assert sweep(START) == {"outbox_relay": 3}  # proposal to the volunteer, two acceptances

    # Day 6: nothing is due yet.
    clock.move_to(day(6))
    assert sweep(day(6)) == {}
    assert new_messages(accepted) == []

    # Day 7: the first-week check-in reaches resident and volunteer, each with two links.
    clock.move_to(day(7))
    assert sweep(day(7)) == {"checkins": 1, "outbox_relay": 2}
    to_resident, to_volunteer = new_messages(accepted)
    assert to_resident.to_address == w.resident.email
    assert to_resident.subject == "Hoe gaat de hulp? (Boodschappen)"
    assert to_volunteer.to_address == w.volunteer.email
    for mail in (to_resident, to_volunteer):
        paths = links(mail)
        assert len(paths) == 2 and paths[0].endswith("/going_well")
        assert paths[1].endswith("/needs_attention")
    first_week = db.session.scalar(select(CheckIn).where(CheckIn.kind == "first_week"))
    assert first_week.sent_at == day(7)

    # Opening the link records nothing (mail scanners follow links); the button does.
    path = links(to_resident)[0]
    assert client.get(path).status_code == 200
    db.session.expire_all()
    assert first_week.resident_answer is None
    assert answer_by_link(client, to_resident, "going_well").status_code == 200
    db.session.expire_all()
    assert first_week.resident_answer == "going_well" and first_week.done_at is None
    # A forged link is refused.
    assert client.get(path[:-20] + "x" * 9 + path[-11:]).status_code == 404

    # The volunteer says it needs attention: the area's worker hears it at once, once.
    before = last_id()
    answer_by_link(client, to_volunteer, "needs_attention")
    db.session.expire_all()
    assert first_week.done_at is not None
    (escalation,) = new_messages(before)
    assert escalation.to_address == w.worker.email
    assert escalation.subject == "Aandacht nodig bij hulp (Boodschappen)"
    answer_by_link(client, to_volunteer, "needs_attention")  # pressed twice: one mail
    clock.move_to(day(7, 10))
    assert sweep(day(7, 10)) == {"outbox_relay": 1}
    assert new_messages(before) == [escalation]

    # Day 14: "did it lead to help?" — nobody answers; after five days the worker hears it.
    clock.move_to(day(14))
    before = last_id()
    assert sweep(day(14)) == {"checkins": 1, "outbox_relay": 2}
    did_it_help = new_messages(before)
    clock.move_to(day(18, 23))
    assert sweep(day(18, 23)) == {}
    clock.move_to(day(19, 9))
    before = last_id()
    assert sweep(day(19, 9)) == {"checkin_escalation": 1, "outbox_relay": 1}
    (silent,) = new_messages(before)
    assert silent.to_address == w.worker.email
    assert silent.subject.startswith("Geen antwoord op de vraag hoe de hulp gaat")
    # A late "needs attention" still reaches the worker (the silence was reported already).
    clock.move_to(day(20))
    before = last_id()
    answer_by_link(client, did_it_help[0], "needs_attention")
    assert sweep(day(20)) == {"outbox_relay": 1}
    (late,) = new_messages(before)
    assert late.subject == "Aandacht nodig bij hulp (Boodschappen)"

    # Midway (day 42): both say it goes well: nothing reaches the worker, ever.
    clock.move_to(day(42))
    before = last_id()
    assert sweep(day(42)) == {"checkins": 1, "outbox_relay": 2}
    for mail in new_messages(before):
        answer_by_link(client, mail, "going_well")
    clock.move_to(day(50))
    assert sweep(day(50)) == {}

    # Day 70: the before-end check-in, and "who carries on?" to all three.
    clock.move_to(day(70))
    before = last_id()
    assert sweep(day(70)) == {"checkins": 1, "arrangement_ending": 1, "outbox_relay": 5}
    ending = {m.to_address: m.subject for m in new_messages(before)
              if m.dedupe_key.startswith("ending:")}
    assert ending == {
        w.resident.email: "De hulp stopt binnenkort. Wie helpt daarna?",
        w.volunteer.email: "Uw afspraak stopt binnenkort",
        w.worker.email: "Afspraak stopt op 25-05-2026: wie zet het voort?",
    }
    db.session.expire_all()
    assert arrangement.status == "ending"
    for mail in new_messages(before):
        if mail.dedupe_key.startswith("checkin:"):
            answer_by_link(client, mail, "going_well")

    # Past the planned end (25 May) without an evaluation: a weekly reminder to the worker.
    clock.move_to(day(85))  # Tuesday 26 May
    before = last_id()
    assert sweep(day(85)) == {"evaluation_overdue": 1, "outbox_relay": 1}
    (overdue,) = new_messages(before)
    assert overdue.to_address == w.worker.email
    assert overdue.subject == "Evaluatie te laat (Boodschappen)"
    clock.move_to(day(89))  # Saturday, same week: nothing
    assert sweep(day(89)) == {}
    # Sent mail is deleted 90 days after it was sent (retention_rows, the erasure table's
    # Expire for outbox_message), so what the walk sent so far is read now, before it goes.
    sent = {m.id: (m.to_address, m.dedupe_key.split(":")[0]) for m in messages()}
    clock.move_to(day(91))  # Monday: the next week's reminder; day 0's three mails age out
    assert sweep(day(91)) == {"evaluation_overdue": 1, "retention_rows": 3, "outbox_relay": 1}

    # The evaluation ends the support and closes the request.
    clock.move_to(day(92))
    evaluation = followup.evaluate(w.worker, arrangement, continuation="network",
                                   note="De buurvrouw neemt het over.", now=day(92))
    db.session.commit()
    assert evaluation.continuation == "network"
    db.session.expire_all()
    assert arrangement.status == "ended" and arrangement.ended_on == day(92).date()
    assert db.session.get(HelpRequest, arrangement.request_id).status == "closed"
    # No more overdue reminders; the volunteer is thanked for a first completed support.
    clock.move_to(day(99))
    before = last_id()
    # Day 7's two check-ins and the escalation age out (90 days after sending).
    assert sweep(day(99)) == {"volunteer_care": 1, "retention_rows": 3, "outbox_relay": 1}
    (thanks,) = new_messages(before)
    assert (thanks.to_address, thanks.subject) == (w.volunteer.email, "Dank u wel!")

    # Two weeks after the end: a warm invitation, once.
    clock.move_to(day(105))
    assert sweep(day(105)) == {"retention_rows": 2}  # day 14's check-ins age out
    clock.move_to(day(106))
    before = last_id()
    assert sweep(day(106)) == {"reciprocity_invitations": 1, "outbox_relay": 1}
    (invitation_mail,) = new_messages(before)
    assert invitation_mail.to_address == w.resident.email
    assert invitation_mail.subject == "Zou u iets willen doen voor een ander?"
    # One gentle reminder two weeks later, and never a second one.
    clock.move_to(day(120))
    before = last_id()
    # Day 19's and day 20's mails to the worker age out.
    assert sweep(day(120)) == {"reciprocity_reminders": 1, "retention_rows": 2,
                               "outbox_relay": 1}
    (reminder,) = new_messages(before)
    assert reminder.subject == "Nog één keer: iets doen voor een ander?"
    clock.move_to(day(150))
    assert sweep(day(150)) == {"retention_rows": 2}  # day 42's check-ins age out
    assert len(messages(template_key="reciprocity:")) == 2

    # The resident answers through the link: "help a neighbour" becomes a contribution.
    (path,) = links(reminder)
    assert client.get(path).status_code == 200
    response = client.post(path, data={"answer": "help_neighbour",
                                        "description": "Ik kan goed met computers."})
    assert response.status_code == 200
    # Pressing the button again (back button, double click) does not count twice.
    client.post(path, data={"answer": "help_neighbour"})
    db.session.expire_all()
    contributions = db.session.scalars(select(Contribution)).all()
    assert [(c.person_id, c.kind) for c in contributions] == [(w.resident.id, "help_neighbour")]
    assert reciprocity.tally_for(w.resident.id) == reciprocity.rules.Tally(given=1, received=1)
    assert reciprocity.tally_for(w.volunteer.id) == reciprocity.rules.Tally(given=1, received=0)

    # Everything the walk sent, per person: each exactly once (what was read on day 89 and
    # what is still in the outbox now; the mail of the first 60 days has aged out since).
    sent |= {m.id: (m.to_address, m.dedupe_key.split(":")[0]) for m in messages()}
    kinds = {to: [kind for _, (address, kind) in sorted(sent.items()) if address == to]
             for to in (w.resident.email, w.volunteer.email)}
    assert kinds[w.resident.email] == [
        "match", "checkin", "checkin", "checkin", "checkin", "ending", "reciprocity",
        "reciprocity"]
    assert kinds[w.volunteer.email] == [
        "match", "match", "checkin", "checkin", "checkin", "checkin", "ending", "thanks"]


def test_not_now_gets_no_reminder_and_counts_nothing(app, client, clock, world):
    arrangement = start_support(world, now=START)
    followup.evaluate(world.worker, arrangement, continuation="none_needed", now=day(10))
    db.session.commit()
    clock.move_to(day(24))
    before = last_id()
    assert sweep(day(24))["reciprocity_invitations"] == 1
    (invitation_mail,) = [m for m in new_messages(before) if m.dedupe_key.startswith("recip")]
    (path,) = links(invitation_mail)
    assert client.post(path, data={"answer": "not_now"}).status_code == 200
    for n in (38, 60):
        clock.move_to(day(n))
        assert "reciprocity_reminders" not in sweep(day(n))
    # Counted before day 114: sent mail is deleted 90 days after it was sent (retention_rows).
    assert len(messages(template_key="reciprocity:")) == 1
    clock.move_to(day(400))
    assert "reciprocity_reminders" not in sweep(day(400))
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0
    invitation = db.session.scalar(select(ReciprocityInvitation))
    assert invitation.answer == "not_now" and invitation.reminded_at is None


def test_an_extension_plans_ahead_and_its_end_is_watched_again(app, clock, world):
    arrangement = start_support(world, now=START)  # 12 weeks: ends on day 84
    for n in (7, 14, 42, 70, 79):  # nobody answers: the worker hears about each silence
        clock.move_to(day(n))
        run_due(day(n))
    clock.move_to(day(80))
    before = last_id()
    followup.evaluate(world.worker, arrangement, continuation="extension",
                      extension_reason="Nog geen vervoer gevonden.", extend_weeks=6,
                      now=day(80))
    db.session.commit()
    db.session.expire_all()
    assert arrangement.status == "active"
    assert (arrangement.planned_end_on - START.date()).days == 126
    # Only what lies ahead is planned: no second "midway" for a moment already past.
    kinds = [(c.kind, (c.due_on - START.date()).days, c.sent_at is not None)
             for c in followup.checkins_of(arrangement)]
    assert kinds == [("first_week", 7, True), ("did_it_help", 14, True), ("midway", 42, True),
                     ("before_end", 70, True), ("before_end", 112, False)]
    assert sweep(day(80)) == {}
    assert new_messages(before) == []
    # Two weeks before the new end: a check-in and "who carries on?" again.
    clock.move_to(day(112))
    result = sweep(day(112))
    assert result["checkins"] == 1 and result["arrangement_ending"] == 1
    # The extended end passes without a new evaluation: overdue, although one exists.
    assert db.session.scalar(select(func.count()).select_from(Evaluation)) == 1
    clock.move_to(day(127))
    assert sweep(day(127)).get("evaluation_overdue") == 1


def test_an_early_evaluation_moves_the_pending_check_in(app, clock, world):
    arrangement = start_support(world, now=START)
    clock.move_to(day(50))
    run_due(day(50))
    followup.evaluate(world.worker, arrangement, continuation="extension",
                      extension_reason="Langer nodig.", extend_weeks=2, now=day(50))
    db.session.commit()
    before_end = [c for c in followup.checkins_of(arrangement) if c.kind == "before_end"]
    assert [(c.due_on - START.date()).days for c in before_end] == [84]


def test_silence_after_the_support_ended_is_not_escalated(app, clock, world):
    arrangement = start_support(world, now=START)
    clock.move_to(day(7))
    run_due(day(7))
    followup.evaluate(world.worker, arrangement, continuation="none_needed", now=day(8))
    db.session.commit()
    clock.move_to(day(13))
    assert "checkin_escalation" not in sweep(day(13))
    assert db.session.scalar(select(CheckIn).where(CheckIn.kind == "first_week")
                             ).escalated_at is None
    # Ending the support closed it (and the check-ins not asked yet): out of both indexes.
    checkins = followup.checkins_of(arrangement)
    assert all(c.closed_at == day(8) for c in checkins)
    assert [c.sent_at for c in checkins if c.kind == "first_week"] == [day(7)]
    clock.move_to(day(80))
    assert not set(sweep(day(80))) & {"checkins", "checkin_escalation"}
    assert all(c.sent_at is None for c in followup.checkins_of(arrangement)
               if c.kind != "first_week")


def test_a_check_in_of_ended_support_left_open_is_closed_not_asked(app, clock, world,
                                                                      monkeypatch):
    """Support can end by a path that does not close its check-ins (an old row, a bulk
    change): the sweep that meets such a check-in closes it without mail, and reads on past
    a page of them instead of stopping (the summary counts mail only)."""
    monkeypatch.setattr(followup_sweeps, "BATCH", 2)
    ended = []
    for _ in range(3):
        arrangement = start_support(world, now=START)
        arrangement.status, arrangement.ended_on = "ended", START.date()  # bypassing services
        db.session.commit()
        ended.append(arrangement)
    running = start_support(world, now=START + timedelta(days=1))
    since = last_id()
    clock.move_to(day(8))
    assert sweep(day(8))["checkins"] == 1  # the running one's first week; 3 closed silently
    assert {m.to_address for m in new_messages(since)
            if m.dedupe_key.startswith("checkin:")} == {world.resident.email,
                                                         world.volunteer.email}
    first_weeks = {c.arrangement_id: c for c in db.session.scalars(
        select(CheckIn).where(CheckIn.kind == "first_week"))}
    assert all(first_weeks[a.id].closed_at == day(8) and first_weeks[a.id].sent_at is None
               for a in ended)
    assert first_weeks[running.id].sent_at == day(8)


def test_invitations_are_not_held_up_by_support_without_a_resident_account(
        app, clock, world, monkeypatch):
    """Requests a worker typed for someone without an account end like any other; a page of
    them must not starve the invitations behind them (the sweep works in pages)."""
    monkeypatch.setattr(reciprocity, "BATCH", 2)
    for _ in range(3):
        arrangement = start_support(world, now=START, owner_less=True)
        followup.evaluate(world.worker, arrangement, continuation="none_needed", now=day(1))
    arrangement = start_support(world, now=START)
    followup.evaluate(world.worker, arrangement, continuation="none_needed", now=day(1))
    db.session.commit()
    clock.move_to(day(15))
    assert sweep(day(15))["reciprocity_invitations"] == 1
    (invitation,) = db.session.scalars(select(ReciprocityInvitation)).all()
    assert invitation.arrangement_id == arrangement.id
    # All four were taken up (owner-less ones without invitation): none is read again.
    assert db.session.scalar(select(func.count()).select_from(Arrangement).where(
        Arrangement.reciprocity_checked_at.is_(None))) == 0
