"""Hard rules on hand-made cases: radius edges, reach, VOG, capacity, pause, skill."""

import math
from datetime import date

import pytest

from marketplace.matching.core import MatchRequest, VolunteerCandidate, rank
from marketplace.matching.geometry import great_circle_km
from marketplace.matching.rules import exclusions, is_eligible

DAY = date(2026, 6, 1)
HOME = (52.0, 5.0)
NEAR = (52.0, 5.03)  # about 2.05 km east
KM = great_circle_km(*HOME, *NEAR)


def request(**changes):
    values = dict(id=1, category="shopping", lat=HOME[0], lon=HOME[1], reach_km=5.0, when=DAY)
    values.update(changes)
    return MatchRequest(**values)


def volunteer(user_id=10, **changes):
    values = dict(user_id=user_id, lat=NEAR[0], lon=NEAR[1], radius_km=5.0,
                  skills={"shopping"}, max_commitments=2)
    values.update(changes)
    return VolunteerCandidate(**values)


def codes(req, vol):
    return [r.code for r in exclusions(req, vol, great_circle_km(req.lat, req.lon, vol.lat,
                                                                  vol.lon))]


def test_a_volunteer_exactly_at_their_radius_is_inside():
    assert codes(request(), volunteer(radius_km=KM)) == []
    assert codes(request(), volunteer(radius_km=math.nextafter(KM, 0))) == ["outside_radius"]


def test_a_volunteer_exactly_at_the_requests_reach_is_inside():
    assert codes(request(reach_km=KM), volunteer()) == []
    assert codes(request(reach_km=math.nextafter(KM, 0)), volunteer()) == ["outside_reach"]


def test_both_radii_must_hold():
    assert codes(request(reach_km=1.0), volunteer(radius_km=1.0)) == [
        "outside_reach", "outside_radius"]


def test_vog_required_missing_expired_and_valid():
    needs = request(needs_vog=True)
    assert codes(needs, volunteer()) == ["vog_missing"]
    assert codes(needs, volunteer(has_vog=True, vog_valid_until=date(2026, 5, 31))) == [
        "vog_missing"]
    assert codes(needs, volunteer(has_vog=True, vog_valid_until=DAY)) == []  # last valid day
    assert codes(needs, volunteer(has_vog=True)) == []  # no known end date
    assert codes(request(), volunteer()) == []  # not required: no VOG is fine


def test_capacity_pause_and_skill():
    assert codes(request(), volunteer(active_commitments=2, max_commitments=2)) == [
        "at_capacity"]
    assert codes(request(), volunteer(active_commitments=1, max_commitments=2)) == []
    assert codes(request(), volunteer(paused=True)) == ["paused"]
    assert codes(request(), volunteer(skills={"garden"})) == ["skill_absent"]


def test_rank_leaves_out_whoever_breaks_a_rule_and_says_why():
    vols = [
        volunteer(1),
        volunteer(2, paused=True),
        volunteer(3, active_commitments=1, max_commitments=1),
        volunteer(4, skills={"garden"}),
        volunteer(5, radius_km=1.0),
    ]
    ranking = rank(request(), vols)
    assert [c.user_id for c in ranking.candidates] == [1]
    assert {e.user_id: [r.text() for r in e.reasons] for e in ranking.excluded} == {
        2: ["heeft pauze"],
        3: ["helpt al 1 persoon (max 1)"],
        4: ["helpt niet met deze soort hulp"],
        5: ["2 km, buiten de straal van 1 km"],
    }


@pytest.mark.parametrize("vol", [volunteer(), volunteer(paused=True), volunteer(radius_km=1.0),
                                 volunteer(skills={"garden"}), volunteer(max_commitments=0)])
def test_is_eligible_agrees_with_exclusions(vol):
    for req in (request(), request(needs_vog=True), request(reach_km=1.0)):
        km = great_circle_km(req.lat, req.lon, vol.lat, vol.lon)
        assert is_eligible(req, vol, km) == (exclusions(req, vol, km) == ())


def test_values_are_validated():
    with pytest.raises(ValueError):
        request(slots={"someday_morning"})
    with pytest.raises(ValueError):
        request(lat=91.0)
    with pytest.raises(ValueError):
        request(reach_km=0)
    with pytest.raises(ValueError):
        volunteer(pronoun="hun")
    with pytest.raises(ValueError):
        volunteer(active_commitments=-1)
