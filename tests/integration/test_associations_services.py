"""Association and activity services on a real database: series and occurrences, the
waiting list, cancelling and moving one time, attendance, the day-before reminder sweep."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from marketplace.associations import services
from marketplace.associations.access import can_manage, can_see_signups
from marketplace.associations.models import Occurrence, Signup
from marketplace.associations.services import ActivityInput
from marketplace.associations.signups import signups_of, waitlist_position
from marketplace.clock import DOMAIN_TZ
from marketplace.errors import Conflict, Forbidden, NotFound, ValidationFailed
from marketplace.extensions import db
from tests.integration.test_sweeps_world import messages

# Monday 1 March 2027, 09:00 UTC; the series starts on Tuesday 2 March, 19:00 Dutch time.
START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
FIRST = datetime(2027, 3, 2, 19, 0, tzinfo=DOMAIN_TZ)


@pytest.fixture()
def world(make_area, make_user):
    area = make_area("GM1728", "municipality", pc4=("5531", "5541"))
    worker = make_user("worker", areas=(area,))
    other_worker = make_user("worker", areas=(make_area("GM0861", pc4=("5521",)),))
    board = make_user("association")
    stranger = make_user("association")
    association = services.create_association(worker, name="De Linde", postcode="5531")
    services.add_member(worker, association, board)
    other = services.create_association(worker, name="Andere club", postcode="5541")
    services.add_member(worker, other, stranger)
    db.session.commit()
    return {"worker": worker, "other_worker": other_worker, "board": board,
            "stranger": stranger, "association": association, "make_user": make_user}


def _activity(world, *, now=START, **extra):
    data = ActivityInput(title="Koffie-inloop", category="companionship", postcode="5531",
                         venue="Dorpshuis De Linde", starts_at=FIRST,
                         ends_at=FIRST + timedelta(hours=2), recurrence="weekly",
                         capacity=2, accessible=True,
                         association_id=world["association"].id)
    for key, value in extra.items():
        setattr(data, key, value)
    activity = services.create_activity(world["board"], data, now=now)
    db.session.commit()
    return activity


def test_weekly_series_keeps_local_time_and_generation_is_idempotent(world):
    activity = _activity(world, repeat_until=date(2027, 5, 4))
    starts = [o.starts_at.astimezone(DOMAIN_TZ) for o in activity.occurrences]
    # 2 March .. 4 May: ten Tuesdays, all at 19:00 Dutch time across the switch to summer time.
    assert len(starts) == 10
    assert {(s.weekday(), s.hour) for s in starts} == {(1, 19)}
    assert starts[-1].date() == date(2027, 5, 4)
    assert services.generate_occurrences(activity, now=START) == 0
    assert services.generate_occurrences(activity, until=date(2027, 12, 31), now=START) == 0
    count = db.session.scalar(select(func.count(Occurrence.id))
                              .where(Occurrence.activity_id == activity.id))
    assert count == 10


def test_create_activity_rules(world):
    with pytest.raises(ValidationFailed) as failure:
        _activity(world, starts_at=START - timedelta(days=1), capacity=0, recurrence="daily",
                  postcode="5599", category="knitting", ends_at=None)
    assert set(failure.value.errors) == {"starts_at", "capacity", "recurrence", "postcode",
                                         "category"}
    with pytest.raises(ValidationFailed) as failure:
        _activity(world, ends_at=FIRST - timedelta(minutes=1))
    assert set(failure.value.errors) == {"ends_at"}
    db.session.rollback()
    # A member of another association may not create one for this association.
    with pytest.raises(Forbidden):
        services.create_activity(world["stranger"], ActivityInput(
            title="X", category="meals", postcode="5531", starts_at=FIRST,
            association_id=world["association"].id), now=START)


def test_waitlist_moves_up_and_is_told(world):
    activity = _activity(world)
    make_user = world["make_user"]
    people = [make_user("resident", name=f"Persoon {i}") for i in range(4)]
    entries = [services.signup(activity, p, actor=p, now=START) for p in people]
    db.session.commit()
    assert [e.status for e in entries] == ["registered", "registered", "waitlisted",
                                           "waitlisted"]
    assert [waitlist_position(e) for e in entries[2:]] == [1, 2]
    with pytest.raises(Conflict):
        services.signup(activity, people[0], actor=people[0], now=START)
    db.session.rollback()

    services.cancel_signup(activity, people[1], now=START)
    db.session.commit()
    db.session.expire_all()
    assert [s.user.name for s in signups_of(activity)] == ["Persoon 0", "Persoon 2",
                                                           "Persoon 3"]
    assert db.session.get(Signup, entries[2].id).status == "registered"
    assert waitlist_position(db.session.get(Signup, entries[3].id)) == 1
    told = messages(to=people[2].email)
    assert len(told) == 1 and "Koffie-inloop" in told[0].subject
    assert messages(to=people[3].email) == []
    # Signing up again after signing off is allowed (a new sign-up, at the back).
    again = services.signup(activity, people[1], actor=people[1], now=START)
    assert again.status == "waitlisted" and waitlist_position(again) == 2


def test_cancel_and_move_one_time_touch_nothing_else(world):
    activity = _activity(world)
    resident = world["make_user"]("resident")
    services.signup(activity, resident, actor=resident, now=START)
    db.session.commit()
    first, second, third = activity.occurrences[:3]
    before = [(o.id, o.starts_at, o.status) for o in activity.occurrences[2:]]

    services.cancel_occurrence(world["board"], first, now=START)
    new_start = second.starts_at + timedelta(days=1, hours=-1)
    services.move_occurrence(world["board"], second, new_start, now=START)
    db.session.commit()
    db.session.expire_all()
    assert first.status == "cancelled"
    assert second.starts_at == new_start and second.moved_from == FIRST + timedelta(weeks=1)
    assert second.ends_at - second.starts_at == timedelta(hours=2)
    assert [(o.id, o.starts_at, o.status) for o in activity.occurrences[2:]] == before
    assert db.session.scalar(select(Signup.status).where(Signup.user_id == resident.id)) \
        == "registered"
    keys = [m.dedupe_key for m in messages(to=resident.email)]
    assert keys == [f"occurrence:{first.id}:cancelled:{resident.id}",
                    f"occurrence:{second.id}:moved:"
                    f"{new_start.astimezone(UTC).strftime('%Y%m%d%H%M')}:{resident.id}"]
    # Generating again does not bring the cancelled or moved time back as a duplicate.
    assert services.generate_occurrences(activity, now=START) == 0
    # Another association's member may not touch this activity's times.
    with pytest.raises(NotFound):
        services.cancel_occurrence(world["stranger"], third, now=START)


def test_attendance_per_occurrence(world):
    activity = _activity(world)
    people = [world["make_user"]("resident") for _ in range(2)]
    for p in people:
        services.signup(activity, p, actor=p, now=START)
    db.session.commit()
    first = activity.occurrences[0]
    with pytest.raises(ValidationFailed):  # not yet happened
        services.record_attendance(world["board"], first, headcount=3, now=START)
    after = FIRST + timedelta(hours=3)
    services.record_attendance(world["board"], first, present_user_ids=[people[0].id],
                               now=after)
    assert first.headcount == 1
    services.record_attendance(world["board"], first, present_user_ids=[people[0].id],
                               headcount=7, now=after)
    assert first.headcount == 7
    with pytest.raises(ValidationFailed):
        services.record_attendance(world["board"], first,
                                   present_user_ids=[world["stranger"].id], now=after)
    with pytest.raises(NotFound):
        services.record_attendance(world["stranger"], first, headcount=2, now=after)


def test_who_manages_and_who_sees_names(world):
    activity = _activity(world)
    welfare = services.create_activity(world["worker"], ActivityInput(
        title="Eettafel", category="meals", postcode="5541", starts_at=FIRST), now=START)
    resident = world["make_user"]("resident")
    assert can_manage(world["board"], activity) and can_see_signups(world["board"], activity)
    assert can_manage(world["worker"], activity)  # worker of the area
    for outsider in (world["stranger"], world["other_worker"], resident):
        assert not can_manage(outsider, activity)
        assert not can_see_signups(outsider, activity)
    assert can_manage(world["worker"], welfare) and welfare.run_by == "welfare"
    assert not can_manage(world["board"], welfare)
    with pytest.raises(ValidationFailed) as failure:
        services.create_activity(world["other_worker"], ActivityInput(
            title="Eettafel", category="meals", postcode="5541", starts_at=FIRST), now=START)
    assert "postcode" in failure.value.errors


def test_nearby_weekday_and_spots(world):
    activity = _activity(world)
    services.create_activity(world["worker"], ActivityInput(
        title="Eettafel", category="meals", postcode="5541",
        starts_at=datetime(2027, 3, 4, 12, 0, tzinfo=DOMAIN_TZ)), now=START)
    resident = world["make_user"]("resident")
    services.signup(activity, resident, actor=resident, now=START)
    db.session.commit()
    found = services.activities_nearby("5531 AB", radius_km=5, now=START)
    assert [(n.activity.title, n.distance_km, n.spots_left) for n in found] == [
        ("Koffie-inloop", 0.5, 1), ("Eettafel", 3.5, None)]
    assert found[0].next_starts_at == FIRST
    assert [n.activity.title for n in services.activities_nearby(
        "5531", weekday="thu", now=START)] == ["Eettafel"]
    assert [n.activity.title for n in services.activities_nearby(
        "5531", category="companionship", now=START)] == ["Koffie-inloop"]
    assert services.activities_nearby("5531", radius_km=2, weekday="thu", now=START) == []


def _run_due(runner, at: str) -> dict[str, int]:
    result = runner.invoke(args=["jobs", "run-due", "--at", at])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return {k: v for k, v in json.loads(result.stdout).items()
            if v and k.startswith("activity_")}


def test_reminder_the_day_before_once_per_person(world, runner):
    with time_machine.travel(START, tick=False):
        activity = _activity(world)
        people = [world["make_user"]("resident") for _ in range(3)]
        for p in people:
            services.signup(activity, p, actor=p, now=START)  # the third waits
        activity_id = activity.id
        db.session.commit()
    # Monday 10:00 Dutch time: Tuesday 19:00 is more than a day away.
    assert _run_due(runner, "2027-03-01T10:00") == {}
    # Monday 19:15 → the occurrence of Tuesday 2 March 19:00 is less than a day away.
    due = _run_due(runner, "2027-03-01T19:15")
    assert due == {"activity_reminders": 1}
    reminded = messages(template_key="occurrence:")
    assert sorted(m.to_address for m in reminded) == sorted(p.email for p in people[:2])
    assert all("Morgen" in m.subject for m in reminded)
    assert "Dorpshuis De Linde" in reminded[0].body_text
    # Again, and later the same evening: nothing new for that occurrence.
    assert _run_due(runner, "2027-03-01T19:15") == {}
    assert _run_due(runner, "2027-03-01T23:00") == {}
    assert len(messages(template_key="occurrence:")) == 2
    # A week later, the next Tuesday (old mail may have left the outbox by then: look at
    # the keys of this occurrence only).
    second = services.get_activity(activity_id).occurrences[1]
    assert _run_due(runner, "2027-03-08T19:30") == {"activity_reminders": 1}
    assert sorted(m.dedupe_key for m in messages(
        template_key=f"occurrence:{second.id}:reminder:")) == sorted(
        f"occurrence:{second.id}:reminder:{p.id}" for p in people[:2])


def test_planning_sweep_tops_up_and_ends(world, runner):
    with time_machine.travel(START, tick=False):
        weekly = _activity(world)
        once = _activity(world, recurrence="none", title="Eenmalig")
        weekly_id, once_id = weekly.id, once.id
    planned = db.session.scalar(select(func.count(Occurrence.id))
                                .where(Occurrence.activity_id == weekly_id))
    assert _run_due(runner, "2027-03-01T12:00") == {}
    # Two months on: the series is topped up, the one-off has ended.
    assert _run_due(runner, "2027-05-01T12:00") == {"activity_planning": 2}
    assert _run_due(runner, "2027-05-01T12:00") == {}
    assert db.session.scalar(select(func.count(Occurrence.id))
                             .where(Occurrence.activity_id == weekly_id)) > planned
    assert services.get_activity(once_id).status == "ended"


def test_edit_replans_untouched_times_and_more_places_let_people_in(world):
    activity = _activity(world)
    people = [world["make_user"]("resident") for _ in range(3)]
    for p in people:
        services.signup(activity, p, actor=p, now=START)
    db.session.commit()
    moved = activity.occurrences[1]
    services.move_occurrence(world["board"], moved, moved.starts_at + timedelta(hours=1),
                             now=START)
    data = ActivityInput(title="Koffie-inloop", category="companionship", postcode="5531",
                         venue="Dorpshuis De Linde", starts_at=FIRST + timedelta(hours=1),
                         ends_at=FIRST + timedelta(hours=3), recurrence="weekly",
                         capacity=3, accessible=True, association_id=world["association"].id)
    services.update_activity(world["board"], activity, data, now=START)
    db.session.commit()
    db.session.expire_all()
    hours = {o.starts_at.astimezone(DOMAIN_TZ).hour for o in activity.occurrences
             if o.id != moved.id}
    assert hours == {20}  # the new time; the moved one stays where it was moved to
    assert db.session.get(Occurrence, moved.id).moved_from is not None
    assert [s.status for s in signups_of(activity)] == ["registered"] * 3
    assert len(messages(to=people[2].email, template_key="activity:")) == 1
    with pytest.raises(NotFound):
        services.update_activity(world["stranger"], activity, data, now=START)


def test_stopping_an_activity_tells_everyone_and_closes_sign_ups(world):
    activity = _activity(world)
    people = [world["make_user"]("resident") for _ in range(3)]  # the third waits
    for p in people:
        services.signup(activity, p, actor=p, now=START)
    with pytest.raises(NotFound):
        services.cancel_activity(world["stranger"], activity, now=START)
    assert services.cancel_activity(world["board"], activity, now=START) == 3
    db.session.commit()
    assert {o.status for o in activity.occurrences} == {"cancelled"}
    assert sorted(m.to_address for m in messages(template_key=f"activity:{activity.id}:"
                                                 "cancelled:")) == sorted(
        p.email for p in people)
    late = world["make_user"]("resident")
    with pytest.raises(Conflict):
        services.signup(activity, late, actor=late, now=START)
    assert services.cancel_activity(world["board"], activity, now=START) == 0
    assert services.activities_nearby("5531", now=START) == []
