"""The volunteer's nearby list is counted per place and ordered in SQL (issue 15): the same
requests in the same order as measuring every request in Python and sorting them, page by
page, for every sort, with ties in distance between places, equal creation times, places
beyond either radius, the volunteer's own requests, other categories and closed requests."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.geo import distance_km
from marketplace.help_requests.access import REACH_KM, within_reach
from marketplace.help_requests.models import HelpRequest
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.volunteers.services import (
    URGENCY_RANK,
    ProfileInput,
    get_profile,
    nearby_page,
    nearby_requests,
    save_profile,
)

HOME = (51.3678, 5.217)  # 5531's centroid, the volunteer's home


def reference(profile, *, sort: str, not_owner_id: int | None, skills: set[str]) -> list:
    """The list as it was computed before: every fitting request measured and sorted."""
    rows = []
    for r in db.session.scalars(select(HelpRequest).where(
            HelpRequest.status == "open", HelpRequest.category.in_(sorted(skills)))):
        if not_owner_id is not None and r.owner_id == not_owner_id:
            continue
        km = distance_km(profile.lat, profile.lon, r.lat, r.lon)
        if within_reach(km, profile.radius_km):
            rows.append((r, km))
    if sort == "newest":
        rows.sort(key=lambda x: (-x[0].created_at.timestamp(), x[0].id))
    elif sort == "urgency":
        rows.sort(key=lambda x: (URGENCY_RANK.get(x[0].urgency, 1), x[1], x[0].id))
    else:
        rows.sort(key=lambda x: (x[1], x[0].id))
    return [(r.id, km) for r, km in rows]


@pytest.fixture()
def world(make_area, make_user):
    make_area("GM1728", "municipality", pc4=("5531", "5527", "5521"))
    residents = [make_user("resident", name=f"Buur {i}") for i in range(3)]
    volunteer = make_user("volunteer", "resident", name="Vera")
    save_profile(volunteer, ProfileInput(skills=["shopping", "garden"], postcode="5531",
                                         radius_km=4.0))
    rng = random.Random(15)
    d = 0.01  # about 0.7 km of longitude here: east and west of home are equally far
    places = [HOME, (HOME[0], HOME[1] + d), (HOME[0], HOME[1] - d), (HOME[0] + d, HOME[1]),
              (HOME[0], HOME[1] + 2 * d), (HOME[0], HOME[1] - 2 * d), (51.3612, 5.1645),
              (HOME[0] + 0.03, HOME[1] + 0.03),  # about 4 km: beyond the volunteer's radius
              (HOME[0] + 0.1, HOME[1])]  # beyond the bounding box
    start = clock_now() - timedelta(days=3)
    for i in range(90):
        owner = volunteer if i % 11 == 0 else residents[i % 3]
        request = create_request(owner, RequestInput(
            category=rng.choice(["shopping", "shopping", "garden", "odd_jobs"]),
            description="Hulp gezocht bij iets kleins.", postcode="5531",
            house_number=str(i + 1)))
        request.lat, request.lon = rng.choice(places)
        request.urgency = rng.choice(["high", "normal", "normal", "low"])
        request.created_at = start + timedelta(minutes=rng.randrange(30))  # many equal
        if i % 13 == 0:
            request.status = "closed"
    db.session.commit()
    return volunteer


def pages(profile, *, sort: str, size: int, not_owner_id: int | None, category=None):
    shown, after, totals = [], None, set()
    for _ in range(200):
        page = nearby_page(profile, category=category, sort=sort, after=after, size=size,
                           not_owner_id=not_owner_id)
        totals.add(page.total)
        shown += [(n.request.id, n.distance_km) for n in page.items]
        assert len(page.items) <= size
        if page.next_after is None:
            return shown, totals
        assert page.next_after == page.items[-1].request.id
        after = page.next_after
    raise AssertionError("the pages never end")


@pytest.mark.parametrize("sort", ["distance", "urgency", "newest"])
@pytest.mark.parametrize("size", [1, 4, 25, 100])
def test_pages_are_the_measured_and_sorted_list(app, world, sort, size):
    profile = get_profile(world)
    expected = reference(profile, sort=sort, not_owner_id=world.id,
                         skills={"shopping", "garden"})
    assert len(expected) > 30  # the fixture really has ties, places out of reach, own ones
    shown, totals = pages(profile, sort=sort, size=size, not_owner_id=world.id)
    assert shown == expected
    assert totals == {len(expected)}


@pytest.mark.parametrize("sort", ["distance", "urgency", "newest"])
def test_the_list_with_own_requests_and_one_category(app, world, sort):
    profile = get_profile(world)
    assert [(n.request.id, n.distance_km) for n in nearby_requests(profile, sort=sort)] == \
        reference(profile, sort=sort, not_owner_id=None, skills={"shopping", "garden"})
    assert nearby_requests(profile, sort=sort, limit=0) == []
    shown, _totals = pages(profile, sort=sort, size=7, not_owner_id=None, category="garden")
    assert shown == reference(profile, sort=sort, not_owner_id=None, skills={"garden"})


def test_an_after_that_left_the_list_starts_from_the_beginning(app, world):
    profile = get_profile(world)
    first = nearby_page(profile, size=5, not_owner_id=world.id)
    gone = first.items[2].request
    gone.status = "matched"
    db.session.commit()
    again = nearby_page(profile, size=5, after=gone.id, not_owner_id=world.id)
    assert [n.request.id for n in again.items] == \
        [i for i, _km in reference(profile, sort="distance", not_owner_id=world.id,
                                   skills={"shopping", "garden"})][:5]
    assert again.total == first.total - 1
    assert REACH_KM >= profile.radius_km
