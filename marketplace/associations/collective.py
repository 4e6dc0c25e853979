"""Collective solutions: clusters of open requests in an area, with fitting activities nearby,
and solving a request through an activity (the resident signs up, the request closes with
``solved_by`` "activity"). The cluster definition is in clusters.py and docs/collective.md.

Services add/flush; callers (view, API, sweep) commit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select

from marketplace.accounts.models import User, UserArea, UserRole
from marketplace.areas import settings as area_settings
from marketplace.areas.models import Area
from marketplace.associations.clusters import ClusterRules, OpenRequest, find_clusters
from marketplace.associations.models import Activity
from marketplace.associations.signups import active_signup, signup, spots_left
from marketplace.clock import now as clock_now
from marketplace.errors import N_, Conflict, NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.geo import bounding_box, distance_km
from marketplace.help_requests.access import is_area_worker, worker_area_ids
from marketplace.help_requests.models import ACTIVE, HelpRequest
from marketplace.support.lifecycle import close_request

# Requests still waiting for help: a worker can still offer them a place in an activity.
WAITING = ("new", "clarifying", "open")


@dataclass(frozen=True)
class AreaCluster:
    category: str
    request_ids: tuple[int, ...]
    centre_pc4: str
    centre_lat: float
    centre_lon: float
    suggested: tuple[Activity, ...]  # active activities of the category, nearest first
    # Per request (same order as request_ids): its PC4 and when it came in, so a list can
    # name each request by place and date rather than by number.
    details: tuple[tuple[str, datetime], ...] = ()

    @property
    def requests(self) -> list[tuple[int, str, datetime]]:
        """(id, pc4, created_at) of each request, in the order of request_ids."""
        return [(rid, *d) for rid, d in zip(self.request_ids, self.details, strict=True)]

    @property
    def count(self) -> int:
        return len(self.request_ids)

    @property
    def suggested_activity_ids(self) -> list[int]:
        return [a.id for a in self.suggested]

    def as_json(self) -> dict[str, Any]:
        return {"category": self.category, "count": self.count,
                "request_ids": list(self.request_ids), "centre_pc4": self.centre_pc4,
                "suggested_activity_ids": self.suggested_activity_ids}

    def key(self, area: Area) -> str:
        """Names this cluster for the digest ledger: the same requests, the same key."""
        ids = ",".join(str(i) for i in self.request_ids)
        digest = hashlib.sha256(ids.encode()).hexdigest()[:24]
        return f"cluster:{area.id}:{self.category}:{digest}"


def rules_for(area: Area) -> ClusterRules:
    values = area_settings.effective_many(area, ("cluster_min", "cluster_radius_km",
                                                 "cluster_days"))
    return ClusterRules(min_size=int(values["cluster_min"]),
                        radius_km=float(values["cluster_radius_km"]),
                        days=int(values["cluster_days"]))


def area_for_worker(user: User, code: Any) -> Area:
    """The area by code when the user is a worker of it (or of an area above it)."""
    area = db.session.scalar(select(Area).where(Area.code == code)) \
        if isinstance(code, str) and code else None
    if area is None or area.id not in worker_area_ids(user):
        raise NotFound(N_("Dit gebied bestaat niet."))
    return area


# The clusters of an area's waiting requests, per process, kept while that set of requests is
# the same: the worklist shows them on every view, and finding them (reading ~2,000 rows and
# the numpy pass) cost ~6 ms at 100k requests, naming the set ~0.5 ms. Key: the area's
# subtree and rules. The set is named per category by its count, the sum of its ids, of its
# latitudes and longitudes, and its latest updated_at: a request that comes, goes, changes
# kind or moves changes that name, whatever the clocks say. docs/collective.md.
_FOUND: dict[tuple[Any, ...],
             tuple[tuple[Any, ...], list[Any], dict[int, tuple[str, datetime]]]] = {}
_FOUND_MAX = 256


@lru_cache(maxsize=1)
def _waiting_statements() -> tuple[Select, Select]:
    """What names the set of an area's waiting requests, and the requests: built once, run
    with the area's path and both ends of find_clusters' window (so the set alone decides the
    clusters) as bound values."""
    kind = HelpRequest.__table__.c.created_at.type
    where = (Area.path.like(bindparam("path_prefix")), HelpRequest.status.in_(WAITING),
             HelpRequest.created_at >= bindparam("since", type_=kind),
             HelpRequest.created_at <= bindparam("until", type_=kind))
    version = (select(HelpRequest.category, func.count(), func.sum(HelpRequest.id),
                      func.sum(HelpRequest.lat), func.sum(HelpRequest.lon),
                      func.max(HelpRequest.updated_at))
               .join(Area, Area.id == HelpRequest.area_id).where(*where)
               .group_by(HelpRequest.category).order_by(HelpRequest.category))
    rows = (select(HelpRequest.id, HelpRequest.category, HelpRequest.lat, HelpRequest.lon,
                   HelpRequest.created_at, HelpRequest.pc4)
            .join(Area, Area.id == HelpRequest.area_id).where(*where))
    return version, rows


def _found(area: Area, rules: ClusterRules,
           now: datetime) -> tuple[list[Any], dict[int, tuple[str, datetime]]]:
    """find_clusters on the area's waiting requests, and the pc4 and creation moment of each
    request in a cluster; from _FOUND when the set is unchanged."""
    naming, listing = _waiting_statements()
    values = {"path_prefix": f"{area.path}%", "since": now - timedelta(days=rules.days),
              "until": now}
    version = tuple(tuple(row) for row in db.session.execute(naming, values))
    key = (area.path, rules)
    kept = _FOUND.get(key)
    if kept is not None and kept[0] == version:
        return kept[1], kept[2]
    rows = db.session.execute(listing, values).all()
    found = find_clusters((OpenRequest(r.id, r.category, r.lat, r.lon, r.created_at)
                           for r in rows), now, rules)
    in_clusters = {rid for c in found for rid in c.request_ids}
    details = {r.id: (r.pc4, r.created_at) for r in rows if r.id in in_clusters}
    if len(_FOUND) >= _FOUND_MAX:
        _FOUND.clear()
    _FOUND[key] = (version, found, details)
    return found, details


def clusters_for_area(area: Area, now: datetime | None = None) -> list[AreaCluster]:
    """Clusters of the requests waiting for help in this area and below it.

    One query that names the set of waiting requests; when it changed, one more for the
    requests; one for the candidate activities (all categories at once).
    """
    now = now or clock_now()
    rules = rules_for(area)
    found, details = _found(area, rules, now)
    if not found:
        return []
    activities = _activities_near(found, rules.radius_km)
    out = []
    for c in found:
        near = sorted(((distance_km(c.centre_lat, c.centre_lon, a.lat, a.lon), a.id, a)
                       for a in activities if a.category == c.category), key=lambda t: t[:2])
        out.append(AreaCluster(c.category, c.request_ids, details[c.centre_id][0],
                               c.centre_lat, c.centre_lon,
                               tuple(a for km, _, a in near if km <= rules.radius_km),
                               tuple(details[rid] for rid in c.request_ids)))
    return out


def _activities_near(found, radius_km: float) -> list[Activity]:
    boxes = [bounding_box(c.centre_lat, c.centre_lon, radius_km) for c in found]
    return list(db.session.scalars(
        select(Activity).where(Activity.status == "active",
                               Activity.category.in_({c.category for c in found}),
                               Activity.lat.between(min(b[0] for b in boxes),
                                                    max(b[1] for b in boxes)),
                               Activity.lon.between(min(b[2] for b in boxes),
                                                    max(b[3] for b in boxes)))))


def clusters_for_worker(user: User, now: datetime | None = None) -> list[tuple[Area, list]]:
    """Per area the worker is assigned to: its clusters (for the worklist)."""
    return [(area, clusters_for_area(area, now)) for area in
            sorted(user.areas, key=lambda a: (a.path, a.id))]


def solve_collectively(actor: User, help_request: HelpRequest, activity_id: Any, *,
                       now: datetime | None = None) -> None:
    """Sign the resident up for the activity and close the request, solved by "activity".

    404: the request is not the worker's area's. 422: no or an unknown activity. 409: the
    request is no longer active, the activity does not run, it is full (a place on the
    waiting list does not solve the request, so nothing changes), or the request has no
    resident account to sign up.
    """
    now = now or clock_now()
    if not actor.has_role("worker") or not is_area_worker(actor, help_request):
        raise NotFound(N_("Deze hulpvraag bestaat niet."))
    activity = None
    if activity_id is None or activity_id == "":
        raise ValidationFailed({"activity_id": [N_("Kies een activiteit.")]})
    try:
        activity = db.session.get(Activity, int(activity_id))
    except (TypeError, ValueError, OverflowError):
        activity = None
    if activity is None:
        raise ValidationFailed({"activity_id": [N_("Deze activiteit bestaat niet.")]})
    if help_request.status not in ACTIVE:
        raise Conflict(N_("Deze hulpvraag is al afgesloten."))
    if activity.status != "active":
        raise Conflict(N_("Deze activiteit gaat niet meer door."), field="activity_id")
    resident = help_request.owner
    if resident is None or not resident.is_active or not resident.has_role("resident"):
        raise Conflict(N_("Deze hulpvraag heeft geen inwoner met een account om aan te melden."))
    existing = active_signup(activity, resident)
    if existing is None:
        if spots_left(activity) == 0:
            raise Conflict(N_("Deze activiteit is vol."), field="activity_id")
        try:
            entry = signup(activity, resident, actor=actor, now=now)
        except NotFound:
            raise Conflict(N_("Deze inwoner kunt u niet aanmelden.")) from None
        if entry.status != "registered":
            # Filled up by a parallel sign-up: the caller rolls back, nothing changes.
            raise Conflict(N_("Deze activiteit is vol."), field="activity_id")
    elif existing.status != "registered":
        raise Conflict(N_("De inwoner staat op de wachtlijst van deze activiteit."),
                       field="activity_id")
    close_request(help_request, solved_by="activity", actor=actor,
                  note=f"Opgelost met de activiteit: {activity.title}"[:500], now=now)


def workers_assigned_to(area: Area) -> list[User]:
    return list(db.session.scalars(
        select(User).join(UserArea, UserArea.user_id == User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserArea.area_id == area.id, UserRole.role == "worker",
               User.is_active.is_(True)).order_by(User.id)))


def areas_with_workers() -> list[Area]:
    return list(db.session.scalars(
        select(Area).where(Area.id.in_(
            select(UserArea.area_id).join(UserRole, UserRole.user_id == UserArea.user_id)
            .where(UserRole.role == "worker"))).order_by(Area.id)))
