"""The volunteer's list of open requests nearby (never an address or a name): counted per
place and urgency, one page of it loaded as objects (issue 15)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select

from marketplace.categories.models import Category
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.geo import bounding_box, distance_km
from marketplace.help_requests.models import HelpRequest
from marketplace.volunteers.models import VolunteerProfile


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


def _around(cells: list[_Cell]) -> list[ColumnElement[bool]]:
    """The smallest box around these places: lets SQLite read the index by range rather
    than every open request of the categories (its planner does not split the ORs)."""
    lats, lons = [c.lat for c in cells], [c.lon for c in cells]
    return [HelpRequest.lat.between(min(lats), max(lats)),
            HelpRequest.lon.between(min(lons), max(lons))]


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
    more = bool(items) and len(found) > size
    return NearbyPage(items, total, items[-1].request.id if more else None)


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
    # Grouped in the index's order (category first: no temporary B-tree, half the time on
    # SQLite), the categories added up here.
    stmt = select(*columns).where(
        *conditions, HelpRequest.lat.between(min_lat, max_lat),
        HelpRequest.lon.between(min_lon, max_lon),
    ).group_by(HelpRequest.category, HelpRequest.lat, HelpRequest.lon, HelpRequest.urgency)
    counted: dict[tuple[float, float, str], list[int]] = {}
    for lat, lon, urgency, count, *marks in db.session.execute(stmt):
        total = counted.setdefault((lat, lon, urgency), [0, 0])
        total[0] += count
        total[1] += marks[0] if marks else 0
    km_at: dict[tuple[float, float], float] = {}
    cells = []
    for (lat, lon, urgency), (count, marked) in counted.items():
        km = km_at.get((lat, lon))
        if km is None:
            km = km_at[(lat, lon)] = distance_km(profile.lat, profile.lon, lat, lon)
        if within_reach(km, profile.radius_km):
            cells.append(_Cell(lat, lon, urgency, count, marked > 0, km))
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
    stmt = select(HelpRequest).where(*conditions, *_around([c for r in read for c in r]), where)
    if len(read) > 1:
        stmt = stmt.order_by(case(*((c, i) for i, c in enumerate(in_rank)), else_=len(read)))
    return stmt.order_by(HelpRequest.id)


def _newest_page(conditions: list, cells: list[_Cell], after: int | None) -> Select | None:
    """The page ordered newest first (then by id), within the places in reach."""
    if not cells:
        return None
    stmt = select(HelpRequest).where(*conditions, *_around(cells),
                                     _at([(c.lat, c.lon) for c in cells]))
    if after is not None:
        at = select(HelpRequest.created_at).where(HelpRequest.id == after).scalar_subquery()
        stmt = stmt.where(or_(HelpRequest.created_at < at,
                              and_(HelpRequest.created_at == at, HelpRequest.id > after)))
    return stmt.order_by(HelpRequest.created_at.desc(), HelpRequest.id)
