"""The resident's own network: who around them can help with what."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.categories.models import Category
from marketplace.errors import N_, NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.residents.models import RELATIONS, NetworkMember


def network_of(resident_id: int) -> list[NetworkMember]:
    stmt = select(NetworkMember).where(NetworkMember.resident_id == resident_id).order_by(
        NetworkMember.name, NetworkMember.id)
    return list(db.session.scalars(stmt))


def _validate(name: str, relation: str, can_help: list[str]) -> None:
    errors: dict[str, list[str]] = {}
    if not (name or "").strip():
        errors["name"] = [N_("Vul een naam in (een voornaam is genoeg).")]
    elif len(name) > 120:
        errors["name"] = [N_("Houd de naam korter: hoogstens 120 tekens.")]
    if relation not in RELATIONS:
        errors["relation"] = [N_("Kies wie dit is: familie, buren, vrienden of anders.")]
    known = set(db.session.scalars(select(Category.code)))
    if set(can_help) - known:
        errors["can_help"] = [N_("Onbekende soort hulp.")]
    if errors:
        raise ValidationFailed(errors)


def save_member(resident: User, *, name: str, relation: str, can_help: list[str],
                cannot_help: str | None = None, member_id: int | None = None) -> NetworkMember:
    _validate(name, relation, can_help)
    if member_id is None:
        member = NetworkMember(resident_id=resident.id)
        db.session.add(member)
    else:
        member = get_member(resident, member_id)
    member.name, member.relation = name.strip(), relation
    member.can_help = sorted(set(can_help))
    member.cannot_help = (cannot_help or "").strip() or None
    db.session.flush()
    return member


def get_member(resident: User, member_id: int) -> NetworkMember:
    member = db.session.get(NetworkMember, member_id)
    if member is None or member.resident_id != resident.id:
        raise NotFound(N_("Deze persoon staat niet in uw netwerk."))
    return member


def delete_member(resident: User, member_id: int) -> None:
    db.session.delete(get_member(resident, member_id))
    db.session.flush()


def who_can_help(resident_id: int, category: str) -> list[NetworkMember]:
    """The 0th line first: network members who said they can help with this category."""
    return [m for m in network_of(resident_id) if category in (m.can_help or [])]
