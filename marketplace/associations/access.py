"""Who may manage an association or activity, and who may see who signed up."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.associations.models import Activity, Association, AssociationMember
from marketplace.extensions import db
from marketplace.help_requests.access import worker_area_ids


def is_member(user: User | None, association: Association | int | None) -> bool:
    if user is None or association is None or not getattr(user, "id", None):
        return False
    association_id = association if isinstance(association, int) else association.id
    stmt = select(AssociationMember.id).where(AssociationMember.association_id == association_id,
                                              AssociationMember.user_id == user.id)
    return db.session.scalar(stmt) is not None


def member_association_ids(user: User) -> set[int]:
    stmt = select(AssociationMember.association_id).where(AssociationMember.user_id == user.id)
    return set(db.session.scalars(stmt))


def is_area_worker_for(user: User | None, area_id: int | None) -> bool:
    return (user is not None and area_id is not None
            and area_id in worker_area_ids(user))


def own_association(association_id: int | None) -> bool:
    """Whether the signed-in association member belongs to this association; if so, its
    pages sit under "Mijn vereniging" in the menu. One query, only for that role."""
    from flask_login import current_user

    from marketplace.main.context import mark_menu_item

    user = current_user
    if association_id is None or not user.is_authenticated or not user.has_role("association"):
        return False
    if not is_member(user, association_id):
        return False
    mark_menu_item("associations.home")
    return True


def can_manage_association(user: User | None, association: Association) -> bool:
    """Members manage their association; admins and workers may add members to any."""
    if user is None:
        return False
    return user.has_role("admin", "worker") or is_member(user, association)


def can_manage(user: User | None, activity: Activity) -> bool:
    """Members of its association; for a welfare-run activity the workers of its area."""
    if user is None:
        return False
    if activity.association_id is not None:
        return (is_member(user, activity.association_id)
                or is_area_worker_for(user, activity.area_id))
    return is_area_worker_for(user, activity.area_id)


def can_see_signups(user: User | None, activity: Activity) -> bool:
    """Names of people signed up: the association's members and the area's workers only."""
    if user is None:
        return False
    return ((activity.association_id is not None and is_member(user, activity.association_id))
            or is_area_worker_for(user, activity.area_id))
