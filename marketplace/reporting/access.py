"""Who sees which area's figures: municipality users and workers, for their own areas and
everything below them. Everyone else gets nothing (views and the API answer 404)."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.areas.models import Area
from marketplace.areas.services import get_by_code, subtree_ids
from marketplace.extensions import db

REPORT_ROLES = ("municipality", "worker")


def may_report(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_role(*REPORT_ROLES))


def visible_area_ids(user: User | None) -> set[int]:
    return subtree_ids(user.areas) if user is not None and may_report(user) else set()


def may_see(user: User | None, area: Area) -> bool:
    return area.id in visible_area_ids(user)


def top_areas(user: User) -> list[Area]:
    """The user's own areas, highest first (where the dashboard starts)."""
    if not may_report(user):
        return []
    return sorted(user.areas, key=lambda a: (len(a.ancestor_ids), a.name.lower()))


def visible_area(user: User, code: str) -> Area | None:
    """The area with this code when the user may see it (None: unknown or not theirs)."""
    area = get_by_code(code) if code else None
    return area if area is not None and may_see(user, area) else None


def visible_children(user: User, area: Area) -> list[Area]:
    ids = visible_area_ids(user)
    rows = db.session.scalars(select(Area).where(Area.parent_id == area.id).order_by(Area.name))
    return [a for a in rows if a.id in ids]
