"""The cluster finder: hand-made clusters found, scattered requests ignored, boundaries exact."""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from geopy.distance import great_circle

from marketplace.associations.clusters import ClusterRules, OpenRequest, find_clusters
from marketplace.geo import distance_km

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
BLADEL = (51.368, 5.219)
EERSEL = (51.357, 5.318)


def at(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    p = great_circle(kilometers=km).destination((lat, lon), bearing)
    return p.latitude, p.longitude


def ring(first_id: int, centre: tuple[float, float], n: int, km: float, category: str = "meals",
         age_days: float = 1) -> list[OpenRequest]:
    """n requests evenly around a centre at km from it (the first one on the centre)."""
    out = [OpenRequest(first_id, category, *centre, NOW - timedelta(days=age_days))]
    for k in range(1, n):
        out.append(OpenRequest(first_id + k, category, *at(*centre, km, 360 * k / (n - 1)),
                               NOW - timedelta(days=age_days)))
    return out


def test_hand_made_cluster_is_found_and_scattered_requests_are_not() -> None:
    cluster = ring(1, BLADEL, 6, 0.8)
    # Scattered: the same category, each at least 5 km from every other request.
    scattered = [OpenRequest(100 + k, "meals", *at(*BLADEL, 6 + 5 * k, 90), NOW)
                 for k in range(6)]
    found = find_clusters(cluster + scattered, NOW)
    assert len(found) == 1
    (c,) = found
    assert c.category == "meals"
    assert c.request_ids == (1, 2, 3, 4, 5, 6)
    assert c.centre_id == 1
    assert c.count == 6


def test_categories_do_not_mix() -> None:
    reqs = ring(1, BLADEL, 3, 0.5, "meals") + ring(10, BLADEL, 3, 0.5, "garden")
    assert find_clusters(reqs, NOW) == []


def test_two_separate_clusters_largest_first() -> None:
    reqs = ring(1, BLADEL, 5, 1.0, "meals") + ring(20, EERSEL, 7, 1.0, "transport")
    found = find_clusters(reqs, NOW)
    assert [(c.category, c.count) for c in found] == [("transport", 7), ("meals", 5)]


def test_exactly_min_forms_one_and_one_fewer_none() -> None:
    reqs = ring(1, BLADEL, 5, 1.5)
    assert [c.count for c in find_clusters(reqs, NOW)] == [5]
    assert find_clusters(reqs[:4], NOW) == []
    assert find_clusters(reqs, NOW, ClusterRules(min_size=6)) == []


def test_exactly_the_radius_is_within_and_a_hair_more_is_not() -> None:
    reqs = ring(1, BLADEL, 5, 1.9)
    # All ring points are at about 1.9 km; the largest distance decides.
    radius = max(distance_km(BLADEL[0], BLADEL[1], r.lat, r.lon) for r in reqs)
    assert [c.count for c in find_clusters(reqs, NOW, ClusterRules(radius_km=radius))] == [5]
    shorter = ClusterRules(radius_km=radius * (1 - 1e-12))
    assert find_clusters(reqs, NOW, shorter) == []


def test_members_are_within_radius_of_the_centre_not_only_of_each_other() -> None:
    # A line of requests 1 km apart: each has at most 3 neighbours within 1 km (itself
    # included), so no cluster of 5 even though the line is "connected".
    line = [OpenRequest(k + 1, "meals", *at(*BLADEL, k * 1.0, 90), NOW) for k in range(10)]
    assert find_clusters(line, NOW, ClusterRules(radius_km=1.0)) == []
    for c in find_clusters(line, NOW, ClusterRules(radius_km=2.0, min_size=5)):
        centre = next(r for r in line if r.id == c.centre_id)
        for r in line:
            if r.id in c.request_ids:
                assert distance_km(centre.lat, centre.lon, r.lat, r.lon) <= 2.0


def test_window_exactly_cluster_days_counts_and_older_does_not() -> None:
    edge = ring(1, BLADEL, 5, 1.0, age_days=30)
    assert [c.count for c in find_clusters(edge, NOW)] == [5]
    old = ring(1, BLADEL, 5, 1.0, age_days=30.0001)
    assert find_clusters(old, NOW) == []
    # Created after `now` (a clock in the future) does not count either.
    future = ring(1, BLADEL, 5, 1.0, age_days=-1)
    assert find_clusters(future, NOW) == []
    # The window is a rule: 7 days leaves a 10-day-old cluster out.
    assert find_clusters(ring(1, BLADEL, 5, 1.0, age_days=10), NOW, ClusterRules(days=7)) == []


def test_no_request_is_in_two_clusters_and_densest_goes_first() -> None:
    # Two dense groups 2.5 km apart with a request between them that reaches both.
    left = ring(1, BLADEL, 6, 0.3)
    right = ring(20, at(*BLADEL, 2.5, 90), 5, 0.3)
    between = [OpenRequest(50, "meals", *at(*BLADEL, 1.25, 90), NOW)]
    found = find_clusters(left + right + between, NOW)
    ids = [i for c in found for i in c.request_ids]
    assert len(ids) == len(set(ids))
    assert found[0].count >= found[-1].count


def test_result_does_not_depend_on_input_order() -> None:
    rng = random.Random(7)
    reqs = []
    for k in range(400):
        lat, lon = at(*BLADEL, rng.uniform(0, 6), rng.uniform(0, 360))
        reqs.append(OpenRequest(k + 1, rng.choice(["meals", "garden"]), lat, lon,
                                NOW - timedelta(days=rng.uniform(0, 40))))
    first = find_clusters(reqs, NOW)
    assert first  # dense enough to form some
    for _ in range(3):
        rng.shuffle(reqs)
        assert find_clusters(reqs, NOW) == first


def test_every_cluster_meets_the_definition_on_random_data() -> None:
    rng = random.Random(11)
    reqs = [OpenRequest(k + 1, "meals", *at(*BLADEL, rng.uniform(0, 8), rng.uniform(0, 360)),
                        NOW) for k in range(300)]
    rules = ClusterRules(min_size=5, radius_km=1.0)
    found = find_clusters(reqs, NOW, rules)
    by_id = {r.id: r for r in reqs}
    taken = {i for c in found for i in c.request_ids}
    for c in found:
        assert c.count >= 5
        centre = by_id[c.centre_id]
        for i in c.request_ids:
            assert distance_km(centre.lat, centre.lon, by_id[i].lat, by_id[i].lon) <= 1.0
    # Maximal: no request left over has min_size free neighbours (brute force).
    free = [r for r in reqs if r.id not in taken]
    for r in free:
        near = sum(distance_km(r.lat, r.lon, o.lat, o.lon) <= 1.0 for o in free)
        assert near < 5


@pytest.mark.parametrize("bad", [dict(min_size=1), dict(radius_km=0), dict(radius_km=float("nan")),
                                 dict(days=0)])
def test_nonsense_rules_are_refused(bad: dict) -> None:
    with pytest.raises(ValueError):
        ClusterRules(**bad)


def test_clusters_module_imports_neither_flask_nor_sqlalchemy() -> None:
    code = ("import sys\nimport marketplace.associations.clusters\n"
            "print(','.join(m for m in ('flask', 'sqlalchemy', 'werkzeug') if m in sys.modules))")
    repo = Path(__file__).resolve().parents[3]
    out = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""


# ------------------------------------------------------------ the neighbour search itself


@pytest.mark.parametrize("seed", range(12))
def test_close_pairs_finds_what_a_kd_tree_finds(seed):
    """The numpy grid search gives exactly scipy's k-d tree pairs (scipy stays a test-time
    reference here: the web workers no longer import it for clusters)."""
    import numpy as np
    from scipy.spatial import cKDTree

    from marketplace.associations.clusters import close_pairs

    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 1500)) if seed % 2 else int(rng.integers(0, 400))  # grid, all pairs
    spread = float(rng.choice([1e-4, 1e-3, 1e-2, 1.0]))
    points = rng.normal(0, spread, (n, 3))
    if n > 3 and seed % 3 == 0:  # duplicates and points exactly on a cube's edge
        points[1] = points[0]
        points[2] = np.floor(points[3] / 1e-3) * 1e-3
    r = float(rng.choice([spread / 50, spread / 5, spread, 10 * spread]))
    a, b = close_pairs(points, r)
    expected = (cKDTree(points).query_pairs(r, output_type="ndarray") if n
                else np.zeros((0, 2), dtype=np.int64))
    assert sorted(zip(a.tolist(), b.tolist(), strict=True)) == sorted(map(tuple,
                                                                          expected.tolist()))
    assert (a < b).all()
    assert list(zip(a.tolist(), b.tolist(), strict=True)) == sorted(zip(a.tolist(), b.tolist(),
                                                                        strict=True))

