"""``pages.<page>``: the pages people use all day, served by gunicorn on generated data.

Per size (requests in one municipality; ``BENCH_PAGE_SIZES``, else ``BENCH_SIZES`` when
``BENCH_ONLY=pages``, default "1000,100000") and engine: a migrated database gets a
municipality (Bladel and the PC4 areas within 5 km), a worker, a municipal user, a volunteer
with a profile, a resident with a dossier, an association with activities (all through the
services), then N requests by N/3 residents are bulk-inserted (core executemany, cloning
the rows a real ``create_request`` wrote for one template request and owner). 2% of the
requests are open, the rest closed. Then the ``report_snapshots`` sweep runs once
(``snapshot``), as the scheduler does every 15 minutes in production (marketplace/jobs.py):
a tree with at least REPORTING_SNAPSHOT_MIN_REQUESTS requests in a year (default 10,000: the
100k world) is served from that snapshot, a smaller one (the 1k world) is computed live per
view, exactly as in production. ``pages_profile`` calls ``snapshot`` again when it reuses a
database built on an earlier day (a snapshot is used only on the day it was made).

gunicorn (4 sync workers, production config) serves it on a free loopback port. Each page is
driven by a bounded closed-loop load: ``CONNECTIONS`` threads with http.client for
``BENCH_PAGE_SECONDS`` (default 5) after a warm-up; ``/healthz`` is measured the same way in
the same run, so ``ratio`` = page req/s / healthz req/s. ``queries`` is the number of SQL
statements of one page view, counted in-process (``before_cursor_execute``) on a second
view. wrk is not used (not installed); the benchmark installs nothing.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table, event, func, insert, select, text

from marketplace.extensions import db
from marketplace.geo import default_gazetteer, distance_km

from .database import migrated_app

PAGES = ("worklist", "request", "dossier", "nearby", "municipality_dashboard",
         "activities_nearby")
# Not a page class: the about page for a signed-in worker (session, menu, layout, no data).
# What every signed-in page costs at least, next to /healthz (docs/performance.md, sixth round).
FLOOR = "signed_in_floor"
FLOOR_URL = ("worker", "/over")
CONNECTIONS = 16
WORKERS = 4
PASSWORD = "benchmark wachtwoord 2026"
HOME_PC4 = "5531"
OPEN_SHARE = 50  # one in 50 requests is open
ROOT = Path(__file__).resolve().parent.parent


def sizes() -> list[int]:
    raw = os.environ.get("BENCH_PAGE_SIZES") or (
        os.environ.get("BENCH_SIZES") if os.environ.get("BENCH_ONLY") == "pages" else None)
    return [int(s) for s in (raw or "1000,100000").split(",") if s.strip()]


# --- data -------------------------------------------------------------------------------

class World:
    """Who signs in where, and the ids the page URLs need."""

    def __init__(self) -> None:
        self.logins: dict[str, str] = {}  # role -> e-mail
        self.urls: dict[str, tuple[str, str]] = {}  # page -> (role, url)


def _near_pc4s(km: float = 5.0) -> list[Any]:
    gaz = default_gazetteer()
    home = gaz.get(HOME_PC4)
    return [p for p in gaz if distance_km(home.lat, home.lon, p.lat, p.lon) <= km]


def build(n: int) -> World:
    """The people and the area through the services, then n requests in bulk."""
    from marketplace.accounts.services import create_user
    from marketplace.areas.services import save_area
    from marketplace.associations import services as assoc
    from marketplace.clock import now as clock_now
    from marketplace.help_requests.services import RequestInput, create_request
    from marketplace.volunteers.services import ProfileInput, save_profile

    places = _near_pc4s()
    area = save_area("GM1728", "Bladel", "municipality", pc4=tuple(p.pc4 for p in places))
    db.session.commit()

    def person(role: str, name: str, **extra: Any) -> Any:
        user = create_user(f"{role}@bench.example", name, password=PASSWORD, roles=(role,),
                           confirmed=True, **extra)
        db.session.commit()
        return user

    worker = person("worker", "Wim Werker", areas=(area,))
    person("municipality", "Gemma Gemeente", areas=(area,))
    resident = person("resident", "Rita Rietveld")
    volunteer = person("volunteer", "Vera Vrijwilliger")
    board = person("association", "Bea Bestuur")
    save_profile(volunteer, ProfileInput(skills=["shopping", "garden", "odd_jobs"],
                                         postcode=HOME_PC4, radius_km=5.0))
    association = assoc.create_association(worker, name="De Linde", postcode=HOME_PC4,
                                           contact="info@delinde.example")
    assoc.add_member(worker, association, board)
    start = (clock_now() + timedelta(days=2)).replace(microsecond=0)
    for i in range(20):
        assoc.create_activity(board, assoc.ActivityInput(
            title=f"Activiteit {i}", category="companionship", postcode=places[i % len(places)].pc4,
            starts_at=start + timedelta(hours=i), recurrence="weekly", capacity=10,
            association_id=association.id))
    db.session.commit()
    own = [create_request(resident, RequestInput(
        category=c, description="Boodschappen op vrijdag, ik loop slecht.", postcode=HOME_PC4,
        house_number="17")) for c in ("shopping", "garden", "odd_jobs")]
    owner = create_user(None, "Sjabloon", roles=("resident",), confirmed=True)
    db.session.flush()
    template = create_request(owner, RequestInput(
        category="shopping", description="Hulp gezocht bij de boodschappen.",
        postcode=HOME_PC4, house_number="3"))
    db.session.commit()
    _bulk(template.id, owner.id, max(0, n - 4), places)
    snapshot()

    world = World()
    world.logins = {r: f"{r}@bench.example" for r in
                    ("worker", "municipality", "resident", "volunteer")}
    world.urls = {
        "worklist": ("worker", "/werk/"),
        "request": ("worker", f"/hulpvragen/{own[0].id}"),
        "dossier": ("worker", f"/dossier/{resident.id}"),
        "nearby": ("volunteer", "/vrijwilliger/in-de-buurt"),
        "municipality_dashboard": ("municipality", "/rapportage/?area=GM1728"),
        "activities_nearby": ("resident", f"/activiteiten/in-de-buurt?postcode={HOME_PC4}"),
    }
    return world


def snapshot() -> int:
    """The ``report_snapshots`` sweep once, as of now, as the scheduler would run it."""
    from marketplace.clock import now as clock_now
    from marketplace.jobs import JOBS, run_job

    return run_job(next(job for job in JOBS if job.name == "report_snapshots"), clock_now())


def _referring(meta: MetaData, table: str) -> list[tuple[Table, str]]:
    return [(t, fk.parent.name) for t in meta.sorted_tables for fk in t.foreign_keys
            if fk.column.table.name == table and t.name != table]


def _clone_rows(meta: MetaData, table: str, template_id: int) -> list[tuple[Table, str, list]]:
    """Rows of other tables that point at the template row (to copy for every clone)."""
    found = []
    for t, column in _referring(meta, table):
        rows = [dict(r._mapping) for r in db.session.execute(
            select(t).where(t.c[column] == template_id))]
        if rows:
            found.append((t, column, rows))
    return found


def _bulk(template_id: int, owner_id: int, n: int, places: list[Any], chunk: int = 5000) -> None:
    meta = db.metadata  # the models' tables (the migrations produce exactly these)
    users, requests = meta.tables["user"], meta.tables["help_request"]
    user_row = dict(db.session.execute(select(users).where(users.c.id == owner_id)).one()._mapping)
    req_row = dict(db.session.execute(
        select(requests).where(requests.c.id == template_id)).one()._mapping)
    user_children = [c for c in _clone_rows(meta, "user", owner_id)
                     if c[0].name != "help_request"]
    req_children = _clone_rows(meta, "help_request", template_id)
    first_user = db.session.scalar(select(func.max(users.c.id))) + 1
    first_req = db.session.scalar(select(func.max(requests.c.id))) + 1
    owners = max(1, n // 3)
    created = req_row["created_at"]
    if n == 0:
        return

    def children(specs: list, ids: list[int], extra: Callable[[int], dict]) -> None:
        for t, column, rows in specs:
            values = []
            for new_id in ids:
                for row in rows:
                    copy = {k: v for k, v in row.items()
                            if not (k == "id" and t.c.id.autoincrement is not False)}
                    copy.pop("id", None)
                    copy[column] = new_id
                    copy.update({k: v for k, v in extra(new_id).items() if k in t.c})
                    values.append(copy)
            if values:
                db.session.execute(insert(t), values)

    for lo in range(0, owners, chunk):
        ids = list(range(first_user + lo, first_user + min(owners, lo + chunk)))
        db.session.execute(insert(users), [
            {**user_row, "id": i, "name": f"Inwoner {i}", "email": None} for i in ids])
        children(user_children, ids, lambda i: {})
    for lo in range(0, n, chunk):
        rows = []
        for k in range(lo, min(n, lo + chunk)):
            place = places[k % len(places)]
            is_open = k % OPEN_SHARE == 0
            at = created - timedelta(minutes=7 * k)
            rows.append({**req_row, "id": first_req + k, "owner_id": first_user + k % owners,
                         "created_by_id": first_user + k % owners,
                         "category": ("shopping", "garden", "odd_jobs", "transport")[k % 4],
                         "pc4": place.pc4, "lat": place.lat, "lon": place.lon,
                         "status": "open" if is_open else "closed",
                         "solved_by": None if is_open else "volunteer",
                         "closed_at": None if is_open else at + timedelta(days=3),
                         "created_at": at, "updated_at": at})
        db.session.execute(insert(requests), rows)
        children(req_children, [r["id"] for r in rows],
                 lambda i: {"at": created - timedelta(minutes=7 * (i - first_req))})
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with db.engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()


# --- queries per page view (in process) --------------------------------------------------

def count_queries(app: Any, world: World) -> dict[str, tuple[int, int | None]]:
    """Statements of one view per page: (drawn, served from the page store).

    Drawn: the second view with the store off (the first warms the caches). Served: a view
    the store answers (the session and user, the generation; the audit row again where the
    page is audited); None for a page the store does not keep (the floor)."""
    from flask import g, request_started

    def fresh_g(sender: Any, **extra: Any) -> None:
        vars(g).clear()  # the benchmark's app context is shared: a request starts clean

    request_started.connect(fresh_g, app)
    store = app.extensions.pop("page_cache", None)
    try:
        drawn = _count(app, world)
    finally:
        if store is not None:
            app.extensions["page_cache"] = store
    try:
        served = _count(app, world, views=3) if store is not None else {}
    finally:
        request_started.disconnect(fresh_g, app)
    return {page: (n, served.get(page)) for page, n in drawn.items()}


def _count(app: Any, world: World, views: int = 1) -> dict[str, int]:
    counts = {}
    store = app.extensions.get("page_cache")
    for page, (role, url) in {**world.urls, FLOOR: FLOOR_URL}.items():
        client = app.test_client()
        response = client.post("/inloggen", data={"email": world.logins[role],
                                                  "password": PASSWORD})
        assert response.status_code == 302, (role, response.status_code)
        for _ in range(views):
            first = client.get(url)
            assert first.status_code == 200, (page, url, first.status_code, first.location)
        db.session.remove()
        seen: list[str] = []

        def listen(*args: Any, seen: list[str] = seen) -> None:
            seen.append(args[2])

        hits = store.hits if store is not None else 0
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        if store is None or store.hits > hits:
            counts[page] = len(seen)
    return counts


# --- gunicorn and the load -----------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(url: str, instance: str) -> Iterator[tuple[int, int]]:
    """gunicorn serving the app: (its port, the master's pid)."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "MARKETPLACE_CONFIG": "production",
           "SECRET_KEY": "benchmark-only-not-a-secret", "MARKETPLACE_INSTANCE": instance,
           "PORT": str(port)}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True)
    try:
        wait_healthy(port, proc, lambda: repr(proc.stderr.read()[-2000:]))
        yield port, proc.pid
    finally:
        stop_group(proc)


def wait_healthy(port: int, proc: subprocess.Popen, output: Callable[[], str]) -> None:
    """Until /healthz answers 200 (at most 60 s); else raise with the server's last output."""
    deadline = time.monotonic() + 60
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not start: {output()}")
        time.sleep(0.3)


def stop_group(proc: subprocess.Popen) -> None:
    """SIGTERM to the process group (gunicorn and its workers), SIGKILL after 30 s."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _cookies(headers: list[tuple[str, str]], jar: dict[str, str]) -> None:
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key.strip()] = rest.split(";", 1)[0]


def login(port: int, email: str) -> str:
    """Sign in over HTTP (with the form's CSRF token); the Cookie header to send."""
    jar: dict[str, str] = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/inloggen")
    response = conn.getresponse()
    body = response.read().decode()
    _cookies(response.getheaders(), jar)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body)
    from urllib.parse import urlencode

    form = urlencode({"email": email, "password": PASSWORD,
                      "csrf_token": token.group(1) if token else ""})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/inloggen", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
    response = conn.getresponse()
    response.read()
    assert response.status == 302, ("login", email, response.status)
    _cookies(response.getheaders(), jar)
    # Land where the sign-in sends you, as a browser does: that page starts the session's
    # CSRF token (the sign-in begins a new session), which every connection then shares.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", response.getheader("Location", "/"), headers={
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
    landing = conn.getresponse()
    landing.read()
    _cookies(landing.getheaders(), jar)
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def workers_cpu(master: int) -> float:
    """CPU seconds (user + system) the gunicorn workers of `master` have used so far; 0.0
    where /proc is missing."""
    total = 0.0
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        for pid in children:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0
    return total


def drive(port: int, path: str, cookie: str, seconds: float,
          cpu: Callable[[], float] | None = None) -> dict[str, float]:
    """A closed loop of CONNECTIONS threads for `seconds`; req/s and latency percentiles;
    with `cpu` (workers_cpu), the workers' CPU time per answered request: what the page
    costs the server, which the share of the machine the load generator takes disturbs
    less than req/s."""
    latencies: list[list[float]] = [[] for _ in range(CONNECTIONS)]
    errors = [0] * CONNECTIONS
    # Each connection keeps its cookies as a browser tab does (the session's CSRF token is
    # added by the first page with a form; a client that drops it gets a new one each time).
    jars: list[dict[str, str]] = [{} for _ in range(CONNECTIONS)]
    for jar in jars:
        _cookies([("Set-Cookie", part) for part in cookie.split("; ") if part], jar)
    stop_at = [0.0]

    def loop(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        jar = jars[k]
        while time.perf_counter() < stop_at[0]:
            started = time.perf_counter()
            try:
                headers = {"Cookie": "; ".join(f"{a}={b}" for a, b in jar.items())} if jar else {}
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                _cookies(response.getheaders(), jar)
                if response.status != 200:
                    errors[k] += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                errors[k] += 1
                conn.close()
                continue
            latencies[k].append(time.perf_counter() - started)
        conn.close()

    for _warm, duration in ((True, min(1.0, seconds)), (False, seconds)):
        for lat in latencies:
            lat.clear()
        errors[:] = [0] * CONNECTIONS
        stop_at[0] = time.perf_counter() + duration
        threads = [threading.Thread(target=loop, args=(k,)) for k in range(CONNECTIONS)]
        began, cpu_began = time.perf_counter(), cpu() if cpu else 0.0
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed, cpu_used = time.perf_counter() - began, (cpu() if cpu else 0.0) - cpu_began
    done = sorted(x for lat in latencies for x in lat)
    if not done:
        return {"req_per_s": 0.0, "p50_ms": None, "p95_ms": None, "errors": sum(errors)}
    answered = len(done) + sum(errors)
    return {"req_per_s": round(len(done) / elapsed, 1),
            "p50_ms": round(statistics.median(done) * 1000, 1),
            "p95_ms": round(done[int(0.95 * (len(done) - 1))] * 1000, 1),
            "errors": sum(errors),
            "cpu_ms_per_req": round(cpu_used / answered * 1000, 2) if cpu_used else None}


def run(emit: Callable[[str, dict, dict], None],
        engines: Callable[[], list[tuple[str, str | None]]]) -> None:
    seconds = float(os.environ.get("BENCH_PAGE_SECONDS", "5"))
    for n in sizes():
        for engine, url in engines():
            with migrated_app(engine, url, "pages", WTF_CSRF_ENABLED=False) as app:
                started = time.perf_counter()
                world = build(n)
                load_s = round(time.perf_counter() - started, 1)
                queries = count_queries(app, world)
                db.session.remove()
                served_url = app.config["SQLALCHEMY_DATABASE_URI"]
                with gunicorn(served_url, app.config.get("INSTANCE_PATH", "")) as (port, pid):
                    cookies = {role: login(port, email) for role, email in world.logins.items()}
                    cpu = partial(workers_cpu, pid)
                    for page in (*PAGES, FLOOR):
                        role, path = FLOOR_URL if page == FLOOR else world.urls[page]
                        health = drive(port, "/healthz", "", seconds, cpu)
                        measured = drive(port, path, cookies[role], seconds, cpu)
                        ratio = (measured["req_per_s"] / health["req_per_s"]
                                 if health["req_per_s"] else 0.0)
                        emit(f"pages.{page}", {"requests": n, "engine": engine,
                                               "connections": CONNECTIONS}, {
                            **measured, "queries": queries[page][0],
                            "queries_kept": queries[page][1],
                            "healthz_req_per_s": health["req_per_s"],
                            "healthz_cpu_ms_per_req": health["cpu_ms_per_req"],
                            "ratio": round(ratio, 3), "load_s": load_s})

