"""Collective solutions: clusters of open requests of one category close together.

Pure (standard library, geopy, numpy/scipy and marketplace.geo; no Flask, no SQLAlchemy),
so it is unit-tested without an app and benchmarked on 100k requests.

The definition (docs/collective.md says the same in words):

- only requests created in the window ``[now - days, now]`` count (both ends included);
- two requests are *neighbours* when they share a category and their great-circle distance
  is at most ``radius_km`` (``marketplace.geo.distance_km``: equal to the radius is within);
- greedy by density: the request with the most not-yet-clustered neighbours (itself
  included) becomes a *centre*; it and those neighbours form a cluster when they are at
  least ``min_size``; they are then taken out and the next densest request is looked at,
  until no request has ``min_size`` free neighbours left. Ties go to the lowest id;
- so every member lies within ``radius_km`` of its cluster's centre request, no request is
  in two clusters, and scattered requests (nobody with enough neighbours) form none;
- the result depends only on the set of requests, never on their order.

Speed: the requests of a category are points on the unit sphere, where chord length grows
with great-circle distance, so all pairs within the radius's chord are exactly the
great-circle neighbours (plus a hair of margin that the exact check removes). The pairs come
from a grid of cubes as wide as the chord (``close_pairs``: a point's neighbours are in its
own cube or the 26 around it), in numpy alone: this runs on the worklist in every web
worker, and scipy's k-d tree would cost each worker ~30 MB (docs/performance.md, memory).
The greedy loop then works on those neighbour lists with numpy. 100k requests: see
benchmarks/clusters.py.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from geopy.distance import EARTH_RADIUS

from marketplace.geo import distance_km

DEFAULT_MIN = 5
DEFAULT_RADIUS_KM = 2.0
DEFAULT_DAYS = 30
# Relative slack on the chord, so rounding never drops a neighbour the exact check accepts.
_SLACK = 1e-9
_ALL_PAIRS_UP_TO = 400  # below this many points, comparing all pairs beats the grid
# Half of the 26 neighbouring cubes (the other half sees each pair from the other side).
_FORWARD = tuple((dx, dy, dz) for dx in (-1, 0, 1) for dy in (-1, 0, 1) for dz in (-1, 0, 1)
                 if (dx, dy, dz) > (0, 0, 0))


@dataclass(frozen=True)
class OpenRequest:
    id: int
    category: str
    lat: float
    lon: float
    created_at: datetime


@dataclass(frozen=True)
class Cluster:
    category: str
    centre_id: int
    centre_lat: float
    centre_lon: float
    request_ids: tuple[int, ...]  # ascending, the centre included

    @property
    def count(self) -> int:
        return len(self.request_ids)


@dataclass(frozen=True)
class ClusterRules:
    min_size: int = DEFAULT_MIN
    radius_km: float = DEFAULT_RADIUS_KM
    days: int = DEFAULT_DAYS

    def __post_init__(self) -> None:
        if self.min_size < 2:
            raise ValueError(f"a cluster needs at least 2 requests, got {self.min_size!r}")
        if not math.isfinite(self.radius_km) or self.radius_km <= 0:
            raise ValueError(f"radius must be a positive number of km, got {self.radius_km!r}")
        if self.days < 1:
            raise ValueError(f"the window must be at least 1 day, got {self.days!r}")


def find_clusters(requests: Iterable[OpenRequest], now: datetime,
                  rules: ClusterRules | None = None) -> list[Cluster]:
    """Clusters, largest first (then by category and centre id)."""
    rules = rules or ClusterRules()
    since = now - timedelta(days=rules.days)
    by_category: dict[str, list[OpenRequest]] = defaultdict(list)
    for r in requests:
        if since <= r.created_at <= now:
            by_category[r.category].append(r)
    found: list[Cluster] = []
    for category in sorted(by_category):
        members = by_category[category]
        if len(members) >= rules.min_size:
            found.extend(_clusters_of_category(category, members, rules))
    found.sort(key=lambda c: (-c.count, c.category, c.centre_id))
    return found


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    cos_phi = np.cos(phi)
    return np.column_stack([cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)])


def _great_circle(lat: np.ndarray, lon: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """geopy's great_circle formula, vectorised over index pairs (a[k], b[k])."""
    p1, p2 = np.radians(lat[a]), np.radians(lat[b])
    d_lon = np.radians(lon[b] - lon[a])
    s1, c1, s2, c2 = np.sin(p1), np.cos(p1), np.sin(p2), np.cos(p2)
    cd = np.cos(d_lon)
    y = np.hypot(c2 * np.sin(d_lon), c1 * s2 - s1 * c2 * cd)
    return EARTH_RADIUS * np.arctan2(y, s1 * s2 + c1 * c2 * cd)


def _adjacency(lat: np.ndarray, lon: np.ndarray, radius_km: float,
               min_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Neighbour lists as CSR (indptr, indices), each request's own index left out.

    Pairs come from ``close_pairs`` on the unit sphere; numpy decides all but the pairs
    within a hair of the radius, which marketplace.geo.distance_km decides, so "within"
    means exactly what the rest of the app means by it.
    """
    n = len(lat)
    points = _unit_vectors(lat, lon)
    angle = min(radius_km / EARTH_RADIUS, math.pi)
    chord = 2 * math.sin(angle / 2) * (1 + _SLACK) + _SLACK
    a, b = close_pairs(points, chord)
    # Requests with too few neighbours even with the margin can be no centre: if none can,
    # there is nothing to cluster (the common case for scattered requests).
    rough = 1 + np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    if not (rough >= min_size).any():
        return np.zeros(n + 1, dtype=np.int64), np.zeros(0, dtype=np.int64)
    km = _great_circle(lat, lon, a, b)
    keep = km <= radius_km * (1 - _SLACK)
    border = np.nonzero(np.abs(km - radius_km) <= radius_km * _SLACK * 2)[0]
    for k in border.tolist():
        i, j = int(a[k]), int(b[k])
        keep[k] = distance_km(lat[i], lon[i], lat[j], lon[j]) <= radius_km
    a, b = a[keep], b[keep]
    rows = np.concatenate([a, b])
    cols = np.concatenate([b, a])
    order = np.argsort(rows, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return indptr, cols[order]


def close_pairs(points: np.ndarray, r: float) -> tuple[np.ndarray, np.ndarray]:
    """All index pairs (i < j) of 3-d points at most ``r`` apart, sorted by (i, j).

    The points go into cubes of side ``r``; two points within ``r`` lie in the same or in
    neighbouring cubes, so only those are compared: per cube pair, every point of one with
    every point of the other, vectorised. Same pairs as a k-d tree's ``query_pairs(r)``
    (tests/unit/associations/test_clusters.py checks it against scipy).
    """
    n = len(points)
    none = np.zeros(0, dtype=np.int64)
    if n < 2 or r <= 0:
        return none, none
    if n <= _ALL_PAIRS_UP_TO:  # an area's requests of one category: every pair is cheapest
        i, j = np.triu_indices(n, 1)
        keep = np.einsum("ij,ij->i", points[i] - points[j], points[i] - points[j]) <= r * r
        return i[keep].astype(np.int64), j[keep].astype(np.int64)
    cell = np.floor(points / r).astype(np.int64)
    cell -= cell.min(axis=0) - 1  # from 1, so a neighbour cube's index is never negative
    dims = cell.max(axis=0) + 2
    key = (cell[:, 0] * dims[1] + cell[:, 1]) * dims[2] + cell[:, 2]
    order = np.argsort(key, kind="stable")
    cubes, start, count = np.unique(key[order], return_index=True, return_counts=True)
    found_a, found_b = [], []
    for dx, dy, dz in ((0, 0, 0), *_FORWARD):
        wanted = cubes + (dx * dims[1] + dy) * dims[2] + dz
        at = np.minimum(np.searchsorted(cubes, wanted), len(cubes) - 1)
        hit = cubes[at] == wanted
        one, other = np.nonzero(hit)[0], at[hit]
        sizes = count[one] * count[other]
        if not sizes.sum():
            continue
        pair = np.repeat(np.arange(len(one)), sizes)
        within = np.arange(len(pair)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        i = order[start[one][pair] + within // count[other][pair]]
        j = order[start[other][pair] + within % count[other][pair]]
        keep = np.einsum("ij,ij->i", points[i] - points[j], points[i] - points[j]) <= r * r
        if (dx, dy, dz) == (0, 0, 0):
            keep &= i < j  # the same cube: each pair once, no point with itself
        found_a.append(np.minimum(i[keep], j[keep]))
        found_b.append(np.maximum(i[keep], j[keep]))
    if not found_a:
        return none, none
    a, b = np.concatenate(found_a), np.concatenate(found_b)
    ordered = np.lexsort((b, a))
    return a[ordered], b[ordered]


def _clusters_of_category(category: str, reqs: list[OpenRequest],
                          rules: ClusterRules) -> list[Cluster]:
    reqs = sorted(reqs, key=lambda r: r.id)  # index order = id order: ties go to the lowest id
    lat = np.fromiter((r.lat for r in reqs), dtype=float, count=len(reqs))
    lon = np.fromiter((r.lon for r in reqs), dtype=float, count=len(reqs))
    indptr, indices = _adjacency(lat, lon, rules.radius_km, rules.min_size)
    free = np.diff(indptr) + 1  # free neighbours, the request itself included
    # Counts only fall as requests are taken, so a lazy max-heap suffices: an entry whose
    # count is out of date goes back in with its current count.
    heap = [(-int(free[i]), i) for i in np.nonzero(free >= rules.min_size)[0].tolist()]
    heapq.heapify(heap)
    taken = np.zeros(len(reqs), dtype=bool)
    clusters: list[Cluster] = []
    while heap:
        neg, i = heapq.heappop(heap)
        if taken[i]:
            continue
        if -neg != free[i]:
            if free[i] >= rules.min_size:
                heapq.heappush(heap, (-int(free[i]), i))
            continue
        ball = indices[indptr[i]:indptr[i + 1]]
        group = np.concatenate([[i], ball[~taken[ball]]])
        taken[group] = True
        # Every neighbour of a taken request has one free neighbour fewer.
        lost = np.concatenate([indices[indptr[j]:indptr[j + 1]] for j in group.tolist()])
        hit, times = np.unique(lost, return_counts=True)
        free[hit] -= times
        centre = reqs[i]
        clusters.append(Cluster(category, centre.id, centre.lat, centre.lon,
                                tuple(sorted(reqs[j].id for j in group.tolist()))))
    return clusters
