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

from marketplace.clock import now
from marketplace.extensions import db
from marketplace.scheduling.leader import LeaderGuard

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


def test_reading_the_holder_leaves_no_transaction_open(app):
    # A refused scheduler names the active one; the read must not keep a transaction (on
    # SQLite: the write lock) open behind it.
    first = LeaderGuard(db.engine, 30, holder="first")
    assert first.acquire()
    try:
        holder = LeaderGuard(db.engine, 30, holder="reader").current_holder()
        assert not db.session().in_transaction()
        assert holder == "first"
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


def _wait_until_active(process: subprocess.Popen) -> str:
    """The active scheduler's name, read without taking the lease or lock (a probe that
    took it could make the scheduler it waits for refuse to start)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        holder = LeaderGuard(db.engine, 30, holder="reader").current_holder()
        if holder:
            return holder
        time.sleep(0.2)
    raise AssertionError("scheduler did not become active within 30 s")


def test_a_second_scheduler_process_refuses_with_a_clear_message(app, database, tmp_path):
    url = database[1]
    first = _scheduler(url, tmp_path)
    try:
        holder = _wait_until_active(first)
        assert holder.endswith(f":{first.pid}"), holder  # host:pid of the active process
        second = _scheduler(url, tmp_path)
        out, err = second.communicate(timeout=60)
        assert second.returncode == 1
        assert "another scheduler is already active" in err
        assert holder in err, err  # named, so the operator knows which one to stop
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


def test_a_waiting_scheduler_stops_cleanly_on_sigterm(app, database, tmp_path):
    # The stop signal is handled from the start, not only once the scheduler runs: a SIGTERM
    # that came between taking over and starting killed it with the lease held (a flaky
    # test_sigkill_at_random_points_loses_nothing showed it). A waiting one stops waiting.
    url = database[1]
    first = _scheduler(url, tmp_path)
    try:
        _wait_until_active(first)
        waiting = _scheduler(url, tmp_path, "--wait")
        time.sleep(3)  # past start-up, into the wait for the lease
        assert waiting.poll() is None
        waiting.send_signal(signal.SIGTERM)
        waiting.communicate(timeout=30)
        assert waiting.returncode == 0  # was -15: killed by the signal
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=30)
    assert first.returncode == 0


def test_lease_of_a_dead_process_on_this_host_is_taken_at_once(app, backend):
    if backend != "sqlite":
        pytest.skip("PostgreSQL frees the advisory lock itself when the process dies")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    import socket

    crashed = LeaderGuard(db.engine, 30, holder=f"{socket.gethostname()}:{dead.pid}")
    assert crashed.acquire()
    assert LeaderGuard(db.engine, 30, holder="successor").acquire()
