"""Volunteer sweeps in time: the weekly digest (Mondays only, once a week, only what is new
and fits) and volunteer care (inactive, long at capacity, thanks after milestones)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.followup.models import SweepRecord
from marketplace.followup.services import evaluate
from marketplace.jobs import run_due
from marketplace.volunteers import sweeps as volunteer_sweeps
from marketplace.volunteers.services import ProfileInput, save_profile
from tests.integration.test_sweeps_world import (
    START,
    day,
    make_world,
    messages,
    post_request,
    start_support,
)


@pytest.fixture()
def clock():
    with time_machine.travel(START - timedelta(days=120), tick=False) as traveller:
        yield traveller


@pytest.fixture()
def world(app, make_area, make_user):
    return make_world(make_area, make_user)


def handled(at, job: str) -> int:
    first = run_due(at)
    assert not any(run_due(at).values())
    return first[job]


def digests(to: str) -> list:
    return [m for m in messages(to=to) if m.dedupe_key.startswith("digest:")]


def test_the_digest_comes_on_mondays_once_with_what_is_new_and_fits(
        app, clock, world, make_user):
    paused = make_user("volunteer", name="Piet Pauze")
    save_profile(paused, ProfileInput(skills=["shopping"], postcode="5531", radius_km=10,
                                      paused_until=date(2026, 12, 31)))
    quiet = make_user("volunteer", name="Stil")
    save_profile(quiet, ProfileInput(skills=["shopping"], postcode="5531", radius_km=10,
                                     wants_digest=False))
    db.session.commit()
    # START is a Monday. Last week: one request that fits, one of another category, one
    # posted this Monday morning (it belongs in next week's digest).
    clock.move_to(day(-3))
    post_request(world, now=day(-3))
    post_request(world, category="paperwork", now=day(-3))
    clock.move_to(day(0, 5))  # 06:00 in the Netherlands
    post_request(world, now=day(0, 5))

    for n in (-6, -1):  # Tuesday, Sunday
        clock.move_to(day(n))
        assert handled(day(n), "volunteer_digest") == 0
    clock.move_to(day(0, 7))  # Monday 08:00 in the Netherlands
    assert handled(day(0, 7), "volunteer_digest") == 1
    (digest,) = digests(world.volunteer.email)
    assert digest.subject == "Nieuwe hulpvragen bij u in de buurt"
    assert digest.body_text.count("- Boodschappen, 5531") == 1
    assert "Post en papieren" not in digest.body_text  # not among her skills
    assert digests(paused.email) == [] and digests(quiet.email) == []
    clock.move_to(day(0, 20))  # later the same Monday (a restart): nothing again
    assert handled(day(0, 20), "volunteer_digest") == 0
    clock.move_to(day(1))
    assert handled(day(1), "volunteer_digest") == 0
    # Next Monday: the request of Monday morning.
    clock.move_to(day(7, 7))
    assert handled(day(7, 7), "volunteer_digest") == 1
    assert len(digests(world.volunteer.email)) == 2
    # A week without anything new: no mail at all.
    clock.move_to(day(14, 7))
    assert handled(day(14, 7), "volunteer_digest") == 0


def test_the_digest_reaches_every_volunteer_of_a_large_region(app, clock, world, make_user,
                                                               monkeypatch):
    """More volunteers than one page: the Monday run reaches them all (it runs once)."""
    monkeypatch.setattr(volunteer_sweeps, "BATCH", 2)
    for n in range(4):
        volunteer = make_user("volunteer", name=f"V{n}")
        save_profile(volunteer, ProfileInput(skills=["shopping"], postcode="5531",
                                             radius_km=10))
    db.session.commit()
    clock.move_to(day(-2))
    post_request(world, now=day(-2))
    clock.move_to(day(0, 7))
    assert handled(day(0, 7), "volunteer_digest") == 5


def test_volunteer_care_inactive_capacity_and_thanks(app, clock, world, make_user):
    # Created 120 days before START and never matched: inactive, once a quarter.
    clock.move_to(day(-60))
    assert handled(day(-60), "volunteer_care") == 1  # inactive (created 60 days ago)
    (inactive,) = messages(template_key="inactive:")
    assert (inactive.to_address, inactive.subject) == (world.volunteer.email,
                                                       "We denken aan u")
    inactive_id = inactive.id
    clock.move_to(day(-30))
    assert handled(day(-30), "volunteer_care") == 0  # same quarter (Q1 2026)

    # A volunteer at full capacity for 90 days is invited to take a pause; helping someone
    # is not "inactive".
    busy = make_user("volunteer", name="Bea Bezig")
    save_profile(busy, ProfileInput(skills=["shopping"], postcode="5531", radius_km=10,
                                    max_commitments=1))
    db.session.commit()
    clock.move_to(START)
    arrangement = start_support(world, now=START, volunteer=busy)
    extended = start_support(world, now=START)  # the first volunteer helps again
    evaluate(world.worker, extended, continuation="extension", extension_reason="Langer.",
             extend_weeks=20, now=day(30))
    db.session.commit()
    clock.move_to(day(89))
    assert messages(template_key="capacity:") == []
    clock.move_to(day(90))
    run_due(day(90))
    (capacity,) = messages(template_key="capacity:")
    assert (capacity.to_address, capacity.subject) == (busy.email, "Zorg ook goed voor uzelf")
    clock.move_to(day(95))
    run_due(day(95))
    # Helping (and having just helped) someone is not inactive; capacity: once a quarter.
    # No inactive mail besides day -60's, which retention_rows deleted on day 90 (sent mail
    # goes 90 days after it was sent), so it is no longer in the outbox to count.
    assert [m.id for m in messages(template_key="inactive:") if m.id != inactive_id] == []
    assert db.session.scalars(select(SweepRecord.key).where(
        SweepRecord.key.startswith("inactive:"))).all() == [
        f"inactive:{world.volunteer.id}:2026-Q1"]  # the sweep's own record of what it sent
    assert len(messages(template_key="capacity:")) == 1

    # Thanks when the first support ends (milestone 1), once.
    evaluate(world.worker, arrangement, continuation="none_needed", now=day(96))
    db.session.commit()
    clock.move_to(day(97))
    assert handled(day(97), "volunteer_care") == 1
    (thanks,) = messages(template_key="thanks:")
    assert (thanks.to_address, thanks.subject) == (busy.email, "Dank u wel!")
    clock.move_to(day(110))
    assert handled(day(110), "volunteer_care") == 0
