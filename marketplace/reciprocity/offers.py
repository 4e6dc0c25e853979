"""Offers to give something back, for the welfare workers of the resident's area.

An offer is an answer to the reciprocity invitation other than "nu niet" (models.OFFERS).
It belongs to the area of the resident's file (``resident_area``: their home PC4) and, when
there is none, to the area of the request they got help with. A worker of that area (or an
area above it) sees it and records what came of it (models.FOLLOW_UPS), with who and when;
anyone else gets NotFound. Services add and flush; the view commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, func, select, text
from sqlalchemy.orm import aliased

from marketplace.accounts import audit
from marketplace.accounts.models import User, UserArea, UserRole
from marketplace.areas.models import Area
from marketplace.brokering.models import Arrangement
from marketplace.casework.models import ResidentArea
from marketplace.clock import now as clock_now
from marketplace.errors import N_, DomainError, NotFound
from marketplace.extensions import db
from marketplace.help_requests.access import worker_area_ids
from marketplace.help_requests.models import HelpRequest
from marketplace.reciprocity.models import (
    FOLLOW_UPS,
    OFFERS,
    OPEN_OFFER,
    Contribution,
    ReciprocityInvitation,
)

PAGE_SIZE = 30  # open offers per page (keyset on the invitation id, oldest first)
DONE_SHOWN = 30  # the most recently followed-up offers shown under them


@dataclass(frozen=True)
class Offer:
    id: int
    resident_id: int
    name: str
    pc4: str | None
    place: str | None
    answer: str
    description: str | None
    answered_at: datetime | None
    request_id: int
    follow_up: str | None
    followed_up_at: datetime | None
    followed_up_by: str | None


def offer_area() -> Any:
    """The offer's area: the resident's file, else the request they got help with."""
    return func.coalesce(ResidentArea.area_id, HelpRequest.area_id)


def _joined(stmt: Any) -> Any:
    return (stmt.join(Arrangement, Arrangement.id == ReciprocityInvitation.arrangement_id)
            .join(HelpRequest, HelpRequest.id == Arrangement.request_id)
            .outerjoin(ResidentArea,
                       ResidentArea.resident_id == ReciprocityInvitation.resident_id))


def open_offers_count(area_ids: Any) -> Any:
    """How many offers in these areas wait for a worker: a scalar subquery, so the worklist
    counts them in its one statement of counts (`area_ids` is its expanding parameter)."""
    stmt = _joined(select(func.count()).select_from(ReciprocityInvitation))
    return (stmt.join(User, User.id == ReciprocityInvitation.resident_id)
            .where(text(OPEN_OFFER), offer_area().in_(area_ids), User.erased_at.is_(None))
            .scalar_subquery())


def _listing(area_ids: Iterable[int]) -> Any:
    follower = aliased(User)
    stmt = select(ReciprocityInvitation, User.name, func.coalesce(ResidentArea.pc4,
                                                                  HelpRequest.pc4),
                  Area.name, Contribution.description, HelpRequest.id, follower.name)
    return (_joined(stmt.select_from(ReciprocityInvitation))
            .join(User, User.id == ReciprocityInvitation.resident_id)
            .outerjoin(Area, Area.id == offer_area())
            .outerjoin(Contribution, Contribution.id == ReciprocityInvitation.contribution_id)
            .outerjoin(follower, follower.id == ReciprocityInvitation.followed_up_by_id)
            .where(offer_area().in_(bindparam("area_ids", list(area_ids), expanding=True)),
                   User.erased_at.is_(None)))


def _offer(row: Any) -> Offer:
    invitation, name, pc4, place, description, request_id, follower = row
    return Offer(id=invitation.id, resident_id=invitation.resident_id, name=name, pc4=pc4,
                 place=place, answer=invitation.answer, description=description,
                 answered_at=invitation.answered_at, request_id=request_id,
                 follow_up=invitation.follow_up, followed_up_at=invitation.followed_up_at,
                 followed_up_by=follower)


def open_offers(worker: User, after: int | None = None) -> tuple[list[Offer], int | None]:
    """The worker's open offers, oldest first, a page at a time; and the id to page on
    after, when more follow."""
    ids = worker_area_ids(worker)
    if not ids:
        return [], None
    stmt = _listing(ids).where(text(OPEN_OFFER))
    if after is not None:
        stmt = stmt.where(ReciprocityInvitation.id > after)
    rows = [_offer(r) for r in db.session.execute(
        stmt.order_by(ReciprocityInvitation.id).limit(PAGE_SIZE + 1))]
    if len(rows) > PAGE_SIZE:
        return rows[:PAGE_SIZE], rows[PAGE_SIZE - 1].id
    return rows, None


def followed_up(worker: User) -> list[Offer]:
    """The most recently followed-up offers of the worker's areas, newest first."""
    ids = worker_area_ids(worker)
    if not ids:
        return []
    stmt = _listing(ids).where(ReciprocityInvitation.answer.in_(OFFERS),
                               ReciprocityInvitation.follow_up.is_not(None))
    return [_offer(r) for r in db.session.execute(
        stmt.order_by(ReciprocityInvitation.followed_up_at.desc(),
                      ReciprocityInvitation.id.desc()).limit(DONE_SHOWN))]


def offer_for(worker: User, invitation_id: int) -> ReciprocityInvitation:
    """An offer of the worker's areas (still an offer, of a resident not erased), else
    NotFound."""
    ids = worker_area_ids(worker)
    found = db.session.scalar(_joined(select(ReciprocityInvitation)).where(
        ReciprocityInvitation.id == invitation_id, ReciprocityInvitation.answer.in_(OFFERS),
        offer_area().in_(ids))) if ids else None
    resident = db.session.get(User, found.resident_id) if found is not None else None
    if found is None or resident is None or resident.erased_at is not None:
        raise NotFound(N_("Dit aanbod bestaat niet."))
    return found


def follow_up(worker: User, invitation_id: int, outcome: str, *,
              now: datetime | None = None) -> ReciprocityInvitation:
    """Record what came of an offer of the worker's areas (again: the latest counts)."""
    found = offer_for(worker, invitation_id)
    if outcome not in FOLLOW_UPS:
        raise DomainError(N_("Kies wat er met het aanbod is gebeurd."), field="follow_up")
    now = now or clock_now()
    found.follow_up, found.followed_up_at, found.followed_up_by_id = outcome, now, worker.id
    audit.record("reciprocity.offer_followed_up", actor_id=worker.id,
                 subject_user_id=found.resident_id, object_type="reciprocity_invitation",
                 object_id=found.id, detail={"follow_up": outcome}, now=now)
    db.session.flush()
    return found


def reaches_a_worker(invitation: ReciprocityInvitation) -> bool:
    """Does an active worker see this offer (a worker of its area or an area above)? The
    thank-you page promises contact only then."""
    area_id = db.session.scalar(_joined(select(offer_area())).select_from(
        ReciprocityInvitation).where(ReciprocityInvitation.id == invitation.id))
    area = db.session.get(Area, area_id) if area_id is not None else None
    if area is None:
        return False
    return bool(db.session.scalar(select(exists().where(
        UserArea.area_id.in_(area.ancestor_ids), UserRole.user_id == UserArea.user_id,
        UserRole.role == "worker", User.id == UserArea.user_id, User.is_active.is_(True),
        User.erased_at.is_(None)))))
