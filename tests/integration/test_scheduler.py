"""One active scheduler per database: the guard, and real `flask scheduler run` processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from marketplace.clock import now
from marketplace.extensions import db
from marketplace.scheduling.leader import ADVISORY_LOCK_KEY, LeaderGuard

ROOT = Path(__file__).resolve().parents[2]


def test_second_guard_is_refused_until_the_first_releases(app):
    first = LeaderGuard(db.engine, 30, holder="first")
    second = LeaderGuard(db.engine, 30, holder="second")
    assert first.acquire()
    try:
        assert not second.acquire()
        assert first.renew()
    finally:
        first.release()
    assert second.acquire()
    second.release()


def test_reading_the_holder_leaves_no_transaction_open(app, backend):
    # A refused scheduler names the active one; the read must not keep a transaction (on
    # SQLite: the write lock) open behind it.
    first = LeaderGuard(db.engine, 30, holder="first")
    assert first.acquire()
    try:
        holder = LeaderGuard(db.engine, 30, holder="reader").current_holder()
        assert not db.session().in_transaction()
        assert holder == ("first" if backend == "sqlite" else None)
    finally:
        first.release()


def test_sqlite_lease_of_a_crashed_scheduler_runs_out(app, backend):
    if backend != "sqlite":
        pytest.skip("PostgreSQL frees the advisory lock when the process dies; no lease row")
    start = now()
    crashed = LeaderGuard(db.engine, 30, holder="crashed")
    assert crashed.acquire(start)
    other = LeaderGuard(db.engine, 30, holder="other")
    assert not other.acquire(start + timedelta(seconds=29))
    assert other.acquire(start + timedelta(seconds=31))
    # The old holder finds out at its next renewal and must stop.
    assert not crashed.renew(start + timedelta(seconds=32))


def _scheduler(database_url: str, tmp_path: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "MARKETPLACE_CONFIG": "testing",
           "MARKETPLACE_INSTANCE": str(tmp_path)}
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run", *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _active_holder(backend: str) -> str | None:
    """Who holds the scheduler's lease, read without taking it (a probe that took the lease
    could make the scheduler it waits for refuse to start)."""
    if backend == "sqlite":
        return LeaderGuard(db.engine, 30, holder="reader").current_holder()
    with db.engine.connect() as conn:
        return conn.execute(text(
            "SELECT CAST(pid AS TEXT) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND objid = :key"), {"key": ADVISORY_LOCK_KEY & 0xFFFFFFFF}).scalar()


def _wait_until_active(process: subprocess.Popen, backend: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        if _active_holder(backend):
            return
        time.sleep(0.2)
    raise AssertionError("scheduler did not become active within 30 s")


def test_a_second_scheduler_process_refuses_with_a_clear_message(app, backend, database,
                                                                 tmp_path):
    url = database[1]
    first = _scheduler(url, tmp_path)
    try:
        _wait_until_active(first, backend)
        second = _scheduler(url, tmp_path)
        out, err = second.communicate(timeout=60)
        assert second.returncode == 1
        assert "another scheduler is already active" in err
        assert "Traceback" not in err
        assert first.poll() is None, "the active scheduler keeps running"
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=30)
    assert first.returncode == 0
    # After a clean stop the lease is free again.
    probe = LeaderGuard(db.engine, 30, holder="probe-after")
    assert probe.acquire()
    probe.release()


def test_lease_of_a_dead_process_on_this_host_is_taken_at_once(app, backend):
    if backend != "sqlite":
        pytest.skip("PostgreSQL frees the advisory lock itself when the process dies")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    import socket

    crashed = LeaderGuard(db.engine, 30, holder=f"{socket.gethostname()}:{dead.pid}")
    assert crashed.acquire()
    assert LeaderGuard(db.engine, 30, holder="successor").acquire()
