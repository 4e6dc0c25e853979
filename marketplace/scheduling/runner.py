"""`flask scheduler run`: one BlockingScheduler (Europe/Amsterdam) that triggers the sweeps."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime
from typing import Any

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy.exc import OperationalError

from marketplace.clock import DOMAIN_TZ
from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.jobs import JOBS, Job, run_job
from marketplace.notifications.relay import release_claims
from marketplace.scheduling.leader import LeaderGuard

log = logging.getLogger("marketplace.scheduler")


class NotLeader(RuntimeError):
    pass


def _wrap(app: Flask, job: Job):
    def run() -> None:
        with app.app_context():
            try:
                handled = run_job(job, clock_now())
            except Exception:
                log.exception("job %s failed; the next run picks up what is still due", job.name)
                return
            if handled:
                log.info("job %s handled %d item(s)", job.name, handled)

    return run


def build_scheduler(app: Flask, *, run_now: bool = False) -> BlockingScheduler:
    """The jobs of the table on their triggers. Sweeps run one at a time on one thread (no
    two sweeps compete for SQLite's write lock); the relay has a thread of its own, so mail
    is not held up behind a long sweep, and the lease renewal another (never held up at all).

    run_now: each job also runs once at start, so nothing waits for its first interval (or
    cron time) after a restart.
    """
    scheduler = BlockingScheduler(timezone=DOMAIN_TZ, executors={
        "default": ThreadPoolExecutor(1), "relay": ThreadPoolExecutor(1),
        "lease": ThreadPoolExecutor(1)})
    for job in JOBS:
        extra: dict[str, Any] = {"next_run_time": datetime.now(DOMAIN_TZ)} if run_now else {}
        # coalesce + max_instances=1: a late or slow sweep runs once, never in parallel.
        scheduler.add_job(_wrap(app, job), job.trigger, id=job.name, name=job.description,
                          executor="relay" if job.name == "outbox_relay" else "default",
                          coalesce=True, max_instances=1, misfire_grace_time=None,
                          **job.trigger_args_for(app.config), **extra)
    return scheduler


def stop_quietly(scheduler: BaseScheduler) -> None:
    """Shut down once; a second signal (or one after a lost lease) does nothing."""
    try:
        scheduler.shutdown(wait=False)
    except SchedulerNotRunningError:
        pass


def announce(jobs: tuple[Job, ...] | list[Job]) -> None:
    """One line at start: "scheduler actief" and its jobs, visible on the console even when
    the app configured no logging (else log.info would be swallowed: a silent start)."""
    if not log.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
    if log.getEffectiveLevel() > logging.INFO:
        log.setLevel(logging.INFO)
    log.info("scheduler actief met %d taken: %s", len(jobs), ", ".join(j.name for j in jobs))


def _try_acquire(guard: LeaderGuard, *, patient: bool) -> bool:
    """A waiting (passive) scheduler outlives a busy or briefly unreachable database."""
    try:
        return guard.acquire()
    except OperationalError:
        if not patient:
            raise
        db.session.rollback()
        log.warning("database busy or unreachable; the passive scheduler keeps waiting",
                    exc_info=True)
        return False


def run_scheduler(app: Flask, *, wait: bool = False, poll_seconds: float | None = None) -> None:
    """Become the one active scheduler and run until SIGINT/SIGTERM.

    Without `wait`, a second scheduler refuses with NotLeader; with `wait` it stays passive
    and takes over when the active one goes away (it looks as often as the active one renews
    its lease, at most every 5 seconds).
    """
    lease_seconds = app.config["SCHEDULER_LEASE_SECONDS"]
    if poll_seconds is None:
        poll_seconds = min(5.0, max(lease_seconds / 6, 0.5))
    stop_requested = threading.Event()

    def stop_before_start(signum: int, frame: Any) -> None:
        # From the first moment on: a SIGTERM between taking the lease and starting the
        # scheduler (a deploy right after a take-over) must stop it cleanly, lease released,
        # not kill it with the lease held. A waiting scheduler stops waiting.
        stop_requested.set()
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    signal.signal(signal.SIGTERM, stop_before_start)
    signal.signal(signal.SIGINT, stop_before_start)
    with app.app_context():
        guard = LeaderGuard(db.engine, lease_seconds)
        while not _try_acquire(guard, patient=wait):
            if not wait:
                holder = guard.current_holder()
                raise NotLeader(holder or "another process")
            if stop_requested.wait(poll_seconds):
                return
        # Only one scheduler is active: a claim on a message is its predecessor's (gone).
        released = release_claims()
        if released:
            log.info("released %d message(s) claimed by the previous scheduler", released)

    scheduler = build_scheduler(app, run_now=True)

    def renew() -> None:
        with app.app_context():
            if not guard.renew():
                log.error("scheduler lost its lease; stopping so that only one stays active")
                stop_quietly(scheduler)

    # Renewed from the start, on its own thread: the first sweeps after a restart may take
    # longer than the lease.
    renew_every = max(app.config["SCHEDULER_LEASE_SECONDS"] // 3, 1)
    scheduler.add_job(renew, "interval", seconds=renew_every, id="_lease", coalesce=True,
                      max_instances=1, executor="lease")

    def stop(signum: int, frame: Any) -> None:
        # Ctrl-C twice, or after a lost lease: stopping what has stopped is not an error. A
        # signal before the scheduler runs is kept and honoured as soon as it has started.
        stop_requested.set()
        # Not here: a signal handler runs on the main thread, which may be inside the
        # scheduler's job loop holding its (re-entrant) job-store lock; shutting down from
        # here would empty the job store under the loop's feet (JobLookupError). Another
        # thread waits for the lock and stops between two rounds.
        threading.Thread(target=stop_quietly, args=(scheduler,), name="scheduler-stop").start()
        # The running sweeps still finish their page (short transactions) while Python exits;
        # a second Ctrl-C then must not kill the process half-way: ignore it from now on
        # (an ignored signal stays ignored through interpreter shutdown, a handler does not).
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    def started(event: Any) -> None:
        announce(JOBS)
        if stop_requested.is_set():
            stop_quietly(scheduler)

    scheduler.add_listener(started, EVENT_SCHEDULER_STARTED)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        scheduler.start()
    finally:
        with app.app_context():
            guard.release()
        log.info("scheduler gestopt")
