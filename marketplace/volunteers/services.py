"""Volunteer profiles and the list of open requests nearby (never an address or a name)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select

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
    return nearby_page(profile, category=category, sort=sort, size=limit, now=now).items


@dataclass(frozen=True)
class NearbyPage:
    items: list[NearbyRequest]
    total: int  # in the whole list, not only this page
    next_after: int | None  # id of the last item shown, when more follow


# The order of the list: distance, then id; urgency (unknown as "normal"), distance, id;
# newest first, then id.
URGENCY_RANK = {"high": 0, "normal": 1, "low": 2}


@dataclass(frozen=True)
class _Cell:
    """The fitting requests at one place (and of one urgency): a row of the count query."""
    lat: float
    lon: float
    urgency: str
    count: int
    has_after: bool
    km: float


def _at(places: list[tuple]) -> ColumnElement[bool]:
    """The requests at these places: (lat, lon) or (lat, lon, urgency) each."""
    return or_(*(and_(HelpRequest.lat == place[0], HelpRequest.lon == place[1],
                      *([HelpRequest.urgency == place[2]] if len(place) > 2 else []))
                 for place in sorted(set(places))))


def nearby_page(profile: VolunteerProfile, *, category: str | None = None,
                sort: str = "distance", after: int | None = None, size: int = 25,
                not_owner_id: int | None = None, now: datetime | None = None) -> NearbyPage:
    """One page of ``nearby_requests`` (without the requests of ``not_owner_id``): the
    ``size`` items after the request ``after`` in the list's order (keyset; from the start
    when it is no longer in the list).

    Two statements whatever the number of requests: the fitting requests counted per place
    and urgency (requests share their PC4's centroid, so a handful of places, each measured
    once with ``distance_km``), then the page itself as objects, ordered in SQL by the rank
    of its place in the list and its id, reading only the places the page needs.
    """
    conditions = _conditions(profile, category=category, now=now, not_owner_id=not_owner_id)
    if conditions is None:
        return NearbyPage([], 0, None)
    cells = _cells(profile, conditions, after)
    total = sum(cell.count for cell in cells)
    if after is not None and not any(cell.has_after for cell in cells):
        after = None  # no longer in the list (or never was): from the start
    if sort == "newest":
        stmt = _newest_page(conditions, cells, after)
    else:
        stmt = _ranked_page(conditions, cells, after, size, by_urgency=sort == "urgency")
    if stmt is None:
        return NearbyPage([], total, None)
    km_at = {(cell.lat, cell.lon): cell.km for cell in cells}
    found = list(db.session.scalars(stmt.limit(size + 1)))
    items = [NearbyRequest(r, km_at[(r.lat, r.lon)]) for r in found[:size]]
    return NearbyPage(items, total, items[-1].request.id if len(found) > size else None)


def _conditions(profile: VolunteerProfile, *, category: str | None, now: datetime | None,
                not_owner_id: int | None) -> list[ColumnElement[bool]] | None:
    """What a request must be to fit (None: nothing can); the distance is checked per place."""
    day = today(now or clock_now())
    skills = set(profile.skill_codes)
    if category:
        skills &= {category}
    if skills and not profile.vog_valid_on(day):
        skills -= set(db.session.scalars(
            select(Category.code).where(Category.vog_required.is_(True))))
    if not skills:
        return None
    conditions = [HelpRequest.status == "open", HelpRequest.category.in_(sorted(skills))]
    if not_owner_id is not None:
        conditions.append(HelpRequest.owner_id.is_distinct_from(not_owner_id))
    return conditions


def _cells(profile: VolunteerProfile, conditions: list, after: int | None) -> list[_Cell]:
    """The fitting requests in the bounding box counted per place and urgency, the places
    beyond either radius left out (both radii, as the read rule of help_requests.access)."""
    from marketplace.help_requests.access import REACH_KM, within_reach

    min_lat, max_lat, min_lon, max_lon = bounding_box(profile.lat, profile.lon,
                                                      min(profile.radius_km, REACH_KM))
    columns = [HelpRequest.lat, HelpRequest.lon, HelpRequest.urgency, func.count()]
    if after is not None:  # which place holds ``after`` (none: it is not in the list)
        columns.append(func.sum(case((HelpRequest.id == after, 1), else_=0)))
    stmt = select(*columns).where(
        *conditions, HelpRequest.lat.between(min_lat, max_lat),
        HelpRequest.lon.between(min_lon, max_lon),
    ).group_by(HelpRequest.lat, HelpRequest.lon, HelpRequest.urgency)
    km_at: dict[tuple[float, float], float] = {}
    cells = []
    for lat, lon, urgency, count, *has_after in db.session.execute(stmt):
        km = km_at.get((lat, lon))
        if km is None:
            km = km_at[(lat, lon)] = distance_km(profile.lat, profile.lon, lat, lon)
        if within_reach(km, profile.radius_km):
            cells.append(_Cell(lat, lon, urgency, count, bool(has_after and has_after[0]), km))
    return cells


def _ranked_page(conditions: list, cells: list[_Cell], after: int | None, size: int, *,
                 by_urgency: bool) -> Select | None:
    """The page ordered by (distance, id) or (urgency, distance, id). Cells with the same key
    form one rank (ordered by id among them); only the ranks from the one of ``after`` up to
    the first that completes the page are read."""
    ranks: dict[tuple, list[_Cell]] = {}
    for cell in cells:
        key = (URGENCY_RANK.get(cell.urgency, 1), cell.km) if by_urgency else (cell.km,)
        ranks.setdefault(key, []).append(cell)
    ordered = [ranks[key] for key in sorted(ranks)]
    first = next((i for i, rank in enumerate(ordered) if any(c.has_after for c in rank)), 0)
    if not ordered:
        return None
    # Enough ranks for size + 1 requests (one more tells whether a next page follows); of
    # the rank of ``after`` only an unknown part follows it, so it does not count.
    read = [ordered[first]]
    have = 0 if after is not None else sum(c.count for c in ordered[first])
    for rank in ordered[first + 1:]:
        if have > size:
            break
        read.append(rank)
        have += sum(c.count for c in rank)
    in_rank = [_at([(c.lat, c.lon, c.urgency) if by_urgency else (c.lat, c.lon) for c in rank])
               for rank in read]
    where = or_(*in_rank)
    if after is not None:  # the rank of ``after``: only the requests after it
        where = or_(and_(in_rank[0], HelpRequest.id > after), *in_rank[1:])
    stmt = select(HelpRequest).where(*conditions, where)
    if len(read) > 1:
        stmt = stmt.order_by(case(*((c, i) for i, c in enumerate(in_rank)), else_=len(read)))
    return stmt.order_by(HelpRequest.id)


def _newest_page(conditions: list, cells: list[_Cell], after: int | None) -> Select | None:
    """The page ordered newest first (then by id), within the places in reach."""
    if not cells:
        return None
    stmt = select(HelpRequest).where(*conditions, _at([(c.lat, c.lon) for c in cells]))
    if after is not None:
        at = select(HelpRequest.created_at).where(HelpRequest.id == after).scalar_subquery()
        stmt = stmt.where(or_(HelpRequest.created_at < at,
                              and_(HelpRequest.created_at == at, HelpRequest.id > after)))
    return stmt.order_by(HelpRequest.created_at.desc(), HelpRequest.id)
