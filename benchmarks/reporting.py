"""The municipality's dashboard for a district with 100k requests and 100k arrangements.

A throwaway database per engine (``database.migrated_app``: the project's migrations, so
the real indexes are measured), bulk-loaded with SQLAlchemy core (executemany, one
statement per table and batch, never the ORM row by row), then ANALYZEd: a region →
municipality → two districts; ``size`` requests (default 100,000) in one district, created
over 2025, each with an accepted match and an arrangement (80% ended, evaluated with goals;
20% running), plus life-domain scores, contributions, signals and volunteer profiles.

Measured, ``repeat`` times each (default 7), as p50/p95 in ms: every indicator family's
query (``family_<name>_p50_ms``), the whole computation with disclosure control
(``compute``: what the report_snapshots sweep pays per region and year), the whole page
computed live (``page_live``: GET /rapportage/ signed in as the municipality, through the
Flask test client, nothing cached between runs), the sweep itself (``sweep_s``), and the
whole page as served from the sweep's snapshot (``page``: the figures as the sweep computed
them, labelled "Cijfers van …"; see marketplace/reporting/snapshots.py).

Environment: ``BENCH_REPORTING_SIZE`` ("100000"), ``BENCH_REPORTING_REPEAT`` ("7");
PostgreSQL runs too when ``DATABASE_URL`` or ``TEST_DATABASE_URL`` names one;
``BENCH_REPORTING_ENGINES`` ("sqlite,postgresql") runs only those.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from flask import g
from sqlalchemy import insert, text

from config import normalise_database_url
from marketplace.extensions import db

from .database import migrated_app

Emit = Callable[[str, dict, dict], None]
SEED = 20261204
PERIOD = {"from": "2025-01-01", "to": "2025-12-31"}
BATCH = 5_000
SOLVED = ("own_network", "volunteer", "volunteer", "volunteer", "association", "activity",
          "worker", "referred", "not_solved")


def _engines() -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = [("sqlite", None)]
    for name in ("DATABASE_URL", "TEST_DATABASE_URL"):
        url = normalise_database_url(os.environ.get(name, ""))
        if url.startswith("postgresql"):
            found.append(("postgresql", url))
            break
    only = os.environ.get("BENCH_REPORTING_ENGINES")
    return [e for e in found if e[0] in only.split(",")] if only else found


def _insert(table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start:start + BATCH])


def _load(size: int) -> dict[str, object]:
    """Areas, people and the history; returns what the measurement needs."""
    from marketplace.accounts.models import User
    from marketplace.accounts.services import create_user
    from marketplace.areas.services import save_area
    from marketplace.brokering.models import Arrangement, Match
    from marketplace.casework.models import LifeDomainScore
    from marketplace.followup.models import Evaluation
    from marketplace.help_requests.models import HelpRequest
    from marketplace.reciprocity.models import Contribution
    from marketplace.signals.models import Signal
    from marketplace.volunteers.models import VolunteerProfile

    rng = random.Random(SEED)
    save_area("BR", "Kempen", "region")
    save_area("BGM", "Bladel", "municipality", parent_code="BR")
    district = save_area("BD1", "Hapert", "district", parent_code="BGM", pc4=("5527", "5528"))
    save_area("BD2", "Bladel", "district", parent_code="BGM", pc4=("5531",))
    password = "benchmark password 1"
    create_user("analist@example.org", "Analist", password=password, roles=("municipality",),
                areas=(district.parent,), confirmed=True)
    db.session.commit()
    now = datetime(2026, 1, 15, tzinfo=UTC)
    residents, volunteers = size // 4, max(size // 50, 10)
    _insert(User.__table__, [{"email": f"r{i}@example.org", "name": f"R{i}",
                              "created_at": now, "updated_at": now} for i in range(residents)])
    _insert(User.__table__, [{"email": f"v{i}@example.org", "name": f"V{i}",
                              "created_at": now, "updated_at": now} for i in range(volunteers)])
    db.session.commit()
    first_user = db.session.query(db.func.min(User.id)).filter(
        User.email == "r0@example.org").scalar()
    volunteer_ids = list(range(first_user + residents, first_user + residents + volunteers))
    _insert(VolunteerProfile.__table__, [
        {"user_id": v, "home_pc4": "5527", "lat": 51.36, "lon": 5.25, "created_at":
         datetime(2024 + rng.randint(0, 1), rng.randint(1, 12), 1, tzinfo=UTC),
         "updated_at": now} for v in volunteer_ids])
    start = datetime(2025, 1, 1, tzinfo=UTC)
    requests = []
    for i in range(size):
        created = start + timedelta(minutes=rng.randrange(365 * 24 * 60))
        requests.append({
            "id": i + 1, "owner_id": first_user + rng.randrange(residents),
            "category": rng.choice(("shopping", "transport", "garden", "companionship")),
            "description": "Hulp", "pc4": "5527", "house_number": str(i % 200 + 1),
            "lat": 51.36, "lon": 5.25, "area_id": district.id, "status": "closed",
            "solved_by": rng.choice(SOLVED), "created_at": created, "updated_at": created})
    _insert(HelpRequest.__table__, requests)
    matches, arrangements, evaluations, scores = [], [], [], []
    for r in requests:
        started = r["created_at"].date() + timedelta(days=rng.randint(1, 20))
        ended = rng.random() < 0.8
        days = rng.randint(7, 120)
        matches.append({"id": r["id"], "request_id": r["id"],
                        "volunteer_id": rng.choice(volunteer_ids), "status": "accepted",
                        "origin": "worker", "created_at": r["created_at"]})
        arrangements.append({
            "id": r["id"], "request_id": r["id"], "match_id": r["id"],
            "volunteer_id": matches[-1]["volunteer_id"],
            "status": "ended" if ended else "active", "started_on": started,
            "planned_end_on": started + timedelta(days=84),
            "ended_on": started + timedelta(days=days) if ended else None,
            "created_at": r["created_at"]})
        if ended:
            done = started + timedelta(days=days)
            total = rng.randint(0, 3)
            evaluations.append({
                "arrangement_id": r["id"], "continuation": rng.choice(
                    ("network", "association", "none_needed", "volunteer_informal")),
                "goals_total": total, "goals_attained": rng.randint(0, total),
                "done_at": datetime(done.year, done.month, done.day, 12, tzinfo=UTC)})
            if rng.random() < 0.2:
                scores.append({"resident_id": r["owner_id"], "arrangement_id": r["id"],
                               "moment": "evaluation", "domain": "social",
                               "score": rng.randint(1, 5), "recorded_at": now})
    _insert(Match.__table__, matches)
    _insert(Arrangement.__table__, arrangements)
    _insert(Evaluation.__table__, evaluations)
    _insert(LifeDomainScore.__table__, scores + [
        {"resident_id": first_user + i, "arrangement_id": None, "moment": "intake",
         "domain": "social",
         "score": rng.randint(1, 5), "recorded_at": start} for i in range(0, residents, 3)])
    _insert(Contribution.__table__, [
        {"person_id": first_user + i, "kind": "help_neighbour", "at": now}
        for i in range(0, residents, 7)])
    _insert(Signal.__table__, [
        {"pc4": "5527", "concern": "Zorg", "area_id": district.id, "status": "handled",
         "respond_by": date(2025, 1, 1) + timedelta(days=d + 5),
         "created_at": start + timedelta(days=d),
         "handled_at": start + timedelta(days=d + rng.randint(1, 8))}
        for d in (rng.randrange(360) for _ in range(size // 20))])
    db.session.commit()
    # Statistics, as autovacuum (PostgreSQL) or a maintenance run would have them: without,
    # PostgreSQL plans the first queries after a bulk load as if the tables were empty.
    # Only this database's own tables: a bare ANALYZE on PostgreSQL also takes every other
    # schema's tables (test runs dropping theirs: a deadlock).
    if db.session.get_bind().dialect.name == "postgresql":
        for table in db.metadata.sorted_tables:
            db.session.execute(text(f'ANALYZE "{table.name}"'))
    else:
        db.session.execute(text("ANALYZE"))
    db.session.commit()
    return {"district": district, "email": "analist@example.org", "password": password}


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return round(statistics.median(ordered) * 1000, 1), round(p95 * 1000, 1)


def _page(client, repeat: int, name: str) -> dict[str, float]:
    """p50/p95 of the whole dashboard page for the district and 2025."""
    samples = []
    for _ in range(repeat):
        g.pop("_reporting_cache", None)  # the benchmark's app context outlives requests
        t = time.perf_counter()
        response = client.get("/rapportage/", query_string={"area": "BD1", **PERIOD})
        samples.append(time.perf_counter() - t)
        assert response.status_code == 200, response.status_code
    p50, p95 = _ms(samples)
    return {f"{name}_p50_ms": p50, f"{name}_p95_ms": p95}


def _families(district, period) -> dict[str, Callable[[], object]]:
    from marketplace.reporting import queries, queries_collective, queries_volunteers
    from marketplace.reporting.indicators import area_tree

    ids = [r.id for r in area_tree(district)]
    today = date(2026, 1, 15)
    return {
        "outcomes": lambda: queries.outcomes(ids, period),
        "step_downs": lambda: queries.step_downs(ids, period),
        "support": lambda: queries.support(ids, period),
        "life_domains": lambda: queries.life_domains(ids, period),
        "signals": lambda: queries.signals(ids, period, today),
        "new_volunteers": lambda: queries_volunteers.new_volunteers(ids, period),
        "active_volunteers": lambda: queries_volunteers.active_volunteers(ids, period),
        "reciprocity": lambda: queries.reciprocity(ids, period),
        "handovers": lambda: queries_collective.handovers(ids, period, today),
        "participation": lambda: queries_collective.participation(ids, period),
    }


def run(emit: Emit) -> None:
    from marketplace.jobs import JOBS, run_job
    from marketplace.reporting.indicators import compute
    from marketplace.reporting.periods import Period

    size = int(os.environ.get("BENCH_REPORTING_SIZE", "100000"))
    repeat = int(os.environ.get("BENCH_REPORTING_REPEAT", "7"))
    period = Period(date(2025, 1, 1), date(2025, 12, 31))
    for engine, url in _engines():
        with migrated_app(engine, url, "reporting", WTF_CSRF_ENABLED=False) as app:
            started = time.perf_counter()
            world = _load(size)
            load_s = round(time.perf_counter() - started, 1)
            metrics: dict[str, float] = {"load_s": load_s}
            for name, family in _families(world["district"], period).items():
                samples = []
                for _ in range(repeat):
                    t = time.perf_counter()
                    family()
                    samples.append(time.perf_counter() - t)
                metrics[f"family_{name}_p50_ms"], metrics[f"family_{name}_p95_ms"] = _ms(
                    samples)
            samples = []
            for _ in range(repeat):
                g.pop("_reporting_cache", None)
                t = time.perf_counter()
                compute(world["district"], period)
                samples.append(time.perf_counter() - t)
            metrics["compute_p50_ms"], metrics["compute_p95_ms"] = _ms(samples)
            client = app.test_client()
            login = client.post("/inloggen", data={"email": world["email"],
                                                   "password": world["password"]})
            assert login.status_code == 302, login.status_code

            # Without a snapshot: every family query and disclosure control per view.
            metrics.update(_page(client, repeat, "page_live"))
            # The report_snapshots sweep (what it costs), then the page reads its snapshot.
            t = time.perf_counter()
            made = run_job(next(j for j in JOBS if j.name == "report_snapshots"),
                           datetime.now(UTC))
            metrics["sweep_s"] = round(time.perf_counter() - t, 2)
            assert made >= 1, made
            metrics.update(_page(client, repeat, "page"))
            emit("reporting.dashboard", {"requests": size, "arrangements": size,
                                         "engine": engine, "period": "2025"}, metrics)
