"""The worker's worklist for their areas, assignment and transfer, caseload per team."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.areas import settings as area_settings
from marketplace.brokering.models import Arrangement, Match
from marketplace.casework.models import Referral, ResidentArea
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.errors import NotFound
from marketplace.extensions import db
from marketplace.followup.models import Evaluation
from marketplace.help_requests.access import is_area_worker, worker_area_ids
from marketplace.help_requests.models import HelpRequest, RequestEvent
from marketplace.signals.models import Signal


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
    result.new_requests = list(db.session.scalars(
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
    if not is_area_worker(actor, request) or not is_area_worker(worker, request):
        raise NotFound("Deze hulpvraag bestaat niet.")
    previous = request.assigned_worker
    request.assigned_worker_id = worker.id
    text = f"toegewezen aan {worker.name}" if previous is None else (
        f"overgedragen van {previous.name} aan {worker.name}")
    if reason:
        text += f": {reason.strip()[:300]}"
    request.events.append(RequestEvent(at=now or clock_now(), actor_id=actor.id,
                                       from_status=request.status, to_status=request.status,
                                       reason=text))
    db.session.flush()


def caseload(worker_ids: list[int]) -> dict[int, int]:
    """Open cases per worker (requests not closed, signals not handled)."""
    active = ("new", "clarifying", "open", "matched", "in_progress")
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
