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
from marketplace.errors import N_, ValidationFailed
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
    return _load(_nearby_rows(profile, category=category, sort=sort, now=now)[:limit])


@dataclass(frozen=True)
class NearbyPage:
    items: list[NearbyRequest]
    total: int  # in the whole list, not only this page
    next_after: int | None  # id of the last item shown, when more follow


def nearby_page(profile: VolunteerProfile, *, category: str | None = None,
                sort: str = "distance", after: int | None = None, size: int = 25,
                not_owner_id: int | None = None, now: datetime | None = None) -> NearbyPage:
    """One page of ``nearby_requests`` (without the requests of ``not_owner_id``): the
    ``size`` items after the request ``after`` in the list's order (keyset; from the start
    when it is no longer in the list). Only the page is loaded as objects."""
    rows = _nearby_rows(profile, category=category, sort=sort, now=now,
                        not_owner_id=not_owner_id)
    start = next((i + 1 for i, (row, _km) in enumerate(rows) if row.id == after), 0) \
        if after else 0
    shown = rows[start:start + size]
    more = start + size < len(rows)
    return NearbyPage(_load(shown), len(rows), shown[-1][0].id if more and shown else None)


def _nearby_rows(profile: VolunteerProfile, *, category: str | None, sort: str,
                 now: datetime | None, not_owner_id: int | None = None) -> list[tuple]:
    """(row, km) of every fitting request, sorted; rows hold only what sorting needs."""
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
    # Both radii, as the read rule of help_requests.access: the volunteer's and the request's.
    from marketplace.help_requests.access import REACH_KM, within_reach

    min_lat, max_lat, min_lon, max_lon = bounding_box(profile.lat, profile.lon,
                                                      min(profile.radius_km, REACH_KM))
    # Distances and the order from a few columns of every request in the box (the date only
    # when it orders the list: converting ~2,000 of them costs more than the query); only
    # the page shown is loaded as objects (one more query, not thousands of ORM rows).
    columns = [HelpRequest.id, HelpRequest.lat, HelpRequest.lon, HelpRequest.urgency]
    if sort == "newest":
        columns.append(HelpRequest.created_at)
    stmt = select(*columns).where(
        HelpRequest.status == "open", HelpRequest.category.in_(sorted(skills)),
        HelpRequest.lat.between(min_lat, max_lat), HelpRequest.lon.between(min_lon, max_lon),
    )
    if not_owner_id is not None:
        stmt = stmt.where(HelpRequest.owner_id.is_distinct_from(not_owner_id))
    rows = []
    for row in db.session.execute(stmt):
        km = distance_km(profile.lat, profile.lon, row.lat, row.lon)
        if within_reach(km, profile.radius_km):
            rows.append((row, km))
    urgency_rank = {"high": 0, "normal": 1, "low": 2}
    if sort == "newest":
        rows.sort(key=lambda r: (-r[0].created_at.timestamp(), r[0].id))
    elif sort == "urgency":
        rows.sort(key=lambda r: (urgency_rank.get(r[0].urgency, 1), r[1], r[0].id))
    else:
        rows.sort(key=lambda r: (r[1], r[0].id))
    return rows


def _load(rows: list[tuple]) -> list[NearbyRequest]:
    if not rows:
        return []
    loaded = {r.id: r for r in db.session.scalars(
        select(HelpRequest).where(HelpRequest.id.in_([row.id for row, _ in rows])))}
    return [NearbyRequest(loaded[row.id], km) for row, km in rows]
