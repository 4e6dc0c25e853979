"""The job table. Each job is one service call in an app context, then one commit.

APScheduler only triggers; every job is a sweep that asks the database what is due as of
`now` and not yet done, so running it twice, late, or from a second process is harmless.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app

from marketplace.extensions import db


@dataclass(frozen=True)
class Job:
    name: str
    description: str
    trigger: str  # "interval" or "cron"
    trigger_args: dict[str, Any]
    run: Callable[[datetime], int]

    def describe_trigger(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.trigger_args.items())
        return f"{self.trigger}[{args}]"


def relay_outbox(now: datetime) -> int:
    from marketplace.notifications.relay import Transport, relay

    cfg = current_app.config
    transport = Transport(cfg["MAIL_URL"], cfg["MAIL_OUTBOX_DIR"])
    return relay(transport, sender=cfg["MAIL_FROM"], now=now,
                 max_attempts=cfg["OUTBOX_MAX_ATTEMPTS"])


JOBS: tuple[Job, ...] = (
    Job("outbox_relay", "Send mail waiting in the outbox (retries with backoff)",
        "interval", {"seconds": 15}, relay_outbox),
)


def run_job(job: Job, now: datetime) -> int:
    """Run one sweep as an entry point: it owns the transaction."""
    try:
        handled = job.run(now)
        db.session.commit()
        return handled
    except Exception:
        db.session.rollback()
        raise


def run_due(now: datetime) -> dict[str, int]:
    """Every sweep as of `now`, in table order; returns items handled per job."""
    return {job.name: run_job(job, now) for job in JOBS}
