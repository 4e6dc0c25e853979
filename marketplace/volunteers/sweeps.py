"""Volunteer care and the weekly digest of new requests nearby (a digest, not a flood)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import exists, func, or_, select

from marketplace.accounts.models import User
from marketplace.brokering.models import Arrangement, Match
from marketplace.brokering.notify import public_url
from marketplace.categories.services import label
from marketplace.clock import DOMAIN_TZ, today
from marketplace.extensions import db
from marketplace.followup.ledger import claim, key_expr, unclaimed
from marketplace.geo import round_half_km
from marketplace.notifications.outbox import enqueue
from marketplace.volunteers.models import VolunteerProfile
from marketplace.volunteers.services import nearby_requests

INACTIVE_DAYS = 60
LONG_AT_CAPACITY_DAYS = 90
MILESTONES = (1, 5, 10, 25, 50)
DIGEST_WEEKDAY = 0  # Monday
BATCH = 1000


def _mail(user: User, template: str, key: str, now: datetime, **context) -> bool:
    if not user.email or not user.is_active:
        return False
    return enqueue(user.email, template, dedupe_key=key, locale=user.locale, now=now, user=user,
                   **context) is not None


def digest_window(day: date) -> tuple[datetime, datetime]:
    """The calendar week before `day` (a Monday), Monday 00:00 to Monday 00:00 in the
    Netherlands: every request falls in exactly one digest, whatever time the sweep runs."""
    this_monday = datetime.combine(day, time(0), tzinfo=DOMAIN_TZ)
    return this_monday - timedelta(days=7), this_monday


def weekly_digest(now: datetime) -> int:
    """On Mondays: new open requests of the past week that fit, one mail per volunteer."""
    day = today(now)
    if day.weekday() != DIGEST_WEEKDAY:
        return 0
    year, week, _ = day.isocalendar()
    stmt = (select(VolunteerProfile).join(User, User.id == VolunteerProfile.user_id)
            .where(VolunteerProfile.wants_digest.is_(True), User.is_active.is_(True),
                   unclaimed(key_expr("digest:", VolunteerProfile.user_id,
                                      f":{year}-{week}")))
            .order_by(VolunteerProfile.user_id).limit(BATCH))
    handled = 0
    since, until = digest_window(day)
    while True:  # every profile it looks at is claimed, so each page brings new ones
        profiles = db.session.scalars(stmt).all()
        for profile in profiles:
            claim(f"digest:{profile.user_id}:{year}-{week}", "digest", now)
            if profile.paused_on(day):
                continue
            fresh = [n for n in nearby_requests(profile, now=now, limit=200)
                     if since <= n.request.created_at < until][:10]
            if not fresh:
                continue
            volunteer = db.session.get(User, profile.user_id)
            items = [{"category": label(n.request.category), "pc4": n.request.pc4,
                      "distance": f"{round_half_km(n.distance_km):.1f}".replace(".", ","),
                      "urgency": n.request.urgency} for n in fresh]
            if volunteer and _mail(volunteer, "volunteer_digest",
                                   f"digest:{volunteer.id}:{year}-{week}", now, items=items,
                                   url=public_url("volunteers.nearby")):
                handled += 1
        if len(profiles) < BATCH:
            return handled


def _long_at_capacity(now: datetime, quarter: str) -> int:
    """At full capacity for 90 days or more: suggest a pause, once a quarter."""
    long_ago = today(now) - timedelta(days=LONG_AT_CAPACITY_DAYS)
    old_active = (select(Arrangement.volunteer_id, func.count().label("n"))
                  .where(Arrangement.status.in_(("active", "ending")),
                         Arrangement.started_on <= long_ago)
                  .group_by(Arrangement.volunteer_id).subquery())
    stmt = (select(VolunteerProfile)
            .join(old_active, old_active.c.volunteer_id == VolunteerProfile.user_id)
            .where(old_active.c.n >= VolunteerProfile.max_commitments,
                   unclaimed(key_expr("capacity:", VolunteerProfile.user_id, f":{quarter}")))
            .limit(BATCH))
    handled = 0
    while True:  # claimed profiles drop out of the query: each page brings new ones
        profiles = db.session.scalars(stmt).all()
        for profile in profiles:
            claim(f"capacity:{profile.user_id}:{quarter}", "volunteer_care", now)
            volunteer = db.session.get(User, profile.user_id)
            if volunteer and _mail(volunteer, "volunteer_capacity",
                                   f"capacity:{volunteer.id}:{quarter}", now,
                                   url=public_url("volunteers.profile")):
                handled += 1
        if len(profiles) < BATCH:
            return handled


def volunteer_care(now: datetime) -> int:
    """Inactive for 60 days: a friendly note (once a quarter). Thanks after milestones."""
    day = today(now)
    quarter = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    handled = 0
    last_match = (select(Match.volunteer_id, func.max(Match.created_at).label("last"))
                  .group_by(Match.volunteer_id).subquery())
    inactive_since = now - timedelta(days=INACTIVE_DAYS)
    # Helping someone now or until recently (a long arrangement), or pausing on purpose, is
    # not inactive.
    helping = exists().where(Arrangement.volunteer_id == VolunteerProfile.user_id,
                             or_(Arrangement.status.in_(("active", "ending")),
                                 Arrangement.ended_on >= today(inactive_since)))
    stmt = (select(VolunteerProfile)
            .outerjoin(last_match, last_match.c.volunteer_id == VolunteerProfile.user_id)
            .where(VolunteerProfile.created_at <= inactive_since,
                   (last_match.c.last.is_(None)) | (last_match.c.last <= inactive_since),
                   ~helping,
                   or_(VolunteerProfile.paused_until.is_(None),
                       VolunteerProfile.paused_until < day),
                   unclaimed(key_expr("inactive:", VolunteerProfile.user_id, f":{quarter}")))
            .limit(BATCH))
    while True:  # claimed profiles drop out of the query: each page brings new ones
        profiles = db.session.scalars(stmt).all()
        for profile in profiles:
            claim(f"inactive:{profile.user_id}:{quarter}", "volunteer_care", now)
            volunteer = db.session.get(User, profile.user_id)
            if volunteer and _mail(volunteer, "volunteer_inactive",
                                   f"inactive:{volunteer.id}:{quarter}", now,
                                   url=public_url("volunteers.profile")):
                handled += 1
        if len(profiles) < BATCH:
            break
    # Thanks: only volunteers whose support ended recently can have reached a new milestone.
    recent = select(Arrangement.volunteer_id).where(
        Arrangement.status == "ended", Arrangement.ended_on >= day - timedelta(days=30))
    ended = (select(Arrangement.volunteer_id, func.count().label("n"))
             .where(Arrangement.status == "ended", Arrangement.volunteer_id.in_(recent))
             .group_by(Arrangement.volunteer_id))
    for volunteer_id, count in db.session.execute(ended):
        reached = [m for m in MILESTONES if count >= m]
        if not reached:
            continue
        milestone = reached[-1]
        if not claim(f"thanks:{volunteer_id}:{milestone}", "volunteer_care", now):
            continue
        volunteer = db.session.get(User, volunteer_id)
        if volunteer and _mail(volunteer, "volunteer_thanks", f"thanks:{volunteer_id}:{milestone}",
                               now, count=milestone):
            handled += 1
    return handled + _long_at_capacity(now, quarter)


def refresh_pauses(now: datetime) -> int:
    """Keep the matching index's pause flag in step with the calendar: a pause that began or
    ended since the profile was saved. Only volunteers whose flag is wrong are touched."""
    from marketplace.matching.index import set_paused
    from marketplace.matching.models import MatchingIndexEntry

    day = today(now)
    flagged = select(MatchingIndexEntry.user_id, MatchingIndexEntry.paused).distinct()
    indexed = dict(db.session.execute(flagged.where(MatchingIndexEntry.user_id.in_(
        select(VolunteerProfile.user_id).where(
            (VolunteerProfile.paused_until.is_not(None)) | (MatchingIndexEntry.paused.is_(True))
        )))).all())
    handled = 0
    for user_id, paused_in_index in indexed.items():
        profile = db.session.get(VolunteerProfile, user_id)
        should = profile is not None and profile.paused_on(day)
        if bool(paused_in_index) != should:
            set_paused(user_id, should)
            handled += 1
    db.session.flush()
    return handled
