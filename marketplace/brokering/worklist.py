"""The worker's worklist for their areas, assignment and transfer, caseload per team."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, literal, not_, or_, select, union_all
from sqlalchemy.orm import contains_eager, joinedload

from marketplace.accounts.models import User
from marketplace.areas import settings as area_settings
from marketplace.areas.models import Area, AreaSetting
from marketplace.areas.services import subtree_ids
from marketplace.brokering.models import Arrangement, Match
from marketplace.casework.models import Referral, ResidentArea
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.errors import DomainError, NotFound
from marketplace.extensions import db
from marketplace.followup.models import Evaluation
from marketplace.help_requests.access import is_area_worker, worker_area_ids
from marketplace.help_requests.models import HelpRequest, RequestEvent
from marketplace.signals.models import Signal
from marketplace.teams.models import Team
from marketplace.teams.services import area_workers_for

# Open cases: what counts towards a worker's caseload.
OPEN_CASE = ("new", "clarifying", "open", "matched", "in_progress")
REASON_MAX = 300


# Each section shows the first PAGE_SIZE items (its count is the full number).
PAGE_SIZE = 20  # rendering a case card costs ~1.5 ms: 2 sections x 20 stays well under 100 ms
# Read one status at a time (a UNION ALL, counted and listed): with statistics of an area
# where nearly all requests are closed, SQLite's planner scans the whole table for "status IN
# (three)" (100k rows, 36 ms), while it seeks (area_id, status, created_at, id) for each
# "status = one" (migration 0014; 0.4 ms for the three).
NEW_STATUSES = ("new", "open", "clarifying")
# Most urgent first (the values sorted as text would put "normal" before "high").
URGENCY_RANK = {"high": 0, "normal": 1, "low": 2}


@dataclass
class Worklist:
    new_requests: list[HelpRequest] = field(default_factory=list)
    offers_waiting: list[Match] = field(default_factory=list)
    stale_requests: list[HelpRequest] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    arrangements_ending: list[Arrangement] = field(default_factory=list)
    evaluations_overdue: list[Arrangement] = field(default_factory=list)
    referrals_waiting: list[Referral] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    # Section -> id of its last listed item, when more follow (the keyset for the next page).
    next_after: dict[str, int] = field(default_factory=dict)

    def count(self, section: str) -> int:
        """How many items the section holds (it lists at most PAGE_SIZE of them)."""
        return self.counts.get(section, len(getattr(self, section)))

    @property
    def total(self) -> int:
        return sum(self.count(name) for name in vars(self)
                   if name not in ("counts", "next_after"))


def volunteer_name_only() -> tuple[Any, ...]:
    """A list shows the volunteer's name: joined in the same statement, their roles and
    areas (selectin by default: two more statements, only when the list is not empty) are
    left to load if anyone asks."""
    return (joinedload(Match.volunteer).lazyload(User.role_rows),
            joinedload(Match.volunteer).lazyload(User.areas))


def _stale_limit(ids: set[int], now: datetime) -> Any:
    """created_at at or before this is "open too long": per area (its own or inherited
    request_stale_days), as one SQL CASE; two queries whatever the number of requests."""
    default = int(area_settings.SETTINGS["request_stale_days"].default)
    paths = db.session.execute(select(Area.id, Area.path).where(Area.id.in_(ids))).all()
    ancestors = {a_id: [int(p) for p in path.strip("/").split("/") if p] for a_id, path in paths}
    wanted = {i for chain in ancestors.values() for i in chain}
    own = dict(db.session.execute(select(AreaSetting.area_id, AreaSetting.value).where(
        AreaSetting.area_id.in_(wanted), AreaSetting.key == "request_stale_days")).all())
    days = {}
    for area_id, chain in ancestors.items():
        found = next((own[i] for i in reversed(chain) if i in own), None)
        days[area_id] = int(found) if found is not None else default
    differing = {a: d for a, d in days.items() if d != default}
    kind = HelpRequest.__table__.c.created_at.type  # bound as the column stores it

    def limit(d: int) -> Any:
        return literal(now - timedelta(days=d), type_=kind)

    if not differing:
        return limit(default)
    return case(*((HelpRequest.area_id == a, limit(d)) for a, d in sorted(differing.items())),
                else_=limit(default))


def _after(section: str, last: HelpRequest, entity: Any = HelpRequest) -> Any:
    """Keyset: the rows after `last` in the section's order (no OFFSET)."""
    later = or_(entity.created_at > last.created_at,
                and_(entity.created_at == last.created_at, entity.id > last.id))
    if section == "stale_requests":  # oldest first
        return later
    # new_requests: most urgent first, then oldest.
    rank = URGENCY_RANK.get(last.urgency, 1)
    return or_(_urgency_rank(entity) > rank, and_(_urgency_rank(entity) == rank, later))


def _urgency_rank(entity: Any = HelpRequest) -> Any:
    return case(URGENCY_RANK, value=entity.urgency, else_=1)


def _waiting(*conditions: Any) -> tuple[Any, Any, Any]:
    """New requests nobody holds: one SELECT per status in a UNION ALL (see NEW_STATUSES) of
    only the columns the order needs, joined to the requests. Returns the select, the columns
    to order and page on, and what to count."""
    parts = union_all(*(
        select(HelpRequest.id, HelpRequest.urgency, HelpRequest.created_at)
        .where(HelpRequest.status == status, *conditions) for status in NEW_STATUSES
    )).subquery("waiting")
    key = parts.c
    query = select(HelpRequest).join(parts, key.id == HelpRequest.id).order_by(
        _urgency_rank(key), key.created_at, key.id)
    return query, key, select(key.id)


def _count(query: Any) -> Any:
    return select(func.count()).select_from(query.order_by(None).subquery()).scalar_subquery()


def worklist(worker: User, now: datetime | None = None,
             after: Mapping[str, int] | None = None) -> Worklist:
    """What waits in the worker's areas. `after` pages a request section on: section name
    ("new_requests", "stale_requests") -> id of the last request the previous page showed."""
    now = now or clock_now()
    ids = worker_area_ids(worker)
    result = Worklist()
    if not ids:
        return result
    in_area = HelpRequest.area_id.in_(ids)
    # A request open too long is listed there, not a second time among the new ones.
    stale = and_(HelpRequest.status == "open", HelpRequest.created_at <= _stale_limit(ids, now))
    waiting, waiting_key, waiting_count = _waiting(
        in_area, HelpRequest.assigned_worker_id.is_(None), not_(stale))
    sections = {
        "new_requests": waiting,
        "offers_waiting": select(Match).join(HelpRequest).where(
            in_area, Match.status == "proposed", Match.awaiting == "worker")
        .options(contains_eager(Match.request), *volunteer_name_only())
        .order_by(Match.created_at, Match.id),
        "stale_requests": select(HelpRequest).where(in_area, stale)
        .order_by(HelpRequest.created_at, HelpRequest.id),
        "signals": select(Signal).where(Signal.area_id.in_(ids), Signal.status != "handled")
        .order_by(Signal.respond_by, Signal.id),
    }
    arrangements = select(Arrangement).join(HelpRequest).where(in_area).options(
        contains_eager(Arrangement.request))
    sections["arrangements_ending"] = arrangements.where(
        Arrangement.status == "ending").order_by(Arrangement.planned_end_on, Arrangement.id)
    sections["evaluations_overdue"] = arrangements.outerjoin(
        Evaluation, Evaluation.arrangement_id == Arrangement.id).where(
        Arrangement.status.in_(("active", "ending")), Arrangement.planned_end_on < today(now),
        Evaluation.id.is_(None)).order_by(Arrangement.planned_end_on, Arrangement.id)
    sections["referrals_waiting"] = select(Referral).join(
        ResidentArea, ResidentArea.resident_id == Referral.resident_id).where(
        ResidentArea.area_id.in_(ids), Referral.status.in_(("proposed", "sent"))
    ).options(joinedload(Referral.partner)).order_by(Referral.created_at, Referral.id)
    # Every count in one statement, then each section's first page.
    counted = {**sections, "new_requests": waiting_count}
    counts = db.session.execute(select(*(
        _count(query).label(name) for name, query in counted.items()))).one()
    result.counts = dict(counts._mapping)
    paged_on = {"new_requests": waiting_key}  # the columns a section's keyset compares
    for name, query in sections.items():  # also when empty: the same statements every time
        wanted = (after or {}).get(name) if name in ("new_requests", "stale_requests") else None
        last = db.session.get(HelpRequest, wanted) if wanted else None
        if last is not None:
            query = query.where(_after(name, last, paged_on.get(name, HelpRequest)))
        rows = list(db.session.scalars(query.limit(PAGE_SIZE + 1)))
        if len(rows) > PAGE_SIZE:
            rows = rows[:PAGE_SIZE]
            result.next_after[name] = rows[-1].id
        setattr(result, name, rows)
    return result


def assign(actor: User, request: HelpRequest, worker: User, reason: str | None = None,
           now: datetime | None = None) -> None:
    """Take a case or give it to a colleague of the same area (a transfer is recorded)."""
    if not is_area_worker(actor, request):
        raise NotFound(_("Deze hulpvraag bestaat niet."))
    if not worker.is_active or not is_area_worker(worker, request):
        raise DomainError(_("Kies een collega die in dit gebied werkt."), field="worker_id")
    if request.status not in OPEN_CASE:
        raise DomainError(_("Deze hulpvraag is afgesloten. U kunt hem niet meer toewijzen."))
    if request.assigned_worker_id == worker.id:
        raise DomainError(_("%(name)s heeft deze zaak al.", name=worker.name), field="worker_id")
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise DomainError(_("Houd de reden korter: hoogstens 300 tekens."), field="reason")
    previous = request.assigned_worker
    request.assigned_worker_id = worker.id
    text = f"toegewezen aan {worker.name}" if previous is None else (
        f"overgedragen van {previous.name} aan {worker.name}")
    if reason:
        text += f": {reason}"
    # Added on its own: appending to request.events would first read the whole timeline.
    db.session.add(RequestEvent(request=request, at=now or clock_now(), actor_id=actor.id,
                                from_status=request.status, to_status=request.status,
                                reason=text[:500]))
    db.session.flush()


def take_on(worker: User, request: HelpRequest, *, what: str,
            now: datetime | None = None) -> bool:
    """A worker who acts on an unassigned case (an intake, a proposal) has taken it on: it
    is assigned to them, recorded in the timeline. Someone else's case stays theirs."""
    if (request.assigned_worker_id is not None or request.status not in OPEN_CASE
            or not worker.is_active or not is_area_worker(worker, request)):
        return False
    request.assigned_worker_id = worker.id
    db.session.add(RequestEvent(request=request, at=now or clock_now(), actor_id=worker.id,
                                from_status=request.status, to_status=request.status,
                                reason=f"opgepakt door {worker.name} ({what})"[:500]))
    db.session.flush()
    return True


def colleagues(request: HelpRequest) -> list[User]:
    """Who can hold the case: the active workers of the request's area."""
    return area_workers_for(request.area_id)


def caseload(worker_ids: list[int]) -> dict[int, int]:
    """Open cases per worker (requests not closed, signals not handled)."""
    active = OPEN_CASE
    counts = dict.fromkeys(worker_ids, 0)
    # `status || ''`: the same test, but no index can start from it, so SQLite without
    # statistics starts from the worker's index, not from every open request of the region
    # through a status index (4 ms at 100k requests; docs/performance.md).
    for worker_id, n in db.session.execute(
            select(HelpRequest.assigned_worker_id, func.count())
            .where(HelpRequest.assigned_worker_id.in_(worker_ids),
                   HelpRequest.status.op("||")("").in_(active))
            .group_by(HelpRequest.assigned_worker_id)):
        counts[worker_id] += n
    for worker_id, n in db.session.execute(
            select(Signal.assigned_worker_id, func.count())
            .where(Signal.assigned_worker_id.in_(worker_ids), Signal.status != "handled")
            .group_by(Signal.assigned_worker_id)):
        counts[worker_id] += n
    return counts


@dataclass
class Cases:
    """A worker's open cases: requests not closed, signals not handled."""

    requests: list[HelpRequest] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.requests) + len(self.signals)


def cases_of(worker_id: int, area_ids: set[int] | None = None) -> Cases:
    """The worker's open cases; with `area_ids`, only those in these areas (what a
    coordinator may see of a colleague who also works elsewhere)."""
    requests = (select(HelpRequest).where(HelpRequest.assigned_worker_id == worker_id,
                                          HelpRequest.status.in_(OPEN_CASE))
                .order_by(HelpRequest.created_at, HelpRequest.id))
    signals = (select(Signal).where(Signal.assigned_worker_id == worker_id,
                                    Signal.status != "handled")
               .order_by(Signal.respond_by, Signal.id))
    if area_ids is not None:
        requests = requests.where(HelpRequest.area_id.in_(area_ids))
        signals = signals.where(Signal.area_id.in_(area_ids))
    return Cases(list(db.session.scalars(requests)), list(db.session.scalars(signals)))


@dataclass
class MemberLoad:
    member: User
    is_coordinator: bool
    total: int  # every open case of this worker, also outside the team's area
    cases: Cases  # the cases in the team's area, which the coordinator may see


def team_caseload(team: Team) -> list[MemberLoad]:
    """The caseload of each member, busiest first, for the coordinator to balance."""
    members = [m for m in team.members if m.user.is_active]
    counts = caseload([m.user_id for m in members])
    area_ids = subtree_ids([team.area])
    rows = [MemberLoad(m.user, m.is_coordinator, counts.get(m.user_id, 0),
                       cases_of(m.user_id, area_ids)) for m in members]
    return sorted(rows, key=lambda r: (-r.total, r.member.name))

