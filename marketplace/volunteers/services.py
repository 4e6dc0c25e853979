"""Volunteer profiles; the list of open requests nearby is in ``nearby`` (re-exported here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.brokering.models import Arrangement
from marketplace.categories.models import Category
from marketplace.clock import today
from marketplace.errors import N_, ValidationFailed
from marketplace.extensions import db
from marketplace.geo import (
    InvalidPostcode,
    UnknownPostcode,
    default_gazetteer,
    parse_postcode,
)
from marketplace.volunteers.models import (
    LANGUAGES,
    SLOTS,
    VolunteerAvailability,
    VolunteerProfile,
    VolunteerSkill,
)
from marketplace.volunteers.nearby import (  # noqa: F401  (callers import them from here)
    URGENCY_RANK,
    NearbyPage,
    NearbyRequest,
    nearby_page,
    nearby_requests,
)

MIN_RADIUS_KM, MAX_RADIUS_KM = 1.0, 25.0


@dataclass
class ProfileInput:
    skills: list[str]
    postcode: str
    radius_km: float
    availability: list[str] = field(default_factory=list)
    has_vog: bool = False
    vog_valid_until: date | None = None
    languages: list[str] = field(default_factory=lambda: ["nl"])
    max_commitments: int = 2
    paused_until: date | None = None
    pause_reason: str | None = None
    wants_digest: bool = True
    about: str | None = None


def get_profile(user: User) -> VolunteerProfile | None:
    return db.session.get(VolunteerProfile, user.id)


PAUSE_REASON_MAX = 200


def active_commitments(user_id: int) -> int:
    stmt = select(func.count()).select_from(Arrangement).where(
        Arrangement.volunteer_id == user_id, Arrangement.status.in_(("active", "ending")))
    # An accepted place on a vacancy of an activity is one commitment too.
    from marketplace.associations.vacancy_services import commitments as vacancy_commitments

    return (db.session.scalar(stmt) or 0) + vacancy_commitments(user_id)


def save_profile(user: User, data: ProfileInput, now: datetime | None = None) -> VolunteerProfile:
    """Create or replace the profile; validates every field at once."""
    errors: dict[str, list[str]] = {}
    known = set(db.session.scalars(select(Category.code).where(Category.active.is_(True))))
    skills = sorted(set(data.skills or []))
    if not skills:
        errors["skills"] = [N_("Kies minstens één soort hulp die u wilt geven.")]
    elif set(skills) - known:
        errors["skills"] = [N_("Onbekende soort hulp: %(skills)s.",
                               skills=', '.join(sorted(set(skills) - known)))]
    place = None
    try:
        place = default_gazetteer().require(parse_postcode(data.postcode or "").pc4)
    except UnknownPostcode:
        errors["postcode"] = [N_("Deze postcode kennen wij niet. Kijk of de cijfers kloppen.")]
    except InvalidPostcode:
        errors["postcode"] = [N_("Vul een postcode in zoals 5531 AB of 5531.")]
    try:
        radius = float(data.radius_km)
    except (TypeError, ValueError):
        radius = -1.0
    if not MIN_RADIUS_KM <= radius <= MAX_RADIUS_KM:
        errors["radius_km"] = [N_("Kies een afstand van %(low)s tot %(high)s km.",
                                  low=format(MIN_RADIUS_KM, 'g'), high=format(MAX_RADIUS_KM, 'g'))]
    slots = sorted(set(data.availability or []))
    if set(slots) - set(SLOTS):
        errors["availability"] = [N_("Gebruik dagdelen zoals mon_morning of tue_evening.")]
    languages = sorted(set(data.languages or ["nl"]))
    if set(languages) - set(LANGUAGES):
        errors["languages"] = [N_("Onbekende taal.")]
    if not isinstance(data.max_commitments, int) or not 1 <= data.max_commitments <= 10:
        errors["max_commitments"] = [N_("Kies hoeveel mensen u tegelijk helpt: 1 tot 10.")]
    if not isinstance(data.has_vog, bool):
        errors["has_vog"] = [N_("Geef aan of u een VOG heeft (ja of nee).")]
    if len((data.pause_reason or "").strip()) > PAUSE_REASON_MAX:  # the column's length
        errors["pause_reason"] = [N_("Houd het korter: hoogstens %(max)s tekens.",
                                     max=PAUSE_REASON_MAX)]
    if errors:
        raise ValidationFailed(errors)
    assert place is not None
    profile = get_profile(user)
    if profile is None:
        profile = VolunteerProfile(user_id=user.id, home_pc4=place.pc4, lat=place.lat,
                                   lon=place.lon)
        db.session.add(profile)
    profile.home_pc4, profile.lat, profile.lon = place.pc4, place.lat, place.lon
    profile.radius_km = radius
    profile.has_vog = data.has_vog
    profile.vog_valid_until = data.vog_valid_until if data.has_vog else None
    profile.languages = languages
    profile.max_commitments = data.max_commitments
    profile.paused_until = data.paused_until
    profile.pause_reason = (data.pause_reason or "").strip() or None
    profile.wants_digest = data.wants_digest
    profile.about = (data.about or "").strip() or None
    profile.skills = [VolunteerSkill(category=c) for c in skills]
    profile.availability = [VolunteerAvailability(slot=s) for s in slots]
    if not user.has_role("volunteer"):
        from marketplace.accounts.services import set_roles

        set_roles(user, [*user.roles, "volunteer"], actor_id=user.id)
    db.session.flush()
    sync_matching_index(profile, now=now)
    return profile


def sync_matching_index(profile: VolunteerProfile, now: datetime | None = None) -> None:
    """Keep the matching engine's index in step with the profile."""
    from marketplace.matching import index

    index.upsert_volunteer(
        user_id=profile.user_id, lat=profile.lat, lon=profile.lon, radius_km=profile.radius_km,
        categories=profile.skill_codes, has_vog=profile.has_vog,
        vog_valid_until=profile.vog_valid_until, paused=profile.paused_on(today(now)),
        active_commitments=active_commitments(profile.user_id),
        max_commitments=profile.max_commitments,
    )
