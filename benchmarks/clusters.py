"""``associations.clusters``: the cluster finder on 100k open requests in one region.

The region is the province of Noord-Brabant in the packaged gazetteer (520 PC4 codes, 274
places); every place is an area, as a municipality or village core would be. Requests sit at
PC4 centroids drawn uniformly (a population proxy, as in data.py), jittered by ~0.6 km, one of
the 12 categories (meals and shopping twice as likely), created in the last 60 days (so about
half fall in the 30-day window). Metrics: time of ``find_clusters`` per area (p50/p95/max over
the areas, 3 passes), and the whole region as if it were one area. The database query of the
service is not in these numbers; it is one indexed SELECT of the area's open requests.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import numpy as np

from marketplace.associations.clusters import ClusterRules, OpenRequest, find_clusters
from marketplace.geo import default_gazetteer

from .data import CATEGORIES, JITTER_KM, KM_PER_DEG_LAT, KM_PER_DEG_LON

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
PROVINCE = "Noord-Brabant"


def make_requests(n: int, seed: int = 5) -> dict[str, list[OpenRequest]]:
    """n open requests of the region, grouped by area (the place of their PC4)."""
    rng = np.random.default_rng(seed)
    places = [p for p in default_gazetteer() if p.province == PROVINCE]
    pick = rng.integers(0, len(places), n)
    lat = np.array([places[i].lat for i in pick]) + rng.normal(0, JITTER_KM / KM_PER_DEG_LAT, n)
    lon = np.array([places[i].lon for i in pick]) + rng.normal(0, JITTER_KM / KM_PER_DEG_LON, n)
    weights = np.array([2.0 if c in ("meals", "shopping") else 1.0 for c in CATEGORIES])
    cats = rng.choice(len(CATEGORIES), n, p=weights / weights.sum())
    age_s = rng.uniform(0, 60 * 86400, n)
    by_area: dict[str, list[OpenRequest]] = defaultdict(list)
    for k in range(n):
        by_area[places[pick[k]].place].append(OpenRequest(
            k + 1, CATEGORIES[cats[k]], float(lat[k]), float(lon[k]),
            NOW - timedelta(seconds=float(age_s[k]))))
    return by_area


def _ms(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def run(emit, n: int = 100_000) -> None:
    rules = ClusterRules()
    started = time.perf_counter()
    by_area = make_requests(n)
    generated = time.perf_counter() - started
    timings: list[float] = []
    clusters = clustered = 0
    for area_requests in by_area.values():  # warm-up pass, and the counts
        found = find_clusters(area_requests, NOW, rules)
        clusters += len(found)
        clustered += sum(c.count for c in found)
    for _ in range(3):
        for area_requests in by_area.values():
            timings.append(_ms(lambda r=area_requests: find_clusters(r, NOW, rules)))
    timings.sort()
    everything = [r for rs in by_area.values() for r in rs]
    whole = sorted(_ms(lambda: find_clusters(everything, NOW, rules)) for _ in range(3))
    sizes = sorted(len(v) for v in by_area.values())
    emit("associations.clusters", {
        "open_requests": n, "region": PROVINCE, "areas": len(by_area),
        "largest_area_requests": sizes[-1], "median_area_requests": sizes[len(sizes) // 2],
        "cluster_min": rules.min_size, "cluster_radius_km": rules.radius_km,
        "cluster_days": rules.days,
    }, {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
        "max_ms": round(timings[-1], 2),
        "whole_region_ms": round(whole[1], 1),
        "clusters": clusters, "clustered_requests": clustered,
        "generate_s": round(generated, 2),
    })
