"""In-process CPU profile of one page view on the page benchmark's data (issue 15).

``python -m benchmarks.pages_profile [--size 100000] [--db PATH] [--page worklist]
[--views 50] [--top 40] [--sort cumulative]``

Builds (once; kept in ``--db``, default ``/tmp/buurtmakelaar-pages-<size>.db``) the world of
``benchmarks/pages.py`` on SQLite, runs the ``report_snapshots`` sweep as the scheduler
would (also on a reused database: a snapshot is used only on the day it was made), signs in
through the Flask test client, warms the page, then times ``--views`` views per page (CPU
time of this process per view, which a loaded machine disturbs less than wall time; wall
time median and p95; the SQL statements of one view) and prints a cProfile of those views.
A machine-independent way to see where a page's time goes; req/s under load is
``BENCH_ONLY=pages make bench``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import time
from pathlib import Path

from sqlalchemy import event

from config import Config
from marketplace.app import create_app
from marketplace.extensions import db

from .pages import FLOOR, FLOOR_URL, PAGES, PASSWORD, World, build, snapshot


class ProfileConfig(Config):
    ENV_NAME = "benchmark"
    SECRET_KEY = "benchmark-only-not-a-secret"
    RATELIMIT_ENABLED = False
    WTF_CSRF_ENABLED = False


def open_world(size: int, path: Path) -> tuple[object, World]:
    from flask_migrate import upgrade

    meta = path.with_suffix(".json")
    config = ProfileConfig()
    config.INSTANCE_PATH = str(path.parent)
    app = create_app(config, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    ctx = app.app_context()
    ctx.push()
    world = World()
    if path.exists() and meta.exists():
        upgrade(revision="heads")  # new indexes of the migration under test
        saved = json.loads(meta.read_text())
        world.logins = saved["logins"]
        world.urls = {k: tuple(v) for k, v in saved["urls"].items()}
        snapshot()  # as the scheduler would have: a snapshot is used only on its own day
    else:
        path.unlink(missing_ok=True)
        upgrade(revision="heads")
        started = time.perf_counter()
        world = build(size)
        print(f"built {size} requests in {time.perf_counter() - started:.0f} s")
        meta.write_text(json.dumps({"logins": world.logins, "urls": world.urls}))
    db.session.remove()
    return app, world


def timed_statements(client: object, url: str) -> list[list]:
    """[statement, seconds] of one view of url."""
    seen: list[list] = []

    def before(*a: object) -> None:
        seen.append([" ".join(str(a[2]).split()), time.perf_counter()])

    def after(*a: object) -> None:
        seen[-1][1] = time.perf_counter() - seen[-1][1]

    event.listen(db.engine, "before_cursor_execute", before)
    event.listen(db.engine, "after_cursor_execute", after)
    try:
        client.get(url)  # type: ignore[attr-defined]
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
        event.remove(db.engine, "after_cursor_execute", after)
    return seen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--page", action="append", choices=(*PAGES, FLOOR))
    parser.add_argument("--views", type=int, default=50)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--dump", type=Path, metavar="FILE",
                        help="also write the profile (pstats format) to FILE.<page>")
    parser.add_argument("--sql", type=int, default=0, metavar="CHARS",
                        help="print each statement of one view with its time")
    args = parser.parse_args()
    path = args.db or Path(f"/tmp/buurtmakelaar-pages-{args.size}.db")
    app, world = open_world(args.size, path)
    from flask import g, request_started

    def fresh_g(sender: object, **extra: object) -> None:
        vars(g).clear()  # the pushed app context is shared: every request starts clean

    request_started.connect(fresh_g, app)
    for page in args.page or PAGES:
        role, url = FLOOR_URL if page == FLOOR else world.urls[page]
        client = app.test_client()
        assert client.post("/inloggen", data={"email": world.logins[role],
                                              "password": PASSWORD}).status_code == 302
        for _ in range(3):
            assert client.get(url).status_code == 200, page
        db.session.remove()
        seen = timed_statements(client, url)
        if args.sql:
            for statement, took in seen:
                print(f"{took * 1000:8.2f} ms  {statement[:args.sql]}")
        db.session.remove()
        times, cpu = [], []
        profile = cProfile.Profile()
        for _ in range(args.views):
            started, cpu_started = time.perf_counter(), time.process_time()
            if not args.no_profile:
                profile.enable()
            response = client.get(url)
            if not args.no_profile:
                profile.disable()
            db.session.remove()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            assert response.status_code == 200
        times.sort()
        print(json.dumps({"page": page, "queries": len(seen),
                          "cpu_median_ms": round(statistics.median(cpu) * 1000, 2),
                          "median_ms": round(statistics.median(times) * 1000, 2),
                          "p95_ms": round(times[int(0.95 * (len(times) - 1))] * 1000, 2),
                          "profiled": not args.no_profile}))
        if not args.no_profile:
            pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)
            if args.dump:
                profile.dump_stats(f"{args.dump}.{page}")


if __name__ == "__main__":
    main()
