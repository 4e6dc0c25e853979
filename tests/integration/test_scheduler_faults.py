"""The scheduler under SIGKILL: 1,000 due reminders, a real SMTP server, real `flask scheduler
run` processes killed at random points (at least 20 times) and replaced until everything is
sent. Shows: 0 missed; duplicates only where a kill fell between the SMTP server accepting a
message and the relay's commit (the "window", counted after every kill); a second scheduler
stays passive (the stand-by `--wait` process) or refuses (without `--wait`).

The data: 500 arrangements with a check-in due today; the check-in sweep turns them into
1,000 outbox messages (resident and volunteer), which the relay sends one per transaction.
The Message-ID carries the outbox id ("outbox-<id>@"), so the server counts per message.
Kills are mixed: at a random time after a process became active (often inside the sweep's
transaction, which is then redone), or right after the server accepted a random n-th
message (often inside the window). Each replacement is already waiting (`--wait`), so the
takeover costs no start-up time; a new stand-by starts at once.
"""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text

from marketplace.accounts.models import User
from marketplace.brokering.models import Arrangement, Match
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.followup.models import CheckIn
from marketplace.help_requests.models import HelpRequest
from marketplace.scheduling.leader import ADVISORY_LOCK_KEY

ROOT = Path(__file__).resolve().parents[2]
ARRANGEMENTS = 500  # two reminders each: 1,000 messages
KILLS = 22
STANDBYS = 3  # warm replacements: a takeover costs no start-up time
SEED = int(os.environ.get("FAULT_SEED", "20260302"))
MESSAGE_ID = re.compile(r"outbox-(\d+)@")


class Received:
    """The SMTP server's side: every accepted message, by outbox id, in order. It can also
    pull the trigger: `arm(pid, n, delay)` kills the process `delay` seconds after the n-th
    next message was accepted (from a timer thread, so the "250 OK" goes out meanwhile: the
    kill lands just before or after the relay's commit)."""

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.lock = threading.Lock()
        self.trigger: tuple[int, int, float] | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        match = MESSAGE_ID.search(envelope.content.decode("utf-8", "replace"))
        with self.lock:
            self.ids.append(int(match.group(1)) if match else -1)
            if self.trigger is not None and len(self.ids) >= self.trigger[1]:
                pid, _, delay = self.trigger
                self.trigger = None
                threading.Timer(delay, os.kill, (pid, signal.SIGKILL)).start()
        return "250 OK"

    def arm(self, pid: int, n: int, delay: float) -> None:
        with self.lock:
            self.trigger = (pid, len(self.ids) + n, delay)

    def disarm(self) -> None:
        with self.lock:
            self.trigger = None

    def count(self) -> int:
        with self.lock:
            return len(self.ids)

    def snapshot(self) -> list[int]:
        with self.lock:
            return list(self.ids)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def smtp():
    handler = Received()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


def load_due_checkins(n: int) -> None:
    """n active arrangements of n residents with 25 volunteers, each with a check-in due."""
    day = today()
    now = clock_now()
    volunteers = [User(email=f"vrijwilliger{i}@example.org", name=f"Vrijwilliger {i}",
                       created_at=now) for i in range(25)]
    residents = [User(email=f"inwoner{i}@example.org", name=f"Inwoner {i}", created_at=now)
                 for i in range(n)]
    db.session.add_all(volunteers + residents)
    db.session.flush()
    requests = [HelpRequest(owner_id=r.id, created_by_id=r.id, category="shopping",
                            description="Boodschappen op dinsdag.", pc4="5531",
                            house_number="12", lat=51.37, lon=5.22, status="matched",
                            created_at=now) for r in residents]
    db.session.add_all(requests)
    db.session.flush()
    matches = [Match(request_id=r.id, volunteer_id=volunteers[i % 25].id, status="accepted",
                     origin="worker", created_at=now) for i, r in enumerate(requests)]
    db.session.add_all(matches)
    db.session.flush()
    arrangements = [Arrangement(request_id=m.request_id, match_id=m.id,
                                volunteer_id=m.volunteer_id, status="active",
                                started_on=day - timedelta(days=7),
                                planned_end_on=day + timedelta(days=77), created_at=now)
                    for m in matches]
    db.session.add_all(arrangements)
    db.session.flush()
    db.session.add_all(CheckIn(arrangement_id=a.id, kind="first_week", due_on=day)
                       for a in arrangements)
    db.session.commit()


class Monitor:
    """Reads the database beside the schedulers (a plain engine: no BEGIN IMMEDIATE)."""

    def __init__(self, url: str, backend: str) -> None:
        self.engine = create_engine(url)
        self.backend = backend

    def scalar(self, sql: str, **params):
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def rows(self, sql: str, **params) -> list:
        with self.engine.connect() as conn:
            return list(conn.execute(text(sql), params))

    def pending_ids(self) -> set[int]:
        return {r[0] for r in self.rows("SELECT id FROM outbox_message WHERE status = 'pending'")}

    def active_holder(self) -> str | None:
        """Which scheduler is active: the lease holder (SQLite) or the application name the
        scheduler gives the connection that holds the advisory lock (PostgreSQL)."""
        if self.backend == "sqlite":
            return self.scalar("SELECT holder FROM scheduler_lease WHERE name = 'scheduler'")
        return self.scalar(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.objid = :key",
            key=ADVISORY_LOCK_KEY & 0xFFFFFFFF)

    def lock_holders(self) -> int:
        if self.backend == "sqlite":
            return int(self.scalar("SELECT count(*) FROM scheduler_lease"))
        return int(self.scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                               " AND granted AND objid = :key",
                               key=ADVISORY_LOCK_KEY & 0xFFFFFFFF))


class Schedulers:
    def __init__(self, url: str, tmp_path: Path, smtp_port: int) -> None:
        self.url, self.tmp_path, self.smtp_port = url, tmp_path, smtp_port
        self.started = 0
        self.processes: list[subprocess.Popen] = []

    def start(self, *extra: str) -> subprocess.Popen:
        self.started += 1
        name = f"bm-scheduler-{self.started}"
        env = {**os.environ, "DATABASE_URL": self.url, "MARKETPLACE_CONFIG": "testing",
               "MARKETPLACE_INSTANCE": str(self.tmp_path),
               "MAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
               "SCHEDULER_LEASE_SECONDS": "10", "OUTBOX_RELAY_SECONDS": "1",
               "PGAPPNAME": name}
        log = open(self.tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run", *extra],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        process.name, process.log = name, log  # type: ignore[attr-defined]
        self.processes.append(process)
        return process

    def holder_name(self, process: subprocess.Popen) -> str:
        # The lease's holder (SQLite); on PostgreSQL the scheduler names its lock's
        # connection the same way (application_name).
        return f"{socket.gethostname()}:{process.pid}"[-63:]

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait(30)
            process.log.close()  # type: ignore[attr-defined]


def wait_for(condition, timeout: float, what: str, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: {process.name} exited with {process.returncode}: "
                                 + Path(process.log.name).read_text()[-3000:])
        time.sleep(0.02)
    raise AssertionError(f"{what}: not within {timeout} s")


def test_sigkill_at_random_points_loses_nothing(app, database, tmp_path, smtp):
    backend, url = database
    controller, received = smtp
    load_due_checkins(ARRANGEMENTS)
    expected = 2 * ARRANGEMENTS
    rng = random.Random(f"{SEED}-{backend}")
    monitor = Monitor(url, backend)
    schedulers = Schedulers(url, tmp_path, controller.port)
    kills, window, modes = 0, 0, Counter()
    window_ids: list[int] = []
    life_starts: list[int] = []
    started_at = time.monotonic()

    def activated(pool: list[subprocess.Popen]) -> subprocess.Popen | None:
        holder = monitor.active_holder()
        return next((p for p in pool if schedulers.holder_name(p) == holder), None)

    try:
        active = schedulers.start()
        wait_for(lambda: activated([active]) is not None, 120,
                 "the first scheduler becomes active", active)
        # A second scheduler without --wait refuses, with a clear message.
        refused = schedulers.start()
        standbys = [schedulers.start("--wait") for _ in range(STANDBYS)]
        assert refused.wait(120) == 1
        output = Path(refused.log.name).read_text()
        assert "another scheduler is already active" in output and "Traceback" not in output
        life_start = received.count()

        while kills < KILLS:
            mode = rng.choice(("time", "message", "message"))
            if mode == "message" and len(set(received.snapshot())) >= expected:
                mode = "time"  # everything went out already: no message left to wait for
            modes[mode] += 1
            if mode == "time":
                deadline = time.monotonic() + rng.uniform(0.0, 2.0)
            else:
                # At once (the "250 OK" and the commit race the kill) or a few ms later.
                delay = rng.choice((0.0, rng.uniform(0.0, 0.005)))
                received.arm(active.pid, rng.randint(1, 25), delay)
                deadline = time.monotonic() + 15  # in case no message comes (all sent)
            while time.monotonic() < deadline and active.poll() is None:
                time.sleep(0.002)
            received.disarm()
            # Until the kill: one lock holder, the active one; every stand-by passive.
            if active.poll() is None:
                assert monitor.lock_holders() == 1
                assert activated([active]) is active
                assert all(p.poll() is None for p in standbys)
                os.kill(active.pid, signal.SIGKILL)
            assert active.wait(30) == -signal.SIGKILL
            kills += 1
            time.sleep(0.3)  # let the server finish a message whose last byte it already had
            # The window: accepted by the server during this life, not marked sent.
            accepted = set(received.snapshot()[life_start:])
            in_window = accepted & monitor.pending_ids()
            window += len(in_window)
            window_ids.extend(in_window)
            life_starts.append(life_start)
            life_start = received.count()
            # A stand-by takes over; a new one starts behind it.
            wait_for(lambda: activated(standbys) is not None, 120, "a stand-by takes over")
            active = activated(standbys)
            standbys.remove(active)
            standbys.append(schedulers.start("--wait"))

        # No more kills: the last scheduler finishes the work.
        wait_for(lambda: (monitor.scalar("SELECT count(*) FROM outbox_message WHERE status"
                                         " = 'sent'") == expected
                          and len(set(received.snapshot())) >= expected), 300,
                 "everything is sent", active)
        for standby in standbys:
            standby.kill()
            standby.wait(30)
        active.send_signal(signal.SIGTERM)
        assert active.wait(60) == 0
        outbox = {r[0]: r[1] for r in monitor.rows("SELECT id, status FROM outbox_message")}
        unsent_checkins = monitor.scalar("SELECT count(*) FROM check_in WHERE sent_at IS NULL")
    finally:
        schedulers.stop_all()
        monitor.engine.dispose()

    deliveries = Counter(received.snapshot())
    duplicates = sum(n - 1 for n in deliveries.values())
    missed = [i for i in outbox if deliveries[i] == 0]
    print(f"\nFAULT {backend}: kills={kills} ({dict(modes)}), schedulers started="
          f"{schedulers.started}, messages={len(outbox)}, delivered={len(deliveries)}, "
          f"deliveries={sum(deliveries.values())}, duplicates={duplicates}, "
          f"window={window}, seconds={time.monotonic() - started_at:.0f}")
    assert kills >= 20
    assert len(outbox) == expected  # the sweep wrote each reminder once (dedupe keys)
    assert set(outbox.values()) == {"sent"}
    assert unsent_checkins == 0
    assert missed == []
    assert set(deliveries) == set(outbox)  # nothing unknown arrived
    unexplained = Counter({i: n - 1 for i, n in deliveries.items() if n > 1})
    unexplained.subtract(Counter(window_ids))
    snapshot = received.snapshot()
    assert duplicates <= window, [
        (i, [pos for pos, x in enumerate(snapshot) if x == i], life_starts)
        for i, n in unexplained.items() if n > 0]
