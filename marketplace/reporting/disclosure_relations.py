"""Relations for linked tables: an area tree × a period tree × indicator totals.

Cells are keyed ``(area, period, indicator)``. Every identity that holds between the counts
becomes a `Relation`, so suppression and audit see the same links an attacker would use.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence

from .disclosure_table import Relation

Key = tuple[Hashable, Hashable, Hashable]


def hierarchy_relations(
    areas: Mapping[Hashable, Sequence[Hashable]],
    periods: Mapping[Hashable, Sequence[Hashable]],
    indicators: Mapping[Hashable, Sequence[Hashable]],
    cells: Collection[Key],
    *,
    indicator_bounds: Mapping[Hashable, Sequence[Hashable]] | None = None,
    keep_parts: Collection[Hashable] = (),
) -> list[Relation]:
    """Every relation among ``cells`` (the keys of the counts that will be published).

    - ``areas``: parent → children (region → municipalities → districts), any depth; a
      parent's count is the sum of its children's.
    - ``periods``: period → sub-periods (year → quarters); a period's count is their sum.
    - ``indicators``: total indicator → its parts, an exact identity
      (e.g. ``"closed": ("solved_own_network", …, "referred", "not_solved")``).
    - ``indicator_bounds``: total indicator → parts that do not cover every case, so that
      only ``total >= sum(parts)`` holds (e.g. ``"requests"`` over the ``solved_*`` counts).
    - ``keep_parts``: the parent areas whose relations hide the total rather than the last
      shown part (``Relation.keep_parts``; a region keeps its municipalities' figures).

    When a part is missing from ``cells`` (not published) the identity still tells the
    attacker ``total >= sum(shown parts)``, so it becomes an inexact relation; a relation
    whose total is missing tells nothing and is left out.
    """
    present = set(cells)
    area_list = _ordered(c[0] for c in cells)
    period_list = _ordered(c[1] for c in cells)
    indicator_list = _ordered(c[2] for c in cells)
    relations: list[Relation] = []

    def add(total: Key, parts: list[Key], exact: bool, keep_parts: bool = False) -> None:
        if total not in present:
            return
        shown = [p for p in parts if p in present]
        if shown:
            relations.append(Relation(total, tuple(shown), exact and len(shown) == len(parts),
                                      keep_parts))

    for parent, children in areas.items():
        for period in period_list:
            for indicator in indicator_list:
                add((parent, period, indicator),
                    [(child, period, indicator) for child in children], True,
                    parent in keep_parts)
    for period, subperiods in periods.items():
        for area in area_list:
            for indicator in indicator_list:
                add((area, period, indicator),
                    [(area, sub, indicator) for sub in subperiods], True)
    for groups, exact in ((indicators, True), (indicator_bounds or {}, False)):
        for total, parts in groups.items():
            for area in area_list:
                for period in period_list:
                    add((area, period, total), [(area, period, p) for p in parts], exact)
    return relations


def _ordered(items: object) -> list[Hashable]:
    return list(dict.fromkeys(items))  # type: ignore[call-overload]
