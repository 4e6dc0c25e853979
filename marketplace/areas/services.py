"""Areas, their PC4 codes and the access they give to workers and municipality users."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import or_, select

from marketplace.accounts import audit
from marketplace.areas.models import AREA_KINDS, KIND_LEVEL, Area, AreaPostcode
from marketplace.errors import DomainError, NotFound
from marketplace.extensions import db
from marketplace.geo import InvalidPostcode, default_gazetteer, parse_postcode

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
NAME_MAX = 120
# The kinds as people call them, for messages (the form labels live in admin/forms.py).
KIND_NAMES = {"region": "regio", "municipality": "gemeente", "district": "wijk",
              "core": "kern", "neighbourhood": "buurt"}


def get_by_code(code: str) -> Area | None:
    return db.session.scalar(select(Area).where(Area.code == code.strip()))


def require_by_code(code: str) -> Area:
    area = get_by_code(code)
    if area is None:
        raise NotFound(f"Gebied {code!r} bestaat niet.")
    return area


def parse_pc4_list(text: str | Iterable[str]) -> list[str]:
    """'5531, 5527 5528' → ['5527', '5528', '5531']; every code must be a real PC4."""
    parts = re.split(r"[\s,;]+", text) if isinstance(text, str) else list(text)
    codes = sorted({p.strip() for p in parts if p.strip()})
    gazetteer = default_gazetteer()
    bad = [c for c in codes if not re.fullmatch(r"[1-9][0-9]{3}", c) or gazetteer.get(c) is None]
    if bad:
        raise DomainError(
            f"Deze postcodes bestaan niet: {', '.join(bad)}. Gebruik de 4 cijfers, zoals 5531.",
            field="pc4",
        )
    return codes


def _check_fields(code: str, name: str, kind: str) -> None:
    if not CODE_RE.match(code):
        raise DomainError(
            "Een code heeft hooguit 40 tekens: letters, cijfers, punt, streep of liggend "
            "streepje.",
            field="code",
        )
    if kind not in AREA_KINDS:
        raise DomainError(f"Onbekende soort gebied: {kind}.", field="kind")
    if not name:
        raise DomainError("Geef het gebied een naam.", field="name")
    if len(name) > NAME_MAX:
        raise DomainError(f"Gebruik voor de naam hooguit {NAME_MAX} tekens.", field="name")
    if any(ord(char) < 32 for char in name):
        raise DomainError("De naam bevat een teken dat niet mag.", field="name")


def _check_place(area: Area | None, kind: str, parent: Area | None) -> None:
    """The parent sits on a higher level, outside the area's own subtree; children below."""
    if parent is not None:
        if area is not None and (parent.id == area.id or f"/{area.id}/" in parent.path):
            raise DomainError(
                "Een gebied kan niet onder zichzelf of onder een eigen deelgebied vallen.",
                field="parent",
            )
        if KIND_LEVEL[parent.kind] >= KIND_LEVEL[kind]:
            raise DomainError(
                f"Een {KIND_NAMES[kind]} kan niet onder een {KIND_NAMES[parent.kind]} vallen. "
                "Kies een groter gebied.",
                field="parent",
            )
    for child in area.children if area is not None else ():
        if KIND_LEVEL[child.kind] <= KIND_LEVEL[kind]:
            raise DomainError(
                f"Dit gebied kan geen {KIND_NAMES[kind]} worden: "
                f"de {KIND_NAMES[child.kind]} {child.name} valt eronder.",
                field="kind",
            )


def save_area(
    code: str,
    name: str,
    kind: str,
    *,
    parent_code: str | None = None,
    pc4: Iterable[str] = (),
    actor_id: int | None = None,
    area: Area | None = None,
) -> Area:
    """Create or update an area (idempotent); the listed PC4 codes now belong to it.

    Without `area` the code says which area is meant. With `area` (the edit form) that area
    is updated, and its code may change as long as no other area has the new code.
    """
    code, name = code.strip(), name.strip()
    _check_fields(code, name, kind)
    codes = parse_pc4_list(pc4)
    parent = get_by_code(parent_code) if parent_code else None
    if parent_code and parent is None:
        raise DomainError(f"Het gebied {parent_code.strip()} bestaat niet.", field="parent")
    same_code = get_by_code(code)
    if area is None:
        area = same_code
    elif same_code is not None and same_code.id != area.id:
        raise DomainError("Er is al een gebied met deze code.", field="code")
    _check_place(area, kind, parent)
    created = area is None
    before = None if area is None else (area.code, area.name, area.kind, area.parent_id)
    if area is None:
        area = Area(code=code, name=name, kind=kind)
        db.session.add(area)
    area.code, area.name, area.kind, area.parent = code, name, kind, parent
    db.session.flush()
    _refresh_paths(area)
    moved = assign_postcodes(area, codes)
    if created or moved or before != (area.code, area.name, area.kind, area.parent_id):
        audit.record(
            "area.created" if created else "area.updated",
            actor_id=actor_id,
            object_type="area",
            object_id=area.id,
            detail={"code": code, "pc4": codes},
        )
    return area


def _refresh_paths(area: Area) -> None:
    """Recompute the materialised path of an area and its whole subtree."""
    area.path = (area.parent.path if area.parent else "/") + f"{area.id}/"
    for child in area.children:
        _refresh_paths(child)
    db.session.flush()


def assign_postcodes(area: Area, codes: Iterable[str]) -> int:
    """Move these PC4 codes to `area`; returns how many changed.

    A PC4 already in a sub-area of `area` stays there: it belongs to `area` through it.
    """
    changed = 0
    for pc4 in parse_pc4_list(codes):
        row = db.session.get(AreaPostcode, pc4)
        if row is None:
            db.session.add(AreaPostcode(pc4=pc4, area=area))
            changed += 1
        elif row.area_id != area.id and f"/{area.id}/" not in row.area.path:
            row.area = area  # through the relationship, so loaded collections follow
            changed += 1
    db.session.flush()
    return changed


def set_postcodes(area: Area, codes: Iterable[str]) -> int:
    """Admin form: exactly these PC4 codes are mapped directly to this area."""
    wanted = set(parse_pc4_list(codes))
    removed = 0
    for row in list(area.postcodes):
        if row.pc4 not in wanted:
            db.session.delete(row)
            removed += 1
    db.session.flush()
    return removed + assign_postcodes(area, wanted)


def subtree_ids(areas: Iterable[Area]) -> set[int]:
    """Ids of these areas and every area below them."""
    areas = list(areas)
    if not areas:
        return set()
    conditions = [Area.path.like(f"{a.path}%") for a in areas]
    return set(db.session.scalars(select(Area.id).where(or_(*conditions))))


def area_for_pc4(postcode: str) -> Area | None:
    """The most specific area holding a PC4; "5531", "5531 AB" and "5531ab" all work."""
    try:
        pc4 = parse_postcode(postcode).pc4
    except InvalidPostcode:
        return None
    row = db.session.get(AreaPostcode, pc4)
    return row.area if row else None


def pc4s_in(area: Area) -> list[str]:
    ids = subtree_ids([area])
    stmt = select(AreaPostcode.pc4).where(AreaPostcode.area_id.in_(ids)).order_by(AreaPostcode.pc4)
    return list(db.session.scalars(stmt))


def all_areas() -> list[Area]:
    return list(db.session.scalars(select(Area).order_by(Area.path)))


def tree() -> list[tuple[Area, int]]:
    """All areas as (area, depth), each parent directly followed by its children by name."""
    areas = all_areas()
    by_parent: dict[int | None, list[Area]] = {}
    for area in areas:
        by_parent.setdefault(area.parent_id, []).append(area)
    out: list[tuple[Area, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for area in sorted(by_parent.get(parent_id, []), key=lambda a: a.name.lower()):
            out.append((area, depth))
            walk(area.id, depth + 1)

    walk(None, 0)
    return out
