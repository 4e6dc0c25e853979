"""`flask scheduler run`: one BlockingScheduler (Europe/Amsterdam) that triggers the sweeps."""

from __future__ import annotations

import logging
import signal
import time
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from marketplace.clock import DOMAIN_TZ
from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.jobs import JOBS, Job, run_job
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


def build_scheduler(app: Flask) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=DOMAIN_TZ)
    for job in JOBS:
        # coalesce + max_instances=1: a late or slow sweep runs once, never in parallel.
        scheduler.add_job(_wrap(app, job), job.trigger, id=job.name, name=job.description,
                          coalesce=True, max_instances=1, misfire_grace_time=None,
                          **job.trigger_args)
    return scheduler


def run_scheduler(app: Flask, *, wait: bool = False, poll_seconds: float = 5.0) -> None:
    """Become the one active scheduler and run until SIGINT/SIGTERM.

    Without `wait`, a second scheduler refuses with NotLeader; with `wait` it stays passive
    and takes over when the active one goes away.
    """
    with app.app_context():
        guard = LeaderGuard(db.engine, app.config["SCHEDULER_LEASE_SECONDS"])
        while not guard.acquire():
            if not wait:
                holder = guard.current_holder()
                raise NotLeader(holder or "another process")
            time.sleep(poll_seconds)

    scheduler = build_scheduler(app)

    def renew() -> None:
        with app.app_context():
            if not guard.renew():
                log.error("scheduler lost its lease; stopping so that only one stays active")
                scheduler.shutdown(wait=False)

    renew_every = max(app.config["SCHEDULER_LEASE_SECONDS"] // 3, 1)
    scheduler.add_job(renew, "interval", seconds=renew_every, id="_lease", coalesce=True,
                      max_instances=1)

    def stop(signum: int, frame: Any) -> None:
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("scheduler active with %d job(s)", len(JOBS))
    # Run every sweep once at start, so nothing waits for the first interval after a restart.
    for job in JOBS:
        _wrap(app, job)()
    try:
        scheduler.start()
    finally:
        with app.app_context():
            guard.release()
