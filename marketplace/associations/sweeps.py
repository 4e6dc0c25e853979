"""Scheduled work of activities: keep recurring series planned ahead, end finished ones, and
remind people the day before. Each sweep takes `now`, handles one page and marks what it
handled (so `jobs run-due` twice for one moment handles nothing new)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select

from marketplace.accounts.models import User
from marketplace.associations import notify
from marketplace.associations.models import Activity, Occurrence, Signup
from marketplace.associations.occurrences import HORIZON_DAYS, generate_occurrences
from marketplace.clock import today
from marketplace.extensions import db

PAGE = 200
# Reminders go out for occurrences starting within this window ("tomorrow").
REMIND_AHEAD = timedelta(hours=24)
# The planning sweep tops a series up once it is planned less than this far ahead.
REPLAN_MARGIN_DAYS = 7


def plan_ahead(now: datetime) -> int:
    """Recurring series get their next occurrences; finished activities become "ended"."""
    day = today(now)
    ended = db.session.scalars(select(Activity).where(
        Activity.status == "active",
        or_(Activity.repeat_until < day,
            (Activity.recurrence == "none") & (Activity.starts_at < now - timedelta(days=1))))
        .order_by(Activity.id).limit(PAGE)).all()
    for activity in ended:
        activity.status = "ended"
    due_before = day + timedelta(days=HORIZON_DAYS - REPLAN_MARGIN_DAYS)
    stale = db.session.scalars(select(Activity).where(
        Activity.status == "active", Activity.recurrence != "none",
        or_(Activity.planned_until.is_(None), Activity.planned_until < due_before))
        .order_by(Activity.planned_until, Activity.id).limit(PAGE)).all()
    for activity in stale:
        generate_occurrences(activity, now=now)
        # A series that ends before the horizon is planned to its end: mark it done too.
        activity.planned_until = max(activity.planned_until or day,
                                     day + timedelta(days=HORIZON_DAYS))
    db.session.flush()
    return len(ended) + len(stale)


def people_signed_up(occurrence: Occurrence) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Signup, Signup.user_id == User.id)
        .where(Signup.activity_id == occurrence.activity_id, Signup.status == "registered")
        .order_by(Signup.position)))


def remind_rota(occurrence: Occurrence, now: datetime) -> int:
    """The volunteers on the activity's rota (vacancies) get their own reminder."""
    from marketplace.associations.vacancy_notify import rota_reminder
    from marketplace.associations.vacancy_services import rota

    return sum(rota_reminder(occurrence, user, now=now) for user in rota(occurrence.activity))


def send_reminders(now: datetime) -> int:
    """The day before an occurrence: one mail per person signed up (and per volunteer on the
    rota), once per occurrence: the occurrence is marked, the outbox key is unique."""
    occurrences = db.session.scalars(select(Occurrence).join(Activity).where(
        Occurrence.status == "scheduled", Occurrence.reminded_at.is_(None),
        Occurrence.starts_at > now, Occurrence.starts_at <= now + REMIND_AHEAD,
        Activity.status == "active")
        .order_by(Occurrence.starts_at, Occurrence.id).limit(PAGE)).all()
    for occurrence in occurrences:
        for person in people_signed_up(occurrence):
            notify.reminder(occurrence, person, now=now)
        remind_rota(occurrence, now)
        occurrence.reminded_at = now
    db.session.flush()
    return len(occurrences)
