"""The occurrences of a series: planning (idempotent), cancelling or moving one, attendance."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from marketplace.accounts.models import User
from marketplace.associations import notify
from marketplace.associations.access import can_manage
from marketplace.associations.models import Activity, Attendance, Occurrence, Signup
from marketplace.associations.recurrence import planned_starts
from marketplace.associations.validation import utc_within_reach
from marketplace.clock import as_utc, today
from marketplace.clock import now as clock_now
from marketplace.errors import DomainError, NotFound, ValidationFailed
from marketplace.extensions import db

# Recurring series are planned this far ahead; the daily sweep extends the horizon.
HORIZON_DAYS = 120


def generate_occurrences(activity: Activity, *, until: date | None = None,
                         now: datetime | None = None) -> int:
    """Plan the occurrences from now up to ``until`` (default: the horizon, or the series'
    repeat_until when sooner). Returns how many were new; running it again adds none (one row
    per planned start, unique in the database, even when one was moved or cancelled)."""
    now = now or clock_now()
    if activity.status != "active":
        return 0
    horizon = until or (today(now) + timedelta(days=HORIZON_DAYS))
    if activity.repeat_until is not None and activity.repeat_until < horizon:
        horizon = activity.repeat_until
    starts = [s for s in planned_starts(activity.starts_at, activity.recurrence, horizon)
              if s >= now or activity.recurrence == "none"]
    if activity.planned_until is None or activity.planned_until < horizon:
        activity.planned_until = horizon
    if not starts:
        return 0
    existing = set(db.session.scalars(select(Occurrence.planned_start)
                                      .where(Occurrence.activity_id == activity.id)))
    duration = (activity.ends_at - activity.starts_at) if activity.ends_at else None
    rows = [{"activity_id": activity.id, "planned_start": start, "starts_at": start,
             "ends_at": start + duration if duration else None, "status": "scheduled",
             "created_at": now}
            for start in starts if start not in existing]
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(Occurrence)
    # A concurrent planner (the sweep beside an edit) may insert the same start: skip it.
    stmt = insert.values(rows).on_conflict_do_nothing(
        index_elements=[Occurrence.activity_id, Occurrence.planned_start])
    result = db.session.execute(stmt)
    db.session.expire(activity, ["occurrences"])
    return max(result.rowcount or 0, 0)


def replan_occurrences(activity: Activity, *, now: datetime | None = None) -> int:
    """After a change of time or rhythm: occurrences still to come that nobody touched
    (not moved, not cancelled, no attendance) make way for the new plan."""
    now = now or clock_now()
    attended = select(Attendance.occurrence_id)
    db.session.execute(delete(Occurrence).where(
        Occurrence.activity_id == activity.id, Occurrence.starts_at >= now,
        Occurrence.status == "scheduled", Occurrence.moved_from.is_(None),
        Occurrence.headcount.is_(None), Occurrence.id.not_in(attended))
        .execution_options(synchronize_session=False))
    db.session.expire(activity, ["occurrences"])
    return generate_occurrences(activity, now=now)


def get_occurrence(activity: Activity, occurrence_id: object) -> Occurrence:
    try:
        key = int(occurrence_id)  # type: ignore[call-overload]
        occurrence = db.session.get(Occurrence, key) if 0 < key <= 2**31 - 1 else None
    except (TypeError, ValueError, OverflowError):
        occurrence = None
    if occurrence is None or occurrence.activity_id != activity.id:
        raise NotFound(_("Deze keer bestaat niet."))
    return occurrence


def upcoming(activity: Activity, *, now: datetime | None = None,
             limit: int = 12) -> list[Occurrence]:
    now = now or clock_now()
    return list(db.session.scalars(
        select(Occurrence).where(Occurrence.activity_id == activity.id,
                                 Occurrence.starts_at >= now - timedelta(hours=12))
        .order_by(Occurrence.starts_at, Occurrence.id).limit(limit)))


def recent(activity: Activity, *, now: datetime | None = None,
           limit: int = 6) -> list[Occurrence]:
    """Occurrences that have begun, newest first (for attendance)."""
    now = now or clock_now()
    return list(db.session.scalars(
        select(Occurrence).where(Occurrence.activity_id == activity.id,
                                 Occurrence.starts_at <= now,
                                 Occurrence.status == "scheduled")
        .order_by(Occurrence.starts_at.desc(), Occurrence.id.desc()).limit(limit)))


def next_occurrence(activity: Activity, *, now: datetime | None = None) -> Occurrence | None:
    now = now or clock_now()
    return db.session.scalar(
        select(Occurrence).where(Occurrence.activity_id == activity.id,
                                 Occurrence.status == "scheduled",
                                 Occurrence.starts_at >= now)
        .order_by(Occurrence.starts_at, Occurrence.id).limit(1))


def next_starts(activity_ids: Iterable[int], *, now: datetime | None = None
                ) -> dict[int, datetime]:
    """The next scheduled start per activity, in one query."""
    ids = list(activity_ids)
    if not ids:
        return {}
    now = now or clock_now()
    rows = db.session.execute(
        select(Occurrence.activity_id, func.min(Occurrence.starts_at))
        .where(Occurrence.activity_id.in_(ids), Occurrence.status == "scheduled",
               Occurrence.starts_at >= now)
        .group_by(Occurrence.activity_id))
    return {activity_id: as_utc(start) for activity_id, start in rows if start is not None}


def _registered_users(activity: Activity) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Signup, Signup.user_id == User.id)
        .where(Signup.activity_id == activity.id, Signup.status == "registered")
        .order_by(Signup.position, Signup.id)))


def cancel_occurrence(actor: User, occurrence: Occurrence, *, note: str | None = None,
                      now: datetime | None = None) -> Occurrence:
    """This one time does not happen; the series and every sign-up stay. People signed up
    are told."""
    now = now or clock_now()
    activity = occurrence.activity
    if not can_manage(actor, activity):
        raise NotFound(_("Deze activiteit bestaat niet."))
    if occurrence.status == "cancelled":
        return occurrence
    if occurrence.starts_at < now:
        raise DomainError(_("Deze keer is al geweest."), field="occurrence")
    occurrence.status = "cancelled"
    occurrence.note = (note or "").strip()[:300] or None
    db.session.flush()
    notify.occurrence_cancelled(occurrence, _registered_users(activity), now=now)
    return occurrence


def move_occurrence(actor: User, occurrence: Occurrence, new_start: datetime, *,
                    now: datetime | None = None) -> Occurrence:
    """Move one time to another moment (same length); the others stay as they are."""
    now = now or clock_now()
    activity = occurrence.activity
    if not can_manage(actor, activity):
        raise NotFound(_("Deze activiteit bestaat niet."))
    if occurrence.status != "scheduled":
        raise DomainError(_("Deze keer gaat niet door; verplaatsen kan niet."), field="starts_at")
    if new_start is None:
        raise ValidationFailed({"starts_at": [_("Vul de nieuwe datum en tijd in.")]})
    moment = utc_within_reach(new_start, now)
    if moment is None:
        raise ValidationFailed({"starts_at": [_("Kies een datum binnen twee jaar.")]})
    new_start = moment
    if new_start < now:
        raise ValidationFailed({"starts_at": [_("Deze datum is al voorbij.")]})
    old_start = occurrence.starts_at
    if new_start == old_start:
        return occurrence
    duration = (occurrence.ends_at - occurrence.starts_at) if occurrence.ends_at else None
    if occurrence.moved_from is None:
        occurrence.moved_from = old_start
    occurrence.starts_at = new_start
    occurrence.ends_at = new_start + duration if duration else None
    # A reminder sent for the old time says nothing about the new one: remind again.
    occurrence.reminded_at = None
    db.session.flush()
    notify.occurrence_moved(occurrence, old_start, _registered_users(activity), now=now)
    return occurrence


def record_attendance(actor: User, occurrence: Occurrence, *,
                      present_user_ids: Iterable[int] | None = None,
                      headcount: int | None = None, now: datetime | None = None) -> Occurrence:
    """Who came (among those signed up), or just how many. Replaces what was recorded."""
    now = now or clock_now()
    activity = occurrence.activity
    if not can_manage(actor, activity):
        raise NotFound(_("Deze activiteit bestaat niet."))
    if occurrence.starts_at > now + timedelta(hours=12):
        raise ValidationFailed({"headcount": [_("Deze keer is nog niet geweest.")]})
    if headcount is not None and (isinstance(headcount, bool) or not isinstance(headcount, int)
                                  or not 0 <= headcount <= 100_000):
        raise ValidationFailed({"headcount": [_("Vul een aantal in van 0 of meer.")]})
    if present_user_ids is not None:
        wanted = {int(i) for i in present_user_ids}
        signed_up = set(db.session.scalars(
            select(Signup.user_id).where(Signup.activity_id == activity.id,
                                         Signup.status == "registered")))
        if wanted - signed_up:
            raise ValidationFailed({"present": [_("Kies alleen mensen die aangemeld zijn.")]})
        db.session.execute(delete(Attendance).where(Attendance.occurrence_id == occurrence.id)
                           .execution_options(synchronize_session=False))
        for user_id in sorted(wanted):
            db.session.add(Attendance(occurrence_id=occurrence.id, user_id=user_id,
                                      recorded_by_id=actor.id, created_at=now))
        db.session.expire(occurrence, ["attendances"])
        if headcount is None:
            headcount = len(wanted)
    if headcount is not None:
        occurrence.headcount = headcount
    db.session.flush()
    return occurrence


def attendee_ids(occurrence: Occurrence) -> set[int]:
    return set(db.session.scalars(select(Attendance.user_id)
                                  .where(Attendance.occurrence_id == occurrence.id)))
