"""Batch mode: optimal beats greedy where greedy is short-sighted, and is truly optimal."""

from datetime import date, timedelta
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from marketplace.matching.batch import assign_greedy, assign_optimal, feasible_pairs
from marketplace.matching.core import MatchRequest, VolunteerCandidate
from marketplace.matching.geometry import great_circle_km
from marketplace.matching.rules import is_eligible

DAY = date(2026, 6, 1)
KM_PER_DEG_LON = 68.7  # at 52 N


def req(rid, east_km, **kw):
    values = dict(id=rid, category="shopping", lat=52.0, lon=5.0 + east_km / KM_PER_DEG_LON,
                  reach_km=5.0, when=DAY)
    values.update(kw)
    return MatchRequest(**values)


def vol(uid, east_km, **kw):
    values = dict(user_id=uid, lat=52.0, lon=5.0 + east_km / KM_PER_DEG_LON, radius_km=5.0,
                  skills={"shopping"}, max_commitments=1)
    values.update(kw)
    return VolunteerCandidate(**values)


def pairs_of(assignment):
    return {(m.request_id, m.user_id) for m in assignment.matches}


def test_greedy_takes_the_nearest_pair_and_strands_a_request():
    # R1 sits between V1 (1 km) and V2 (2 km); R2 can only reach V1 (1.5 km away).
    requests = [req(1, 0.0), req(2, 2.5, reach_km=1.6)]
    volunteers = [vol(1, 1.0), vol(2, -2.0)]
    greedy = assign_greedy(requests, volunteers)
    optimal = assign_optimal(requests, volunteers)
    assert pairs_of(greedy) == {(1, 1)} and greedy.unmatched == (2,)
    assert pairs_of(optimal) == {(1, 2), (2, 1)} and optimal.unmatched == ()


def test_with_equal_matches_optimal_travels_less():
    # Greedy pairs the closest couple first (R1-V2, 0.9 km) and then must send R2 to V1
    # 2.9 km away; pairing R1-V1 (1.0) and R2-V2 (1.0) is 2.0 km in total.
    requests = [req(1, 0.0), req(2, 1.9)]
    volunteers = [vol(1, -1.0), vol(2, 0.9)]
    greedy = assign_greedy(requests, volunteers)
    optimal = assign_optimal(requests, volunteers)
    assert greedy.matched == optimal.matched == 2
    assert round(greedy.total_km, 1) == 3.8
    assert round(optimal.total_km, 1) == 2.0


def test_a_volunteer_takes_several_requests_up_to_capacity():
    requests = [req(i, 0.1 * i) for i in range(1, 5)]
    volunteers = [vol(1, 0.0, max_commitments=3, active_commitments=1)]  # 2 slots left
    result = assign_optimal(requests, volunteers)
    assert result.matched == 2
    assert [m.request_id for m in result.matches] == [1, 2]  # the two nearest
    assert result.unmatched == (3, 4)


def test_when_neither_side_can_be_matched_fully_the_rest_is_still_optimal():
    # R1 and R2 can only use V1; R3 can use V2 or V3, V3 being nearer. Three requests, three
    # volunteers, at most two matches: the solver must split the problem (Dulmage-Mendelsohn)
    # and still pick the nearer of R1/R2 for V1 and V3 for R3.
    requests = [req(1, 0.0, reach_km=1.0), req(2, 0.3, reach_km=1.0), req(3, 10.0)]
    volunteers = [vol(1, 0.5), vol(2, 13.0), vol(3, 11.0)]
    optimal = assign_optimal(requests, volunteers)
    assert pairs_of(optimal) == {(2, 1), (3, 3)}
    assert optimal.unmatched == (1,)


def test_hard_rules_hold_in_batch_mode():
    requests = [req(1, 0.0, needs_vog=True), req(2, 0.0, category="garden"), req(3, 0.0)]
    volunteers = [
        vol(1, 0.5, has_vog=True, vog_valid_until=DAY - timedelta(days=1)),  # expired
        vol(2, 0.5, paused=True),
        vol(3, 6.0),  # beyond reach and radius
        vol(4, 0.5, skills={"pets"}),
    ]
    # Only R3 (no VOG needed) can use V1; nobody else passes a rule for anyone.
    assert pairs_of(assign_optimal(requests, volunteers)) == {(3, 1)}
    assert pairs_of(assign_optimal(requests[:2], volunteers)) == set()
    assert assign_optimal([], volunteers).matches == ()
    assert assign_optimal(requests, []).unmatched == (1, 2, 3)


# Small random instances, checked against brute force ------------------------------------

categories = st.sampled_from(["shopping", "garden"])
# Mostly spread out, sometimes stacked on a few spots: crowds compete for the same volunteers.
offsets = st.floats(min_value=-6, max_value=6, allow_nan=False) | st.sampled_from([0.0, 3.0])


@st.composite
def instances(draw):
    n_req = draw(st.integers(1, 5))
    n_vol = draw(st.integers(1, 4))
    requests = [
        MatchRequest(
            id=100 + i, category=draw(categories),
            lat=52.0 + draw(offsets) / 111.2, lon=5.0 + draw(offsets) / KM_PER_DEG_LON,
            reach_km=draw(st.floats(1, 8)), when=DAY, needs_vog=draw(st.booleans()),
        )
        for i in range(n_req)
    ]
    volunteers = []
    for j in range(n_vol):
        maximum = draw(st.integers(1, 3))
        volunteers.append(VolunteerCandidate(
            user_id=j + 1, lat=52.0 + draw(offsets) / 111.2,
            lon=5.0 + draw(offsets) / KM_PER_DEG_LON, radius_km=draw(st.floats(0.5, 8)),
            skills=draw(st.sets(categories, min_size=1)),
            has_vog=draw(st.booleans()), paused=draw(st.booleans()) and draw(st.booleans()),
            active_commitments=draw(st.integers(0, maximum)), max_commitments=maximum,
        ))
    return requests, volunteers


def brute_force(requests, volunteers):
    """(most matches, least km) over every assignment, by exhaustive search."""
    options = []
    for r in requests:
        row = [None]
        for j, v in enumerate(volunteers):
            km = great_circle_km(r.lat, r.lon, v.lat, v.lon)
            if is_eligible(r, v, km):
                row.append((j, km))
        options.append(row)
    best = (0, 0.0)
    left = [v.capacity_left for v in volunteers]

    def walk(i, matched, km):
        nonlocal best
        if i == len(requests):
            if (matched, -km) > (best[0], -best[1]):
                best = (matched, km)
            return
        for choice in options[i]:
            if choice is None:
                walk(i + 1, matched, km)
            elif left[choice[0]] > 0:
                left[choice[0]] -= 1
                walk(i + 1, matched + 1, km + choice[1])
                left[choice[0]] += 1

    walk(0, 0, 0.0)
    return best


@settings(max_examples=150, deadline=None)
@given(instances())
def test_optimal_equals_brute_force_and_beats_greedy(instance):
    requests, volunteers = instance
    optimal = assign_optimal(requests, volunteers)
    greedy = assign_greedy(requests, volunteers)
    best_matches, best_km = brute_force(requests, volunteers)
    assert optimal.matched == best_matches
    # Costs are whole metres, so the total may differ from the true optimum by < 1 m a match.
    assert abs(optimal.total_km - best_km) <= 0.001 * max(1, best_matches)
    assert optimal.matched >= greedy.matched
    for assignment in (optimal, greedy):
        load = {}
        by_id = {r.id: r for r in requests}
        by_user = {v.user_id: v for v in volunteers}
        for m in assignment.matches:
            assert is_eligible(by_id[m.request_id], by_user[m.user_id], m.distance_km)
            load[m.user_id] = load.get(m.user_id, 0) + 1
        assert all(n <= by_user[u].capacity_left for u, n in load.items())
        assert len({m.request_id for m in assignment.matches}) == assignment.matched


@settings(max_examples=100, deadline=None)
@given(instances())
def test_feasible_pairs_follow_the_reference_rules(instance):
    requests, volunteers = instance
    pairs = feasible_pairs(requests, volunteers)
    found = {(int(i), int(j)): km for i, j, km in zip(pairs.request, pairs.volunteer, pairs.km,
                                                      strict=True)}
    expected = {}
    for i, r in enumerate(requests):
        for j, v in enumerate(volunteers):
            km = great_circle_km(r.lat, r.lon, v.lat, v.lon)
            if is_eligible(r, v, km):
                expected[(i, j)] = km
    assert found.keys() == expected.keys()
    for key, km in expected.items():
        assert abs(found[key] - km) < 1e-9


@settings(max_examples=100, deadline=None)
@given(instances())
def test_the_split_path_alone_is_optimal_too(instance):
    """Force the Dulmage-Mendelsohn path (normally only taken when neither side can be
    matched fully) and check it against brute force as well."""
    requests, volunteers = instance
    from scipy.sparse import csgraph  # batch imports it when it runs, so patch it there

    real = csgraph.min_weight_full_bipartite_matching
    calls = []

    def refuse_first(graph):
        calls.append(graph.shape)
        if len(calls) == 1:
            raise ValueError("pretend no full matching exists")
        return real(graph)

    with patch.object(csgraph, "min_weight_full_bipartite_matching", refuse_first):
        optimal = assign_optimal(requests, volunteers)
    best_matches, best_km = brute_force(requests, volunteers)
    assert optimal.matched == best_matches
    assert abs(optimal.total_km - best_km) <= 0.001 * max(1, best_matches)
