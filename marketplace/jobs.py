"""The job table. Each job is one service call in an app context, then one commit.

APScheduler only triggers; every job is a sweep that asks the database what is due as of
`now` and not yet done, so running it twice, late, or from a second process is harmless.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app, has_app_context

from marketplace import clock
from marketplace.extensions import db


@dataclass(frozen=True)
class Job:
    name: str
    description: str
    trigger: str  # "interval" or "cron"
    trigger_args: dict[str, Any]
    run: Callable[[datetime], int]
    # An interval in seconds read from the app's configuration instead of trigger_args.
    interval_setting: str | None = None

    def trigger_args_for(self, config: Mapping[str, Any]) -> dict[str, Any]:
        if self.interval_setting and config.get(self.interval_setting):
            return {"seconds": int(config[self.interval_setting])}
        return dict(self.trigger_args)

    def describe_trigger(self, config: Mapping[str, Any] | None = None) -> str:
        if config is None and has_app_context():
            config = current_app.config
        trigger_args = self.trigger_args_for(config or {})
        args = ", ".join(f"{k}={v}" for k, v in trigger_args.items())
        return f"{self.trigger}[{args}]"


def relay_outbox(now: datetime) -> int:
    from marketplace.notifications.relay import Transport, relay

    cfg = current_app.config
    transport = Transport(cfg["MAIL_URL"], cfg["MAIL_OUTBOX_DIR"])
    return relay(transport, sender=cfg["MAIL_FROM"], now=now,
                 max_attempts=cfg["OUTBOX_MAX_ATTEMPTS"])


def _sweep(module: str, function: str) -> Callable[[datetime], int]:
    """Import lazily so `jobs list` and the web app do not load every feature."""

    def run(now: datetime) -> int:
        from importlib import import_module

        return getattr(import_module(module), function)(now)

    run.__name__ = function
    return run


EVERY_15_MIN = ("interval", {"minutes": 15})

# Order matters for `jobs run-due`: sweeps first, so the mail they queue is relayed last.
JOBS: tuple[Job, ...] = (
    Job("request_expiry", "Expire old requests with a renewal offer; warn a week before",
        *EVERY_15_MIN, _sweep("marketplace.help_requests.sweeps", "expire_requests")),
    Job("stale_requests", "Open requests without help for too long go to the area's worker",
        *EVERY_15_MIN, _sweep("marketplace.help_requests.sweeps", "escalate_stale")),
    Job("signal_escalation", "Signals past their respond-by date go to the team coordinator",
        *EVERY_15_MIN, _sweep("marketplace.signals.services", "escalate_overdue")),
    Job("checkins", "Ask resident and volunteer how the support goes, when a check-in is due",
        *EVERY_15_MIN, _sweep("marketplace.followup.sweeps", "send_checkins")),
    Job("checkin_escalation", "'Needs attention' or no answer in 5 days reaches the worker",
        *EVERY_15_MIN, _sweep("marketplace.followup.sweeps", "escalate_checkins")),
    Job("arrangement_ending", "Two weeks before the planned end: who carries on?",
        *EVERY_15_MIN, _sweep("marketplace.followup.sweeps", "announce_endings")),
    Job("evaluation_overdue", "Weekly reminder of evaluations past the planned end",
        *EVERY_15_MIN, _sweep("marketplace.followup.sweeps", "remind_overdue_evaluations")),
    Job("follow_ups_due", "Each worker's follow-ups due today, in one mail",
        "cron", {"hour": 7, "minute": 15}, _sweep("marketplace.brokering.followups",
                                                  "mail_due_today")),
    Job("vog_expiring", "A volunteer whose VOG ends within 60 days is reminded (once)",
        "cron", {"hour": 7, "minute": 20}, _sweep("marketplace.volunteers.care",
                                                  "remind_vog_expiring")),
    Job("reciprocity_invitations", "Invite residents to contribute back, some time after support",
        *EVERY_15_MIN, _sweep("marketplace.reciprocity.services", "send_invitations")),
    Job("reciprocity_reminders", "One gentle reminder of an unanswered invitation",
        *EVERY_15_MIN, _sweep("marketplace.reciprocity.services", "send_reminders")),
    Job("volunteer_care", "Inactive, long at capacity, thanks after milestones",
        "cron", {"hour": 10, "minute": 0}, _sweep("marketplace.volunteers.sweeps",
                                                  "volunteer_care")),
    Job("volunteer_digest", "Weekly digest of new requests nearby (Mondays)",
        "cron", {"day_of_week": "mon", "hour": 8, "minute": 0},
        _sweep("marketplace.volunteers.sweeps", "weekly_digest")),
    Job("volunteer_pauses", "Pauses that began or ended today reach the matching index",
        *EVERY_15_MIN, _sweep("marketplace.volunteers.sweeps", "refresh_pauses")),
    Job("activity_planning", "Recurring activities planned ahead; finished ones end",
        *EVERY_15_MIN, _sweep("marketplace.associations.sweeps", "plan_ahead")),
    Job("activity_reminders", "The day before an activity: people signed up and the rota",
        *EVERY_15_MIN, _sweep("marketplace.associations.sweeps", "send_reminders")),
    Job("handover_complete", "From the transition end the association runs the activity",
        *EVERY_15_MIN, _sweep("marketplace.associations.handover_sweeps", "complete_handovers")),
    Job("handover_checks", "Ask the association 'still running?' 3 and 12 months later",
        *EVERY_15_MIN, _sweep("marketplace.associations.handover_sweeps", "ask_still_running")),
    Job("handover_alerts", "No answer in 14 days to 'still running?' reaches the workers",
        *EVERY_15_MIN, _sweep("marketplace.associations.handover_sweeps", "alert_unanswered")),
    Job("referral_reminders", "A referral unanswered 14 days: the partner and the worker hear it",
        *EVERY_15_MIN, _sweep("marketplace.partners.referral_sweeps", "remind_unanswered")),
    Job("cluster_digest", "Weekly mail of new clusters of requests to each area's workers",
        "cron", {"day_of_week": "mon", "hour": 7, "minute": 30},
        _sweep("marketplace.associations.collective_sweeps", "mail_new_clusters")),
    Job("gaps_monthly", "Monthly mail of unmet demand (gaps) to each municipality's partners",
        "cron", {"day": 1, "hour": 7, "minute": 0},
        _sweep("marketplace.reporting.gaps", "mail_gaps")),
    Job("report_snapshots", "The indicator tables of every region for this and last year",
        *EVERY_15_MIN, _sweep("marketplace.reporting.snapshots", "refresh")),
    Job("retention", "Anonymise closed cases after the retention period",
        "cron", {"hour": 3, "minute": 30}, _sweep("marketplace.retention", "anonymise_expired")),
    Job("retention_rows", "Old mail, logins, tokens and audit details go (the erasure table)",
        "cron", {"hour": 3, "minute": 40}, _sweep("marketplace.retention", "expire_rows")),
    Job("retention_notice", "A month's notice before an inactive account is erased",
        "cron", {"hour": 3, "minute": 45}, _sweep("marketplace.retention", "notify_inactive")),
    Job("retention_accounts", "Erase residents' and volunteers' accounts inactive too long",
        "cron", {"hour": 3, "minute": 50}, _sweep("marketplace.retention", "erase_inactive")),
    Job("outbox_relay", "Send mail waiting in the outbox (retries with backoff)",
        "interval", {"seconds": 15}, relay_outbox, interval_setting="OUTBOX_RELAY_SECONDS"),
)

# A sweep handles at most one page (a few hundred items) per call and commits; the job calls
# it again while it still finds work, so a backlog drains in one trigger, in short
# transactions. The cap only guards against a sweep that never runs dry.
MAX_ROUNDS = 200


def run_job(job: Job, now: datetime) -> int:
    """Run one sweep as an entry point: it owns the transactions (one commit per page).

    Every sweep marks what it handled, so a call that returns 0 found nothing left to do.
    The whole run happens at one moment: inside it the clock reads `now` (clock.moment), so
    whatever the sweep stamps, also through a column default, is `now` and not the wall
    clock. Otherwise a run as of a later moment (`run-due --at`) would leave rows that look
    months old to the next run as of that moment, and retention would take them away.
    """
    total = 0
    with clock.moment(now):
        for _ in range(MAX_ROUNDS):
            try:
                handled = job.run(now)
                db.session.commit()
            except Exception:
                db.session.rollback()
                raise
            total += handled
            if not handled:
                break
    return total


def run_due(now: datetime) -> dict[str, int]:
    """Every sweep as of `now`, in table order; returns items handled per job."""
    return {job.name: run_job(job, now) for job in JOBS}
