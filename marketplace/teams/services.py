"""Neighbourhood teams and who works where: workers of an area, the team's coordinator."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import User, UserRole
from marketplace.areas.models import Area
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


def save_team(area: Area, name: str) -> Team:
    if area.kind not in ("municipality", "district", "core"):
        raise DomainError("Een wijkteam hoort bij een gemeente, wijk of kern.", field="area")
    team = db.session.scalar(select(Team).where(Team.area_id == area.id))
    if team is None:
        team = Team(area_id=area.id, name=name.strip() or area.name)
        db.session.add(team)
    else:
        team.name = name.strip() or team.name
    db.session.flush()
    return team


def set_member(team: Team, user: User, *, coordinator: bool = False) -> TeamMember:
    if not user.has_role("worker"):
        raise DomainError("Alleen welzijnswerkers kunnen in een wijkteam.", field="user")
    member = next((m for m in team.members if m.user_id == user.id), None)
    if member is None:
        member = TeamMember(user_id=user.id, is_coordinator=coordinator)
        team.members.append(member)
    member.is_coordinator = coordinator
    db.session.flush()
    return member


def teams_of(user: User) -> list[Team]:
    stmt = select(Team).join(TeamMember).where(TeamMember.user_id == user.id)
    return list(db.session.scalars(stmt))
