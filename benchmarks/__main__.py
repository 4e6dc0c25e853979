"""Run the benchmarks: ``python -m benchmarks`` (``make bench``).

Environment: ``BENCH_SIZES`` (default "10000,100000,1000000") volunteer counts for the
candidate search; ``DATABASE_URL`` pointing at PostgreSQL adds the PostgreSQL engine (in a
schema of its own, dropped afterwards; SQLite always runs, on a temporary file);
``BENCH_ONLY`` ("candidates", "batch", "sweeps", "clusters", "reporting" or "activities";
``BENCH_ACTIVITIES`` sizes, default "10000,100000"; "pages": requests per municipality from
``BENCH_PAGE_SIZES``, else ``BENCH_SIZES``, default "1000,100000") runs one part (sweeps.py
has its own settings); "load" (only when asked for; ``BENCH_LOAD_SECONDS``, see load.py) runs
the load test. Prints one JSON object per line:
``{"benchmark": name, "params": {...}, "metrics": {...}}``.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
import time

from config import normalise_database_url

from . import batch, candidates, clusters, reporting, sweeps
from .data import make_queries, make_volunteers
from .database import bench_app, load


def emit(name: str, params: dict, metrics: dict) -> None:
    # Latencies on a shared 2-core machine depend on who else runs: say how busy it was.
    metrics = {**metrics, "load_avg_1m": round(os.getloadavg()[0], 2)}
    print(json.dumps({"benchmark": name, "params": params, "metrics": metrics}), flush=True)


def engines() -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = [("sqlite", None)]
    url = normalise_database_url(os.environ.get("DATABASE_URL", ""))
    if url.startswith("postgresql"):
        found.append(("postgresql", url))
    return found


def naive_queries(size: int) -> int:
    # Each naive query reads every volunteer through the ORM: a few suffice at 1M.
    return 20 if size <= 10_000 else 5 if size <= 100_000 else 3


def run_candidates(sizes: list[int]) -> None:
    queries = make_queries()
    for size in sizes:
        started = time.perf_counter()
        volunteers = make_volunteers(size)
        cols = candidates.Columns(volunteers)
        generated = time.perf_counter() - started
        for engine, url in engines():
            with bench_app(engine, url):
                timings = load(volunteers)
                metrics = candidates.run(cols, queries, naive_queries(size))
            metrics.update(timings, generate_s=round(generated, 2),
                           index_rows=int(len(volunteers.cat_codes)))
            emit("matching.candidates", {"volunteers": size, "engine": engine, "top": 20,
                                         "reach_km": 5.0, "category": "per query"}, metrics)
            gc.collect()
        del volunteers, cols
        gc.collect()


def run_batch() -> None:
    # The 2,000 x 2,000 city is small enough for the independent LP check of the km.
    for kind, n in (("dense_city", 10_000), ("country", 10_000), ("dense_city", 2_000)):
        emit("matching.batch", {"instance": kind, "requests": n, "volunteers": n,
                                "reach_km": 5.0}, batch.run(kind, n))


def main() -> int:
    logging.basicConfig(level=logging.WARNING)  # keep Alembic's progress off the output
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,100000,1000000").split(",")
             if s.strip()]
    only = os.environ.get("BENCH_ONLY", "")
    if only in ("", "candidates"):
        run_candidates(sizes)
    if only in ("", "batch"):
        run_batch()
    if only in ("", "sweeps"):
        sweeps.run(emit)
    if only in ("", "clusters"):
        clusters.run(emit)
    if only in ("", "reporting"):
        reporting.run(emit)
    if only in ("", "activities"):
        from . import activities

        activities.run(emit, engines)
    if only in ("", "pages"):
        from . import pages

        pages.run(emit, engines)
    if only == "load":  # only on request: 5 minutes per engine, and it needs locust
        from . import load

        load.run(emit, engines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
