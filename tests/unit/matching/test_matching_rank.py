"""Ordering on hand-made cases: own network first, continuity, ties, weights, reasons."""

from datetime import date

import pytest

from marketplace.matching.core import (
    DEFAULT_WEIGHTS,
    MatchRequest,
    NetworkMember,
    VolunteerCandidate,
    nearby_requests,
    rank,
)

DAY = date(2026, 6, 1)


def request(**changes):
    values = dict(id=1, category="shopping", lat=52.0, lon=5.0, reach_km=10.0, when=DAY,
                  resident_id=77)
    values.update(changes)
    return MatchRequest(**values)


def volunteer(user_id, east_km=1.0, **changes):
    # 1 degree of longitude at 52 N is about 68.7 km.
    values = dict(user_id=user_id, lat=52.0, lon=5.0 + east_km / 68.7, radius_km=10.0,
                  skills={"shopping"}, max_commitments=3)
    values.update(changes)
    return VolunteerCandidate(**values)


def ids(ranking):
    return [c.user_id for c in ranking.candidates]


def test_own_network_comes_first_and_only_who_can_help():
    network = [
        NetworkMember("Ans", "neighbour", {"shopping", "garden"}),
        NetworkMember("Bram", "family", {"garden"}),
        NetworkMember("Cor", "friend", {"shopping"}, cannot_help={"shopping"}),
        NetworkMember("Dina", "family", {"shopping"}),
    ]
    ranking = rank(request(), [volunteer(5)], network)
    assert [m.name for m in ranking.network] == ["Ans", "Dina"]
    assert ids(ranking) == [5]


def test_closer_ranks_higher_all_else_equal():
    assert ids(rank(request(), [volunteer(1, 4.0), volunteer(2, 1.0), volunteer(3, 2.0)])) == [
        2, 3, 1]


def test_continuity_lifts_someone_who_helped_this_resident_before():
    far_but_familiar = volunteer(1, 3.0, helped_residents={77})
    near_stranger = volunteer(2, 1.0)
    ranking = rank(request(), [near_stranger, far_but_familiar])
    assert ids(ranking) == [1, 2]
    assert "hielp deze bewoner eerder" in ranking.candidates[0].reason_texts()
    # Helping another resident does not count.
    assert ids(rank(request(resident_id=78), [near_stranger, far_but_familiar])) == [2, 1]


def test_ties_break_by_distance_then_user_id():
    # Same place and profile: equal scores and distances, so the lower id comes first.
    assert ids(rank(request(), [volunteer(9), volunteer(3), volunteer(6)])) == [3, 6, 9]
    # Equal scores with the distance factor switched off: the nearer one still wins.
    weights = {"distance": 0}
    assert ids(rank(request(), [volunteer(1, 3.0), volunteer(2, 1.0)], weights=weights)) == [2, 1]


def test_order_is_independent_of_input_order():
    vols = [volunteer(i, 0.5 * i, active_commitments=i % 3) for i in range(1, 9)]
    assert ids(rank(request(), vols)) == ids(rank(request(), list(reversed(vols))))


def test_load_availability_and_language_count():
    busy = volunteer(1, 1.0, active_commitments=2)
    free = volunteer(2, 1.0)
    assert ids(rank(request(), [busy, free])) == [2, 1]
    wanted = request(slots={"tue_morning", "thu_evening"})
    fits = volunteer(3, 2.0, availability={"tue_morning", "thu_evening"})
    half = volunteer(4, 2.0, availability={"tue_morning"})
    never = volunteer(5, 2.0, availability={"sat_morning"})
    assert ids(rank(wanted, [never, half, fits])) == [3, 4, 5]
    turkish = request(language="tr")
    assert ids(rank(turkish, [volunteer(6, 1.0), volunteer(7, 1.5, languages={"tr"})])) == [7, 6]


def test_reasons_in_plain_dutch():
    req = request(slots={"tue_morning", "mon_evening"}, needs_vog=True)
    vol = volunteer(1, 2.5, radius_km=5, active_commitments=2, has_vog=True, pronoun="haar",
                    availability={"tue_morning", "mon_evening", "sun_morning"},
                    helped_residents={77})
    [candidate] = rank(req, [vol]).candidates
    assert candidate.reason_texts() == [
        "2,5 km, binnen haar straal",
        "heeft VOG",
        "helpt al 2 mensen (max 3)",
        "hielp deze bewoner eerder",
        "beschikbaar ma-avond, di-ochtend",
    ]
    assert candidate.reasons[0].code == "distance"
    assert candidate.reasons[0].params["km"] == 2.5
    assert candidate.display_km == 2.5
    neutral = rank(request(), [volunteer(2, 3.0)]).candidates[0]
    assert neutral.reason_texts()[0] == "3 km, binnen de straal"
    assert "helpt nu niemand (max 3)" in neutral.reason_texts()


def test_score_is_a_rounded_percentage():
    [best] = rank(request(), [volunteer(1, 0.0, helped_residents={77})]).candidates
    assert best.score == 100.0
    assert set(best.factors) == set(DEFAULT_WEIGHTS)
    [other] = rank(request(), [volunteer(2, 5.0, active_commitments=1)]).candidates
    assert 0 < other.score < 100 and round(other.score, 1) == other.score


def test_limit_and_weights_validation():
    vols = [volunteer(i, 0.1 * i) for i in range(1, 30)]
    assert len(rank(request(), vols).candidates) == 20
    assert len(rank(request(), vols, limit=5).candidates) == 5
    assert len(rank(request(), vols, limit=None).candidates) == 29
    with pytest.raises(ValueError, match="unknown matching factor"):
        rank(request(), vols, weights={"charm": 1})
    with pytest.raises(ValueError):
        rank(request(), vols, weights={"distance": -1})
    with pytest.raises(ValueError):
        rank(request(), vols, weights=dict.fromkeys(DEFAULT_WEIGHTS, 0))
    with pytest.raises(ValueError, match="offered twice"):
        rank(request(), [volunteer(1), volunteer(1)])


def test_nearby_requests_is_the_same_engine_the_other_way_round():
    vol = volunteer(1, 0.0, radius_km=3.0, skills={"shopping", "garden"})
    reqs = [
        request(id=10, lon=5.0 + 2 / 68.7),
        request(id=11, lon=5.0 + 1 / 68.7, category="garden"),
        request(id=12, lon=5.0 + 4 / 68.7),  # outside the volunteer's radius
        request(id=13, lon=5.0 + 1 / 68.7, category="pets"),  # not a skill
        request(id=14, lon=5.0 + 1 / 68.7, needs_vog=True),  # no VOG
    ]
    assert [(r.id, round(km, 1)) for r, km in nearby_requests(vol, reqs)] == [(11, 1.0),
                                                                             (10, 2.0)]
