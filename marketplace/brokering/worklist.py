"""The worker's worklist for their areas, assignment and transfer, caseload per team."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, func, select

from marketplace.accounts.models import User
from marketplace.areas import settings as area_settings
from marketplace.areas.models import Area, AreaSetting
from marketplace.areas.services import subtree_ids
from marketplace.brokering.models import Arrangement, Match
from marketplace.brokering.worklist_statements import KEYSET, PAGED, URGENCY_RANK, statements
from marketplace.brokering.worklist_statements import volunteer_name_only as volunteer_name_only
from marketplace.casework.models import Referral
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.errors import DomainError, NotFound
from marketplace.extensions import db
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
        """How many items the section holds (it lists at most PAGE_SIZE of them); also a
        count without a list of its own here ("reciprocity_offers"), else 0."""
        if section in self.counts:
            return self.counts[section]
        return len(getattr(self, section, ()))

    @property
    def total(self) -> int:
        return sum(self.count(name) for name in vars(self)
                   if name not in ("counts", "next_after"))


def _stale_days(ids: set[int]) -> dict[int, int]:
    """Area -> its "open too long" days (its own or inherited `request_stale_days`), for the
    areas that differ from the default: two queries whatever the number of requests."""
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
    return {a: d for a, d in sorted(days.items()) if d != default}


def worklist(worker: User, now: datetime | None = None,
             after: Mapping[str, int] | None = None) -> Worklist:
    """What waits in the worker's areas. `after` pages a section on: section name (of
    PAGED) -> id of the last item (request, match, signal, arrangement, referral) the
    previous page showed.
    The statements are built once per shape (worklist_statements.py)."""
    now = now or clock_now()
    ids = worker_area_ids(worker)
    result = Worklist()
    if not ids:
        return result
    default = int(area_settings.SETTINGS["request_stale_days"].default)
    differing = _stale_days(ids)
    values: dict[str, Any] = {"area_ids": sorted(ids), "today": today(now),
                              "stale_limit": now - timedelta(days=default),
                              "page_limit": PAGE_SIZE + 1}
    for i, (area_id, days) in enumerate(differing.items()):
        values[f"stale_area_{i}"] = area_id
        values[f"stale_limit_{i}"] = now - timedelta(days=days)
    paged = []
    for name in PAGED:
        wanted = (after or {}).get(name)
        model, column = KEYSET.get(name, (HelpRequest, None))
        last = db.session.get(model, wanted) if wanted else None
        if last is None:
            continue  # no such item (any more): the section starts at its beginning
        paged.append(name)
        if column is not None:
            values.update({f"{name}_sort": getattr(last, column.key), f"{name}_id": last.id})
        else:
            values.update({f"{name}_created": last.created_at, f"{name}_id": last.id,
                           f"{name}_rank": URGENCY_RANK.get(last.urgency, 1)})
    found = statements(len(differing), tuple(paged))
    # Every count in one statement, then each section's first page.
    result.counts = dict(db.session.execute(found.counts, values).one()._mapping)
    for name, query in found.sections.items():  # also when empty: the same statements
        rows = list(db.session.scalars(query, values))
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


@lru_cache(maxsize=1)
def _caseload() -> tuple[Select, Select]:
    """Built once, run with bound values (the worklist asks it on every view)."""
    workers = bindparam("worker_ids", expanding=True)
    # `status || ''`: the same test, but no index can start from it, so SQLite without
    # statistics starts from the worker's index, not from every open request of the region
    # through a status index (4 ms at 100k requests; docs/performance.md).
    requests = (select(HelpRequest.assigned_worker_id, func.count())
                .where(HelpRequest.assigned_worker_id.in_(workers),
                       HelpRequest.status.op("||")("").in_(OPEN_CASE))
                .group_by(HelpRequest.assigned_worker_id))
    signals = (select(Signal.assigned_worker_id, func.count())
               .where(Signal.assigned_worker_id.in_(workers), Signal.status != "handled")
               .group_by(Signal.assigned_worker_id))
    return requests, signals


def caseload(worker_ids: list[int]) -> dict[int, int]:
    """Open cases per worker (requests not closed, signals not handled)."""
    counts = dict.fromkeys(worker_ids, 0)
    for statement in _caseload():
        for worker_id, n in db.session.execute(statement, {"worker_ids": list(worker_ids)}):
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

