"""Volunteer profiles and the list of open requests nearby (never an address or a name)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.brokering.models import Arrangement
from marketplace.categories.models import Category
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.errors import ValidationFailed
from marketplace.extensions import db
from marketplace.geo import (
    InvalidPostcode,
    UnknownPostcode,
    bounding_box,
    default_gazetteer,
    distance_km,
    parse_postcode,
)
from marketplace.help_requests.models import HelpRequest
from marketplace.volunteers.models import (
    LANGUAGES,
    SLOTS,
    VolunteerAvailability,
    VolunteerProfile,
    VolunteerSkill,
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


def active_commitments(user_id: int) -> int:
    stmt = select(func.count()).select_from(Arrangement).where(
        Arrangement.volunteer_id == user_id, Arrangement.status.in_(("active", "ending")))
    return db.session.scalar(stmt) or 0


def save_profile(user: User, data: ProfileInput, now: datetime | None = None) -> VolunteerProfile:
    """Create or replace the profile; validates every field at once."""
    errors: dict[str, list[str]] = {}
    known = set(db.session.scalars(select(Category.code).where(Category.active.is_(True))))
    skills = sorted(set(data.skills or []))
    if not skills:
        errors["skills"] = ["Kies minstens één soort hulp die u wilt geven."]
    elif set(skills) - known:
        errors["skills"] = [f"Onbekende soort hulp: {', '.join(sorted(set(skills) - known))}."]
    place = None
    try:
        place = default_gazetteer().require(parse_postcode(data.postcode or "").pc4)
    except UnknownPostcode:
        errors["postcode"] = ["Deze postcode kennen wij niet. Kijk of de cijfers kloppen."]
    except InvalidPostcode:
        errors["postcode"] = ["Vul een postcode in zoals 5531 AB of 5531."]
    try:
        radius = float(data.radius_km)
    except (TypeError, ValueError):
        radius = -1.0
    if not MIN_RADIUS_KM <= radius <= MAX_RADIUS_KM:
        errors["radius_km"] = [f"Kies een afstand van {MIN_RADIUS_KM:g} tot {MAX_RADIUS_KM:g} km."]
    slots = sorted(set(data.availability or []))
    if set(slots) - set(SLOTS):
        errors["availability"] = ["Gebruik dagdelen zoals mon_morning of tue_evening."]
    languages = sorted(set(data.languages or ["nl"]))
    if set(languages) - set(LANGUAGES):
        errors["languages"] = ["Onbekende taal."]
    if not isinstance(data.max_commitments, int) or not 1 <= data.max_commitments <= 10:
        errors["max_commitments"] = ["Kies hoeveel mensen u tegelijk helpt: 1 tot 10."]
    if not isinstance(data.has_vog, bool):
        errors["has_vog"] = ["Geef aan of u een VOG heeft (ja of nee)."]
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


@dataclass(frozen=True)
class NearbyRequest:
    request: HelpRequest
    distance_km: float


def nearby_requests(profile: VolunteerProfile, *, category: str | None = None,
                    sort: str = "distance", now: datetime | None = None,
                    limit: int = 100) -> list[NearbyRequest]:
    """Open requests within the volunteer's radius that fit their skills (and VOG)."""
    day = today(now or clock_now())
    skills = set(profile.skill_codes)
    if category:
        skills &= {category}
    if not skills:
        return []
    vog_categories = set(db.session.scalars(
        select(Category.code).where(Category.vog_required.is_(True))))
    if not profile.vog_valid_on(day):
        skills -= vog_categories
    min_lat, max_lat, min_lon, max_lon = bounding_box(profile.lat, profile.lon, profile.radius_km)
    stmt = select(HelpRequest).where(
        HelpRequest.status == "open", HelpRequest.category.in_(sorted(skills)),
        HelpRequest.lat.between(min_lat, max_lat), HelpRequest.lon.between(min_lon, max_lon),
    )
    found = []
    for request in db.session.scalars(stmt):
        km = distance_km(profile.lat, profile.lon, request.lat, request.lon)
        if km <= profile.radius_km:
            found.append(NearbyRequest(request, km))
    urgency_rank = {"high": 0, "normal": 1, "low": 2}
    if sort == "newest":
        found.sort(key=lambda n: (-n.request.created_at.timestamp(), n.request.id))
    elif sort == "urgency":
        found.sort(key=lambda n: (urgency_rank[n.request.urgency], n.distance_km, n.request.id))
    else:
        found.sort(key=lambda n: (n.distance_km, n.request.id))
    return found[:limit]
