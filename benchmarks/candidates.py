"""``matching.candidates``: "top 20 with category X within 5 km and within each volunteer's
own radius", on the same data and in the same run, four ways:

- the engine (``marketplace.matching.index.search``) on SQLite or PostgreSQL;
- naive: every volunteer through the ORM, ``geopy.distance.great_circle`` per row;
- a vectorised full scan: numpy haversine over all points;
- brute force (the truth for ``agreement``): numpy pre-filter with a margin, then the exact
  scalar distance on the survivors, nearest first and ties by user id.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from geopy.distance import EARTH_RADIUS, great_circle
from sqlalchemy import select, text

from marketplace.extensions import db
from marketplace.matching import index
from marketplace.matching.geometry import great_circle_km

from .data import CATEGORIES, ON_DATE, Query, Volunteers
from .database import NaiveVolunteer

TOP = 20
_PING = text("SELECT 1")


class Columns:
    """Numpy columns for the scans: per-category membership and the rule masks."""

    def __init__(self, v: Volunteers) -> None:
        self.v = v
        rows, cats = v.index_rows()
        self.has = np.zeros((len(v), len(CATEGORIES)), dtype=bool)
        self.has[rows, cats] = True
        self.free = ~v.paused & (v.active < v.max_commitments)
        ordinal = np.array([d.toordinal() if d else 10**9 for d in v.vog_valid_until])
        self.vog_ok = v.has_vog & (ordinal >= ON_DATE.toordinal())
        self.lat_r, self.lon_r = np.radians(v.lat), np.radians(v.lon)
        self.cos_lat = np.cos(self.lat_r)

    def mask(self, q: Query) -> np.ndarray:
        m = self.has[:, CATEGORIES.index(q.category)] & self.free
        return m & self.vog_ok if q.needs_vog else m

    def haversine(self, q: Query) -> np.ndarray:
        p, lam = np.radians(q.lat), np.radians(q.lon)
        a = (np.sin((self.lat_r - p) / 2) ** 2
             + np.cos(p) * self.cos_lat * np.sin((self.lon_r - lam) / 2) ** 2)
        return 2 * EARTH_RADIUS * np.arcsin(np.sqrt(a))


def scan(cols: Columns, q: Query) -> list[int]:
    """The vectorised full scan (what is timed as scan_p50_ms)."""
    km = cols.haversine(q)
    ok = cols.mask(q) & (km <= np.minimum(cols.v.radius_km, q.reach_km))
    idx = np.nonzero(ok)[0]
    if len(idx) > TOP:
        idx = idx[np.argpartition(km[idx], TOP)[:TOP]]
    idx = idx[np.lexsort((cols.v.user_id[idx], km[idx]))]
    return cols.v.user_id[idx].tolist()


def brute_force(cols: Columns, q: Query) -> list[tuple[float, int]]:
    """Exact truth: margin pre-filter, then geopy-identical distances on the survivors."""
    km = cols.haversine(q)
    limit = np.minimum(cols.v.radius_km, q.reach_km)
    idx = np.nonzero(cols.mask(q) & (km <= limit + 1e-6))[0]
    v = cols.v
    exact = []
    for i in idx.tolist():
        d = great_circle_km(q.lat, q.lon, float(v.lat[i]), float(v.lon[i]))
        if d <= q.reach_km and d <= float(v.radius_km[i]):
            exact.append((d, int(v.user_id[i])))
    exact.sort()
    return exact[:TOP]


def naive(q: Query) -> list[int]:
    """Every volunteer through the ORM; geopy's great-circle distance for each row."""
    found = []
    for v in db.session.scalars(select(NaiveVolunteer)):
        km = great_circle((q.lat, q.lon), (v.lat, v.lon)).km
        if (km <= q.reach_km and km <= v.radius_km and q.category in v.skills.split(",")
                and not v.paused and v.active_commitments < v.max_commitments
                and (not q.needs_vog or (v.has_vog and (v.vog_valid_until is None
                                                        or v.vog_valid_until >= ON_DATE)))):
            found.append((km, v.id))
    db.session.rollback()
    db.session.expunge_all()
    found.sort()
    return [uid for _, uid in found[:TOP]]


def _engine(q: Query) -> tuple[list[index.IndexHit], float]:
    """One search, timed inside a transaction that is already open (as in a web request,
    which has loaded the user and the help request first); the transaction's begin and end
    are not the search's cost. Whatever the search sends itself is (a SET LOCAL, if the
    connection's own settings needed one). The rollback also drops psycopg's prepared
    statements, as at the end of every read-only web request: each search is planned anew."""
    db.session.execute(_PING)
    t0 = time.perf_counter()
    hits = index.search(q.category, q.lat, q.lon, q.reach_km, q.needs_vog, ON_DATE,
                        limit_rows=TOP)
    elapsed = time.perf_counter() - t0
    db.session.rollback()
    return hits, elapsed


def _ms(seconds: list[float], pct: float) -> float:
    return round(float(np.percentile(np.array(seconds) * 1000.0, pct)), 3)


def run(cols: Columns, queries: list[Query], naive_queries: int, passes: int = 3) -> dict:
    truth = [brute_force(cols, q) for q in queries]
    for q in queries:  # warm-up: caches, prepared statements, compiled SQL
        _engine(q)
    timings: list[float] = []
    agree = 0
    for p in range(passes):
        for q, expected in zip(queries, truth, strict=True):
            hits, elapsed = _engine(q)
            timings.append(elapsed)
            if p == 0:
                agree += [(h.distance_km, h.user_id) for h in hits] == expected
    scan_times = []
    for q in queries[:50]:
        t0 = time.perf_counter()
        scan(cols, q)
        scan_times.append(time.perf_counter() - t0)
    naive_times = []
    naive_agree = 0
    for q, expected in list(zip(queries, truth, strict=True))[:naive_queries]:
        t0 = time.perf_counter()
        ids = naive(q)
        naive_times.append(time.perf_counter() - t0)
        naive_agree += ids == [uid for _, uid in expected]
    p50 = _ms(timings, 50)
    naive_p50 = round(statistics.median(naive_times) * 1000.0, 1)
    scan_p50 = round(statistics.median(scan_times) * 1000.0, 2)
    return {
        "p50_ms": p50,
        "p95_ms": _ms(timings, 95),
        "max_ms": round(max(timings) * 1000.0, 3),
        "naive_p50_ms": naive_p50,
        "speedup": round(naive_p50 / p50, 1),
        "scan_p50_ms": scan_p50,
        "scan_speedup": round(scan_p50 / p50, 1),
        "agreement": round(agree / len(queries), 4),
        "queries": len(queries),
        "timed_queries": len(timings),
        "naive_queries": len(naive_times),
        "naive_agreement": round(naive_agree / max(1, len(naive_times)), 4),
    }
