"""Who may see which request, and how much of it. Policy functions, no queries of their own
beyond what they need; views and the API call these and answer 404 when access is "none".

A volunteer reads a request (LIMITED: no name, no house number) only while it fits them as
the nearby list defines it (``fits_volunteer``: open, one of their skills (with a valid VOG
when the category needs one), within their radius and within the request's reach) or while
they have an open proposal or offer on it; the volunteer of the running arrangement sees it
in FULL. Anyone else, including a volunteer whose proposal was cancelled because someone
else took the request, gets NONE: a 404, as for a missing request (docs/privacy.md)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.areas.services import subtree_ids
from marketplace.brokering.models import Arrangement, Match
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.geo import distance_km
from marketplace.help_requests.models import VISIBLE_TO_VOLUNTEERS, HelpRequest
from marketplace.matching.sources import DEFAULT_REACH_KM

# How far a request looks for help: matching's reach (no area sets another today).
REACH_KM = DEFAULT_REACH_KM


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


def has_open_match(request: HelpRequest, volunteer_id: int) -> bool:
    """A proposal the volunteer has not answered yet, or an offer nobody has answered yet."""
    return db.session.scalar(
        select(Match.id).where(Match.request_id == request.id, Match.volunteer_id == volunteer_id,
                               Match.status == "proposed")
    ) is not None


def within_reach(distance: float, radius_km: float) -> bool:
    """Both radii: the volunteer's travel radius and how far the request looks for help."""
    return distance <= radius_km and distance <= REACH_KM


def fits_volunteer(request: HelpRequest, volunteer_id: int, now: datetime | None = None) -> bool:
    """The request is on this volunteer's nearby list: open, a skill of theirs (VOG when
    needed), within both radii."""
    from marketplace.categories.models import Category
    from marketplace.volunteers.models import VolunteerProfile

    if request.status not in VISIBLE_TO_VOLUNTEERS:
        return False
    profile = db.session.get(VolunteerProfile, volunteer_id)
    if profile is None or request.category not in profile.skill_codes:
        return False
    category = db.session.get(Category, request.category)
    if category is not None and category.vog_required and not profile.vog_valid_on(
            today(now or clock_now())):
        return False
    return within_reach(distance_km(profile.lat, profile.lon, request.lat, request.lon),
                        profile.radius_km)


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
        if has_open_match(request, user.id) or fits_volunteer(request, user.id):
            return View.LIMITED
    return View.NONE
