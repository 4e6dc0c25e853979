"""The worker's worklist for their areas, assignment and transfer, caseload per team."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.areas import settings as area_settings
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


@dataclass
class Worklist:
    new_requests: list[HelpRequest] = field(default_factory=list)
    offers_waiting: list[Match] = field(default_factory=list)
    stale_requests: list[HelpRequest] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    arrangements_ending: list[Arrangement] = field(default_factory=list)
    evaluations_overdue: list[Arrangement] = field(default_factory=list)
    referrals_waiting: list[Referral] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(v) for v in vars(self).values())


def worklist(worker: User, now: datetime | None = None) -> Worklist:
    now = now or clock_now()
    ids = worker_area_ids(worker)
    result = Worklist()
    if not ids:
        return result
    in_area = HelpRequest.area_id.in_(ids)
    new_requests = list(db.session.scalars(
        select(HelpRequest).where(in_area, HelpRequest.status.in_(("new", "open", "clarifying")),
                                  HelpRequest.assigned_worker_id.is_(None))
        .order_by(HelpRequest.urgency.desc(), HelpRequest.created_at)))
    result.offers_waiting = list(db.session.scalars(
        select(Match).join(HelpRequest).where(in_area, Match.status == "proposed",
                                              Match.awaiting == "worker")
        .order_by(Match.created_at)))
    stale_default = int(area_settings.SETTINGS["request_stale_days"].default)
    result.stale_requests = [
        r for r in db.session.scalars(
            select(HelpRequest).where(in_area, HelpRequest.status == "open",
                                      HelpRequest.created_at <= now - timedelta(days=1))
            .order_by(HelpRequest.created_at))
        if r.created_at <= now - timedelta(days=int(
            area_settings.effective(r.area, "request_stale_days") if r.area else stale_default))
    ]
    # A request open too long is listed there, not a second time among the new ones.
    stale_ids = {r.id for r in result.stale_requests}
    result.new_requests = [r for r in new_requests if r.id not in stale_ids]
    result.signals = list(db.session.scalars(
        select(Signal).where(Signal.area_id.in_(ids), Signal.status != "handled")
        .order_by(Signal.respond_by, Signal.id)))
    arrangements = select(Arrangement).join(HelpRequest).where(in_area)
    result.arrangements_ending = list(db.session.scalars(
        arrangements.where(Arrangement.status == "ending").order_by(Arrangement.planned_end_on)))
    result.evaluations_overdue = list(db.session.scalars(
        arrangements.outerjoin(Evaluation, Evaluation.arrangement_id == Arrangement.id)
        .where(Arrangement.status.in_(("active", "ending")),
               Arrangement.planned_end_on < today(now), Evaluation.id.is_(None))
        .order_by(Arrangement.planned_end_on)))
    result.referrals_waiting = list(db.session.scalars(
        select(Referral).join(ResidentArea, ResidentArea.resident_id == Referral.resident_id)
        .where(ResidentArea.area_id.in_(ids), Referral.status.in_(("proposed", "sent")))
        .order_by(Referral.created_at)))
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
    request.events.append(RequestEvent(at=now or clock_now(), actor_id=actor.id,
                                       from_status=request.status, to_status=request.status,
                                       reason=text[:500]))
    db.session.flush()


def colleagues(request: HelpRequest) -> list[User]:
    """Who can hold the case: the active workers of the request's area."""
    return area_workers_for(request.area_id)


def caseload(worker_ids: list[int]) -> dict[int, int]:
    """Open cases per worker (requests not closed, signals not handled)."""
    active = OPEN_CASE
    counts = dict.fromkeys(worker_ids, 0)
    for worker_id, n in db.session.execute(
            select(HelpRequest.assigned_worker_id, func.count())
            .where(HelpRequest.assigned_worker_id.in_(worker_ids),
                   HelpRequest.status.in_(active))
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

