"""Neighbourhood teams and who works where: workers of an area, the team's coordinator."""

from __future__ import annotations

from functools import lru_cache

from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, select

from marketplace.accounts import audit
from marketplace.accounts.models import User, UserRole
from marketplace.areas.models import Area
from marketplace.areas.services import subtree_ids
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.help_requests.access import worker_area_ids
from marketplace.teams.models import Team, TeamMember


def area_workers_for(area_id: int | None) -> list[User]:
    """Active workers whose areas contain this area."""
    if area_id is None:
        return []
    stmt = (select(User).join(UserRole).where(UserRole.role == "worker",
                                              User.is_active.is_(True)).order_by(User.id))
    return [u for u in db.session.scalars(stmt) if area_id in worker_area_ids(u)]


def team_for(area_id: int | None) -> Team | None:
    """The team of the area or of its nearest ancestor that has one."""
    if area_id is None:
        return None
    area = db.session.get(Area, area_id)
    if area is None:
        return None
    teams = {t.area_id: t for t in db.session.scalars(
        select(Team).where(Team.area_id.in_(area.ancestor_ids)))}
    for ancestor_id in reversed(area.ancestor_ids):
        if ancestor_id in teams:
            return teams[ancestor_id]
    return None


def coordinators_for(area_id: int | None) -> list[User]:
    team = team_for(area_id)
    if team is None:
        return []
    return [m.user for m in team.members if m.is_coordinator and m.user.is_active]


TEAM_KINDS = ("municipality", "district", "core")
NAME_MAX = 120


def save_team(area: Area, name: str) -> Team:
    if area.kind not in TEAM_KINDS:
        raise DomainError(_("Een wijkteam hoort bij een gemeente, wijk of kern."), field="area")
    name = name.strip()
    if len(name) > NAME_MAX:
        raise DomainError(_("Gebruik voor de naam hooguit 120 tekens."), field="name")
    team = db.session.scalar(select(Team).where(Team.area_id == area.id))
    if team is None:
        team = Team(area_id=area.id, name=name or area.name)
        db.session.add(team)
    else:
        team.name = name or team.name
    db.session.flush()
    return team


def create_team(area: Area, name: str) -> Team:
    """A new team; an area has at most one."""
    if db.session.scalar(select(Team.id).where(Team.area_id == area.id)) is not None:
        raise DomainError(_("%(area)s heeft al een wijkteam.", area=area.name), field="area")
    return save_team(area, name)


def all_teams() -> list[Team]:
    return list(db.session.scalars(select(Team).join(Area).order_by(Area.path, Team.name)))


def get_team(team_id: int) -> Team | None:
    return db.session.get(Team, team_id) if 0 < team_id <= 2**31 - 1 else None


def candidate_members(team: Team) -> list[User]:
    """Active workers who work in the team's area: for it, above it or in a part of it."""
    inside = subtree_ids([team.area])
    above = set(team.area.ancestor_ids)
    stmt = (select(User).join(UserRole).where(UserRole.role == "worker",
                                              User.is_active.is_(True)).order_by(User.name))
    return [u for u in db.session.scalars(stmt)
            if any(a.id in inside or a.id in above for a in u.areas)]


def remove_member(team: Team, user_id: int, *, actor_id: int | None = None) -> None:
    member = next((m for m in team.members if m.user_id == user_id), None)
    if member is None:
        raise DomainError(_("Deze persoon zit niet in het wijkteam."))
    team.members.remove(member)
    audit.record("team.member_removed", actor_id=actor_id, subject_user_id=user_id,
                 object_type="team", object_id=team.id)
    db.session.flush()


@lru_cache(maxsize=1)
def _coordinated_by() -> Select:
    # Built once (the worklist asks it twice per view): docs/performance.md, seventh round.
    return (select(Team).join(TeamMember)
            .where(TeamMember.user_id == bindparam("user_id"),
                   TeamMember.is_coordinator.is_(True))
            .order_by(Team.name))


def coordinated_by(user: User) -> list[Team]:
    """The teams this worker coordinates."""
    return list(db.session.scalars(_coordinated_by(), {"user_id": user.id}))


def set_member(team: Team, user: User, *, coordinator: bool = False,
               actor_id: int | None = None) -> TeamMember:
    """Add a worker to the team, or change whether they coordinate it."""
    if not user.has_role("worker"):
        raise DomainError(_("Alleen welzijnswerkers kunnen in een wijkteam."), field="user_id")
    member = next((m for m in team.members if m.user_id == user.id), None)
    if member is None:
        member = TeamMember(user_id=user.id, is_coordinator=coordinator)
        team.members.append(member)
    member.is_coordinator = coordinator
    audit.record("team.member_set", actor_id=actor_id, subject_user_id=user.id,
                 object_type="team", object_id=team.id, detail={"coordinator": coordinator})
    db.session.flush()
    return member


def teams_of(user: User) -> list[Team]:
    stmt = select(Team).join(TeamMember).where(TeamMember.user_id == user.id)
    return list(db.session.scalars(stmt))
