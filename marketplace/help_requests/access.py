"""Who may see which request, and how much of it. Policy functions, no queries of their own
beyond what they need; views and the API call these and answer 404 when access is "none"."""

from __future__ import annotations

from enum import Enum

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.areas.services import subtree_ids
from marketplace.brokering.models import Arrangement, Match
from marketplace.extensions import db
from marketplace.help_requests.models import VISIBLE_TO_VOLUNTEERS, HelpRequest


class View(Enum):
    NONE = 0
    LIMITED = 1  # category, PC4 area, rounded distance, when, urgency: never name or address
    FULL = 2  # house number and the resident's name


def worker_area_ids(user: User) -> set[int]:
    if not user.has_role("worker"):
        return set()
    return subtree_ids(user.areas)


def is_area_worker(user: User, request: HelpRequest) -> bool:
    return request.area_id is not None and request.area_id in worker_area_ids(user)


def active_arrangement_for(request: HelpRequest, volunteer_id: int) -> Arrangement | None:
    return db.session.scalar(
        select(Arrangement).where(
            Arrangement.request_id == request.id,
            Arrangement.volunteer_id == volunteer_id,
            Arrangement.status.in_(("active", "ending")),
        )
    )


def has_match(request: HelpRequest, volunteer_id: int) -> bool:
    return db.session.scalar(
        select(Match.id).where(Match.request_id == request.id, Match.volunteer_id == volunteer_id)
    ) is not None


def view_of(user: User | None, request: HelpRequest) -> View:
    if user is None or not user.is_authenticated:
        return View.NONE
    if request.owner_id == user.id or (
        request.created_by_id == user.id and user.has_role("resident")
    ):
        return View.FULL
    if is_area_worker(user, request):
        return View.FULL
    if user.has_role("volunteer"):
        if active_arrangement_for(request, user.id) is not None:
            return View.FULL
        if request.status in VISIBLE_TO_VOLUNTEERS or has_match(request, user.id):
            return View.LIMITED
    return View.NONE
