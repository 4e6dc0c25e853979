"""Mail about activities. Never an address of a person: the activity, its venue, the time."""

from __future__ import annotations

from datetime import datetime

from marketplace.accounts.models import User
from marketplace.associations.models import Activity, Occurrence, Signup
from marketplace.brokering.notify import public_url
from marketplace.clock import DOMAIN_TZ
from marketplace.notifications.outbox import enqueue


def local_when(value: datetime | None) -> str:
    """"05-01-2027 19:30" in Dutch time (mails have no browser to do it)."""
    return value.astimezone(DOMAIN_TZ).strftime("%d-%m-%Y %H:%M") if value else ""


def _send(user: User | None, template: str, key: str, now: datetime | None,
          activity: Activity, **context) -> bool:
    if user is None or not user.email or not user.is_active:
        return False
    sent = enqueue(user.email, template, dedupe_key=key, locale=user.locale, now=now,
                   user=user, title=activity.title, venue=activity.venue or "",
                   place=activity.place,
                   url=public_url("associations.activity", activity_id=activity.id),
                   **context)
    return sent is not None


def promoted(signup: Signup, now: datetime | None = None) -> None:
    """A place freed up: the first person waiting is in, and hears it at once."""
    _send(signup.user, "activity_promoted", f"activity:{signup.activity_id}:promoted:"
          f"{signup.id}", now, signup.activity,
          when=local_when(_next_start(signup.activity, now)))


def occurrence_cancelled(occurrence: Occurrence, users: list[User],
                         now: datetime | None = None) -> None:
    for user in users:
        _send(user, "activity_occurrence_cancelled",
              f"occurrence:{occurrence.id}:cancelled:{user.id}", now, occurrence.activity,
              when=local_when(occurrence.starts_at))


def occurrence_moved(occurrence: Occurrence, old_start: datetime, users: list[User],
                     now: datetime | None = None) -> None:
    stamp = occurrence.starts_at.strftime("%Y%m%d%H%M")
    for user in users:
        _send(user, "activity_occurrence_moved",
              f"occurrence:{occurrence.id}:moved:{stamp}:{user.id}", now, occurrence.activity,
              old_when=local_when(old_start), when=local_when(occurrence.starts_at))


def activity_cancelled(activity: Activity, user: User, now: datetime | None = None) -> None:
    _send(user, "activity_cancelled", f"activity:{activity.id}:cancelled:{user.id}", now,
          activity)


def reminder_key(occurrence: Occurrence, kind: str, user: User) -> str:
    """One reminder per person per occurrence and start: a moved time is reminded again."""
    if occurrence.moved_from is None:
        return f"occurrence:{occurrence.id}:{kind}:{user.id}"
    stamp = occurrence.starts_at.strftime("%Y%m%d%H%M")
    return f"occurrence:{occurrence.id}:{kind}:{stamp}:{user.id}"


def reminder(occurrence: Occurrence, user: User, now: datetime | None = None) -> bool:
    """One reminder per person per occurrence (and start), ever (the dedupe key)."""
    return _send(user, "activity_reminder", reminder_key(occurrence, "reminder", user),
                 now, occurrence.activity, when=local_when(occurrence.starts_at))


def _next_start(activity: Activity, now: datetime | None) -> datetime | None:
    from marketplace.associations.occurrences import next_occurrence

    occurrence = next_occurrence(activity, now=now)
    return occurrence.starts_at if occurrence else activity.starts_at
