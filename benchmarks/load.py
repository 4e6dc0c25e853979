"""``load``: 50 simulated people of every role for 5 minutes, on gunicorn with the scheduler.

``BENCH_ONLY=load make bench``. Per engine (SQLite always; PostgreSQL when ``DATABASE_URL``
points at it, in a database of its own so the scheduler's advisory lock is nobody else's):
the page benchmark's municipality with ``BENCH_LOAD_REQUESTS`` requests (default 10,000), the
accounts of ``load_world``, then gunicorn (4 sync workers, production config, access log) and
``flask scheduler run`` on it, and locust headless (``load_locustfile``: ``BENCH_LOAD_USERS``
users, default 50, for ``BENCH_LOAD_SECONDS``, default 300). Afterwards, with everything
stopped: 5xx from the access log, "database is locked" (and other database errors) from the
server and scheduler logs, lost writes (``load_verify``), and each web worker's RSS read from
``/proc/<pid>/status`` just before the servers stop. Installs nothing: locust comes from the
``bench`` extra (``pip install -c constraints.txt -e '.[bench]'``).
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from marketplace.extensions import db

from . import load_verify, load_world, pages
from .database import migrated_app

BIN = Path(sys.executable).parent
ACCESS_FORMAT = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms %(p)s'  # duration, worker pid
DB_ERRORS = ("database is locked", "deadlock detected", "could not serialize",
             "OperationalError", "WORKER TIMEOUT", "Traceback")


def settings() -> dict[str, int]:
    return {"seconds": int(os.environ.get("BENCH_LOAD_SECONDS", "300")),
            "users": int(os.environ.get("BENCH_LOAD_USERS", "50")),
            "requests": int(os.environ.get("BENCH_LOAD_REQUESTS", "10000")),
            "checkins": int(os.environ.get("BENCH_LOAD_CHECKINS", "10"))}


@contextmanager
def own_database(engine: str, url: str | None) -> Iterator[str | None]:
    """PostgreSQL: a new database (dropped afterwards), so the scheduler's advisory lock
    cannot clash with another scheduler on the shared server. SQLite: nothing to do."""
    if engine != "postgresql" or url is None:
        yield None
        return
    name = f"bench_load_{os.getpid()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def memory(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak) of a process, in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = round(int(rest.split()[0]) / 1024, 1)
    return values


@contextmanager
def servers(url: str, instance: str, logs: Path) -> Iterator[tuple[int, int, int]]:
    """gunicorn (4 workers) and the scheduler on the database; (port, gunicorn pid,
    scheduler pid). Their output goes to files in ``logs`` (never a pipe that could fill)."""
    port = pages._free_port()
    env = {**os.environ, "DATABASE_URL": url, "MARKETPLACE_CONFIG": "production",
           "SECRET_KEY": "benchmark-only-not-a-secret", "MARKETPLACE_INSTANCE": instance,
           "PORT": str(port), "PUBLIC_URL": f"http://127.0.0.1:{port}"}
    procs = []
    try:
        with (logs / "gunicorn.log").open("wb") as out:
            procs.append(subprocess.Popen(
                [str(BIN / "gunicorn"), "--workers", str(pages.WORKERS), "--bind",
                 f"127.0.0.1:{port}", "--access-logfile", str(logs / "access.log"),
                 "--access-logformat", ACCESS_FORMAT,
                 "--log-level", "info", "wsgi:app"],
                cwd=pages.ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True))
        pages.wait_healthy(port, procs[0], lambda: (logs / "gunicorn.log").read_text()[-2000:])
        with (logs / "scheduler.log").open("wb") as out:
            procs.append(subprocess.Popen(
                [str(BIN / "flask"), "--app", "wsgi", "scheduler", "run"], cwd=pages.ROOT,
                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
        yield port, procs[0].pid, procs[1].pid
    finally:
        for proc in reversed(procs):
            pages.stop_group(proc)


@contextmanager
def sampling(master: int, every: float = 30.0) -> Iterator[list[float]]:
    """The largest web worker's RSS every ``every`` seconds while the load runs (does it
    level off, or keep growing?)."""
    series: list[float] = []
    done = threading.Event()

    def sample() -> None:
        while not done.wait(every):
            sizes = []
            for pid in _children(master):
                try:
                    sizes.append(memory(pid)["VmRSS"])
                except (OSError, KeyError):
                    pass  # a worker that just exited
            series.append(max(sizes, default=0.0))

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield series
    finally:
        done.set()
        thread.join()


def scan_logs(logs: Path) -> dict[str, Any]:
    """5xx from the access log; database errors and tracebacks in the server and scheduler
    output (counted per line)."""
    statuses = re.findall(r'" (\d{3}) ', (logs / "access.log").read_text()
                          if (logs / "access.log").exists() else "")
    found: dict[str, Any] = {"server_5xx": sum(1 for s in statuses if s.startswith("5")),
                             "server_requests": len(statuses)}
    for name in ("gunicorn", "scheduler"):
        lines = (logs / f"{name}.log").read_text(errors="replace").splitlines()
        for needle in DB_ERRORS:
            count = sum(1 for line in lines if needle in line)
            if count:
                found[f"{name}_{needle.lower().replace(' ', '_')}"] = count
    found["database_locked"] = sum(v for k, v in found.items() if k.endswith("database_is_locked"))
    return found


def run_locust(port: int, world_file: Path, out: Path, s: dict[str, int], log: Path) -> dict:
    command = [str(BIN / "locust"), "-f", str(Path(__file__).with_name("load_locustfile.py")),
               "--headless", "--users", str(s["users"]),
               "--spawn-rate", str(max(1, s["users"] // 5)), "--run-time", f"{s['seconds']}s",
               "--host", f"http://127.0.0.1:{port}", "--stop-timeout", "10", "--only-summary",
               "--loglevel", "WARNING", "--exit-code-on-error", "0"]
    env = {**os.environ, "LOAD_WORLD": str(world_file), "LOAD_OUT": str(out)}
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    with log.open("wb") as output:
        subprocess.run(command, cwd=pages.ROOT, env=env, stdout=output,
                       stderr=subprocess.STDOUT, timeout=s["seconds"] + 180, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary = out / "summary.json"
    if not summary.exists():
        raise RuntimeError(f"locust wrote no summary: {log.read_text()[-3000:]}")
    # The load generator shares the 2 cores with the server: how much did it take?
    cpu = after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime
    return {**json.loads(summary.read_text()), "locust_cpu_s": round(cpu, 1)}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(emit: Callable[[str, dict, dict], None],
        engines: Callable[[], list[tuple[str, str | None]]]) -> None:
    s = settings()
    if not (BIN / "locust").exists():
        emit("load", {"engine": "-"}, {"error": "locust is not installed: pip install -c "
                                       "constraints.txt -e '.[bench]'"})
        return
    for engine, url in engines():
        with own_database(engine, url) as own_url, \
                migrated_app(engine, own_url, "load") as app, \
                tempfile.TemporaryDirectory(prefix="bench-load-out-") as tmp:
            work = Path(tmp)
            started = time.perf_counter()
            world = load_world.build(s["requests"], s["users"], s["checkins"])
            build_s = round(time.perf_counter() - started, 1)
            instance = app.config.get("INSTANCE_PATH", "")
            world["outbox"] = str(Path(instance) / "outbox")  # the servers' MAIL_OUTBOX_DIR
            (work / "world.json").write_text(json.dumps(world))
            db.session.remove()
            with servers(app.config["SQLALCHEMY_DATABASE_URI"], instance, work) as (
                    port, master, scheduler):
                before = {pid: memory(pid) for pid in _children(master)}
                with sampling(master) as series:
                    result = run_locust(port, work / "world.json", work, s,
                                        work / "locust.log")
                workers = {pid: memory(pid) for pid in _children(master)}
                worker_cpu = sum(cpu_seconds(pid) for pid in workers)
                scheduler_mb = memory(scheduler)
                scheduler_cpu = cpu_seconds(scheduler)
            metrics = {**result, **scan_logs(work), **load_verify.verify(work / "journal.jsonl"),
                       "worker_rss_mb": [m["VmRSS"] for m in workers.values()],
                       "worker_peak_rss_mb": [m["VmHWM"] for m in workers.values()],
                       "worker_rss_start_mb": [m["VmRSS"] for m in before.values()],
                       "workers_restarted": len(set(workers) - set(before)),
                       "scheduler_rss_mb": scheduler_mb.get("VmRSS"),
                       "max_worker_rss_mb": max((m["VmRSS"] for m in workers.values()),
                                                default=None),
                       "max_worker_rss_mb_every_30s": series,
                       "workers_cpu_s": round(worker_cpu, 1),
                       "scheduler_cpu_s": round(scheduler_cpu, 1), "build_s": build_s}
            if os.environ.get("BENCH_LOAD_KEEP"):
                kept = Path(os.environ["BENCH_LOAD_KEEP"]) / engine
                shutil.copytree(work, kept, dirs_exist_ok=True)
            emit("load", {"engine": engine, "users": s["users"], "seconds": s["seconds"],
                          "requests": s["requests"], "workers": pages.WORKERS}, metrics)
