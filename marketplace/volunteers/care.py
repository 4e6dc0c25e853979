"""Volunteer care the worker can see: per area, the volunteers who live there with their
skills, load against capacity, last activity, pause and VOG validity; who has not been
matched in 60 days; the open vacancies of the area's activities. Plus the sweep that reminds
a volunteer whose VOG expires within 60 days, and the worker's "how are you?" mail.

A volunteer belongs to the area of their home PC4. Services add and flush."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.areas.models import Area, AreaPostcode
from marketplace.areas.services import subtree_ids
from marketplace.brokering.models import Arrangement, Match
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.errors import NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.help_requests.access import worker_area_ids
from marketplace.volunteers.models import VolunteerProfile

NOT_MATCHED_DAYS = 60
VOG_WARNING_DAYS = 60
MESSAGE_MAX = 1000


@dataclass
class CareRow:
    user: User
    profile: VolunteerProfile
    active: int
    last_match: datetime | None
    paused: bool
    vog: str  # "none", "valid", "expiring", "expired"
    not_matched: bool

    @property
    def full(self) -> bool:
        return self.active >= self.profile.max_commitments


def _vog_state(profile: VolunteerProfile, day: date) -> str:
    if not profile.has_vog:
        return "none"
    until = profile.vog_valid_until
    if until is None:
        return "valid"
    if until < day:
        return "expired"
    return "expiring" if until <= day + timedelta(days=VOG_WARNING_DAYS) else "valid"


def _pc4s(area: Area):
    return select(AreaPostcode.pc4).where(AreaPostcode.area_id.in_(subtree_ids([area])))


def care_rows(area: Area, now: datetime | None = None) -> list[CareRow]:
    """Every volunteer living in the area, those needing attention first (five queries)."""
    now = now or clock_now()
    day = today(now)
    profiles = list(db.session.scalars(
        select(VolunteerProfile).where(VolunteerProfile.home_pc4.in_(_pc4s(area)))
        .options(selectinload(VolunteerProfile.skills))))
    ids = [p.user_id for p in profiles]
    if not ids:
        return []
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    active = dict(db.session.execute(
        select(Arrangement.volunteer_id, func.count()).where(
            Arrangement.volunteer_id.in_(ids), Arrangement.status.in_(("active", "ending")))
        .group_by(Arrangement.volunteer_id)).all())
    last = dict(db.session.execute(
        select(Match.volunteer_id, func.max(Match.created_at))
        .where(Match.volunteer_id.in_(ids)).group_by(Match.volunteer_id)).all())
    since = now - timedelta(days=NOT_MATCHED_DAYS)
    rows = []
    for p in profiles:
        user = users.get(p.user_id)
        if user is None or not user.is_active or user.erased_at is not None:
            continue
        last_match = last.get(p.user_id)
        rows.append(CareRow(
            user=user, profile=p, active=active.get(p.user_id, 0), last_match=last_match,
            paused=p.paused_on(day), vog=_vog_state(p, day),
            not_matched=not active.get(p.user_id) and (
                last_match is None or last_match <= since)))
    rows.sort(key=lambda r: (not (r.not_matched or r.vog in ("expiring", "expired")),
                             r.user.name.casefold(), r.user.id))
    return rows


def open_vacancies(area: Area) -> list:
    """Open vacancies of the area's activities (associations' vacancies)."""
    from marketplace.associations.models import Activity
    from marketplace.associations.vacancy_models import Vacancy

    return list(db.session.scalars(
        select(Vacancy).join(Activity, Activity.id == Vacancy.activity_id)
        .where(Activity.area_id.in_(subtree_ids([area])), Vacancy.status == "open")
        .order_by(Vacancy.created_at, Vacancy.id)))


def volunteer_for(worker: User, user_id: int) -> User:
    """A volunteer living in one of the worker's areas, else NotFound."""
    profile = db.session.get(VolunteerProfile, user_id)
    user = db.session.get(User, user_id) if profile is not None else None
    area_id = db.session.scalar(select(AreaPostcode.area_id).where(
        AreaPostcode.pc4 == profile.home_pc4)) if profile is not None else None
    if user is None or area_id is None or area_id not in worker_area_ids(worker):
        raise NotFound(_("Deze vrijwilliger bestaat niet."))
    return user


def contact(worker: User, volunteer: User, message: str, *,
            now: datetime | None = None) -> bool:
    """The worker's "how are you?" mail to a volunteer (through the outbox)."""
    from marketplace.brokering.notify import public_url
    from marketplace.notifications.outbox import enqueue

    now = now or clock_now()
    message = (message or "").strip()
    if len(message) < 3:
        raise ValidationFailed({"message": [_("Schrijf een kort bericht.")]})
    if len(message) > MESSAGE_MAX:
        raise ValidationFailed({"message": [_("Houd het bericht korter: hoogstens 1000 "
                                              "tekens.")]})
    if not volunteer.email:
        raise ValidationFailed({"message": [_("Deze vrijwilliger heeft geen e-mailadres.")]})
    return enqueue(volunteer.email, "volunteer_care_contact",
                   dedupe_key=f"care-contact:{worker.id}:{volunteer.id}:{now.isoformat()}",
                   locale=volunteer.locale, now=now, user=volunteer, worker=worker,
                   message=message, url=public_url("volunteers.profile")) is not None


def remind_vog_expiring(now: datetime) -> int:
    """Daily sweep: a volunteer whose VOG ends within 60 days hears it once per end date.

    Once is kept by the ledger (``vog:<user>:<end date>``), not by the mail: mail retention
    deletes sent mail after 90 days, and with it the outbox's dedupe key."""
    from marketplace.brokering.notify import public_url
    from marketplace.followup.ledger import claim, key_expr, unclaimed
    from marketplace.notifications.outbox import enqueue

    day = today(now)
    rows = db.session.execute(
        select(VolunteerProfile, User).join(User, User.id == VolunteerProfile.user_id)
        .where(VolunteerProfile.has_vog.is_(True),
               VolunteerProfile.vog_valid_until >= day,
               VolunteerProfile.vog_valid_until <= day + timedelta(days=VOG_WARNING_DAYS),
               User.is_active.is_(True), User.email.is_not(None),
               unclaimed(key_expr("vog:", VolunteerProfile.user_id, ":",
                                  VolunteerProfile.vog_valid_until)))
        .order_by(VolunteerProfile.user_id)).all()
    sent = 0
    for profile, user in rows:
        key = f"vog:{user.id}:{profile.vog_valid_until.isoformat()}"
        if claim(key, "vog_expiring", now) and enqueue(
                user.email, "vog_expiring", dedupe_key=key, locale=user.locale, now=now,
                user=user, valid_until=profile.vog_valid_until,
                url=public_url("volunteers.profile")) is not None:
            sent += 1
    return sent
