"""``associations.nearby``: "activities near me" on N active activities in one province.

Activities sit at PC4 centroids of Noord-Brabant (the packaged gazetteer), each with one
scheduled occurrence in the coming weeks and a capacity of 10 (every tenth unlimited). The
query is ``activities_nearby(postcode, radius_km=5)`` for 50 random PC4 codes of the
province, through the real service on a migrated database: the bounding box on
``ix_activity_status_lat_lon``, exact distances, next start and spots left (one query each).
``scan_p50_ms`` is the same answer computed by reading every active activity (no box), to
show what the index saves. Metrics in ms; ``found_p50`` is the size of a typical answer.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import insert, select

from marketplace.associations.models import Activity, Occurrence
from marketplace.associations.nearby import activities_nearby
from marketplace.extensions import db
from marketplace.geo import default_gazetteer, distance_km

from .database import migrated_app

PROVINCE = "Noord-Brabant"
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
QUERIES = 50


def _load(n: int, seed: int = 11) -> list[str]:
    rng = np.random.default_rng(seed)
    places = [p for p in default_gazetteer() if p.province == PROVINCE]
    pick = rng.integers(0, len(places), n)
    start = NOW + timedelta(days=1)
    rows, occurrences = [], []
    for k in range(n):
        place = places[pick[k]]
        when = (start + timedelta(hours=int(rng.integers(0, 24 * 28)))).replace(tzinfo=None)
        rows.append({"id": k + 1, "title": f"Activiteit {k}", "category": "companionship",
                     "pc4": place.pc4, "place": place.place, "lat": place.lat,
                     "lon": place.lon, "starts_at": when, "recurrence": "none",
                     "capacity": None if k % 10 == 0 else 10, "accessible": True,
                     "status": "active", "created_at": NOW.replace(tzinfo=None),
                     "signup_seq": 0})
        occurrences.append({"activity_id": k + 1, "planned_start": when, "starts_at": when,
                            "status": "scheduled", "created_at": NOW.replace(tzinfo=None)})
    for i in range(0, n, 5000):
        db.session.execute(insert(Activity), rows[i:i + 5000])
        db.session.execute(insert(Occurrence), occurrences[i:i + 5000])
    db.session.commit()
    return [places[i].pc4 for i in rng.integers(0, len(places), QUERIES)]


def _scan(postcode: str) -> int:
    place = default_gazetteer().get(postcode)
    rows = db.session.execute(select(Activity.id, Activity.lat, Activity.lon)
                              .where(Activity.status == "active"))
    return sum(1 for _, lat, lon in rows if distance_km(place.lat, place.lon, lat, lon) <= 5)


def _ms(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def run(emit, engines) -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_ACTIVITIES", "10000,100000").split(",")
             if s.strip()]
    for n in sizes:
        for engine, url in engines():
            with migrated_app(engine, url, "activities"):
                started = time.perf_counter()
                postcodes = _load(n)
                loaded = time.perf_counter() - started
                found = [len(activities_nearby(pc, radius_km=5, now=NOW, limit=10_000))
                         for pc in postcodes[:5]]  # warm-up
                timings, sizes_found = [], []
                for pc in postcodes:
                    db.session.expire_all()
                    result: list = []
                    timings.append(_ms(lambda pc=pc, out=result: out.extend(
                        activities_nearby(pc, radius_km=5, now=NOW, limit=10_000))))
                    sizes_found.append(len(result))
                scans = sorted(_ms(lambda pc=pc: _scan(pc)) for pc in postcodes[:10])
                assert found == sizes_found[:5]
                timings.sort()
                emit("associations.nearby", {"activities": n, "engine": engine,
                                             "radius_km": 5, "region": PROVINCE}, {
                    "p50_ms": round(statistics.median(timings), 2),
                    "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
                    "scan_p50_ms": round(statistics.median(scans), 2),
                    "found_p50": int(statistics.median(sizes_found)),
                    "load_s": round(loaded, 2),
                })
