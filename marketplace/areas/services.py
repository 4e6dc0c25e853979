"""Areas, their PC4 codes and the access they give to workers and municipality users."""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import g, has_request_context
from sqlalchemy import or_, select

from marketplace.accounts import audit
from marketplace.areas.models import AREA_KINDS, KIND_LEVEL, Area, AreaPostcode
from marketplace.errors import N_, DomainError, NotFound
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
        raise NotFound(N_("Gebied %(code)s bestaat niet.", code=repr(code)))
    return area


def parse_pc4_list(text: str | Iterable[str]) -> list[str]:
    """'5531, 5527 5528' → ['5527', '5528', '5531']; every code must be a real PC4."""
    parts = re.split(r"[\s,;]+", text) if isinstance(text, str) else list(text)
    codes = sorted({p.strip() for p in parts if p.strip()})
    gazetteer = default_gazetteer()
    bad = [c for c in codes if not re.fullmatch(r"[1-9][0-9]{3}", c) or gazetteer.get(c) is None]
    if bad:
        raise DomainError(
            N_("Deze postcodes bestaan niet: %(postcodes)s. Gebruik de 4 cijfers, zoals 5531.",
               postcodes=', '.join(bad)),
            field="pc4",
        )
    return codes


def _check_fields(code: str, name: str, kind: str) -> None:
    if not CODE_RE.match(code):
        raise DomainError(
            N_("Een code heeft hooguit 40 tekens: letters, cijfers, punt, streep of liggend "
            "streepje."),
            field="code",
        )
    if kind not in AREA_KINDS:
        raise DomainError(N_("Onbekende soort gebied: %(kind)s.", kind=kind), field="kind")
    if not name:
        raise DomainError(N_("Geef het gebied een naam."), field="name")
    if len(name) > NAME_MAX:
        raise DomainError(N_("Gebruik voor de naam hooguit %(max)s tekens.", max=NAME_MAX),
                          field="name")
    if any(ord(char) < 32 for char in name):
        raise DomainError(N_("De naam bevat een teken dat niet mag."), field="name")


def _check_place(area: Area | None, kind: str, parent: Area | None) -> None:
    """The parent sits on a higher level, outside the area's own subtree; children below."""
    if parent is not None:
        if area is not None and (parent.id == area.id or f"/{area.id}/" in parent.path):
            raise DomainError(
                N_("Een gebied kan niet onder zichzelf of onder een eigen deelgebied vallen."),
                field="parent",
            )
        if KIND_LEVEL[parent.kind] >= KIND_LEVEL[kind]:
            raise DomainError(
                N_("Een %(kind)s kan niet onder een %(parent)s vallen. Kies een groter gebied.",
                   kind=KIND_NAMES[kind], parent=KIND_NAMES[parent.kind]),
                field="parent",
            )
    for child in area.children if area is not None else ():
        if KIND_LEVEL[child.kind] <= KIND_LEVEL[kind]:
            raise DomainError(
                N_("Dit gebied kan geen %(kind)s worden: de %(child_kind)s %(child)s valt eronder.",
                   kind=KIND_NAMES[kind], child_kind=KIND_NAMES[child.kind], child=child.name),
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
    forget_subtrees()
    codes = parse_pc4_list(pc4)
    parent = get_by_code(parent_code) if parent_code else None
    if parent_code and parent is None:
        raise DomainError(N_("Het gebied %(code)s bestaat niet.", code=parent_code.strip()),
                          field="parent")
    same_code = get_by_code(code)
    if area is None:
        area = same_code
    elif same_code is not None and same_code.id != area.id:
        raise DomainError(N_("Er is al een gebied met deze code."), field="code")
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


def forget_subtrees() -> None:
    """The area tree changes: subtree_ids asks the database again."""
    if has_request_context():
        g.pop("_subtree_ids", None)


def subtree_ids(areas: Iterable[Area]) -> set[int]:
    """Ids of these areas and every area below them.

    Remembered for the rest of a web request (authorisation asks it many times per page, for
    the same user's areas); save_area forgets it. Outside a request it is always queried."""
    areas = list(areas)
    if not areas:
        return set()
    memo = g.setdefault("_subtree_ids", {}) if has_request_context() else {}
    key = tuple(sorted(a.path for a in areas))
    if key not in memo:
        conditions = [Area.path.like(f"{path}%") for path in key]
        memo[key] = frozenset(db.session.scalars(select(Area.id).where(or_(*conditions))))
    return set(memo[key])


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
