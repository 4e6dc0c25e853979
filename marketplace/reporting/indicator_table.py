"""The protected year table of one area tree: every family query run once over the tree
and the year, summed up the tree, and disclosure control decided once over the linked
tables (indicators.py reads reports out of it; snapshots.py keeps it).

Every area with the areas below it, the year with its quarters, and the identities between
the counts (closed = the solved_* counts + referred + not solved) are protected together:
whichever area or quarter of the tree is asked, the same cells are hidden.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from marketplace.clock import now as clock_now
from marketplace.reporting import queries, queries_collective, queries_volunteers
from marketplace.reporting.definitions import (
    BOUNDS,
    CELLS,
    COMPLEMENTS,
    EXACT,
    MORE_BOUNDS,
    TIED,
)
from marketplace.reporting.detail import protect_facts
from marketplace.reporting.disclosure import Relation, Rules, hierarchy_relations
from marketplace.reporting.periods import (
    ALL,
    PERIOD_RELATIONS,
    QUARTERS,
    QUARTERS_OF,
    Table,
    part_start,
    parts_of_bucket,
)

# An area id; ("rest", id): what lies in the area but in no area below; ("empty", id): the
# areas below it without any record in the year, together (collect).
AreaKey = Hashable


@dataclass(frozen=True)
class AreaRef:
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    path: str


class _Tree:
    def __init__(self, refs: list[AreaRef], direct: set[int]) -> None:
        self.refs = {r.id: r for r in refs}
        self.children: dict[int, list[int]] = defaultdict(list)
        for ref in sorted(refs, key=lambda r: r.name.lower()):
            if ref.parent_id in self.refs:
                self.children[ref.parent_id].append(ref.id)
        self.direct = direct
        # Where a row of a most specific area counts: the area, its ancestors in the tree,
        # and the "rest" of the area itself when it has areas below it.
        self.targets: dict[int, list[AreaKey]] = {}
        for ref in refs:
            keys: list[AreaKey] = [int(p) for p in ref.path.strip("/").split("/")
                                   if p and int(p) in self.refs]
            if self.children.get(ref.id):
                keys.append(("rest", ref.id))
            self.targets[ref.id] = keys

    def groups(self, rest_used: set[int]) -> dict[AreaKey, list[AreaKey]]:
        out: dict[AreaKey, list[AreaKey]] = {}
        for parent, kids in self.children.items():
            parts: list[AreaKey] = list(kids)
            if parent in self.direct or parent in rest_used:
                parts.append(("rest", parent))
            out[parent] = parts
        return out


@dataclass
class Facts:
    """One protected year table of one area tree: what a report is read from, and what a
    snapshot keeps (snapshots.py)."""

    refs: list[AreaRef]
    direct: set[int]
    rest_used: set[int]
    cells: dict[tuple[AreaKey, str, str], int]
    suppressed: frozenset[Hashable]
    hist: dict[tuple[AreaKey, str], Counter[int]]
    sums: dict[tuple[AreaKey, str], dict[str, int]]
    # (area, part) → (active volunteers, of them retained)
    active: dict[tuple[AreaKey, str], tuple[int, int]]
    rules: Rules
    computed_at: datetime
    # The detail published (protect_facts): the deepest area level (0 = the top area of
    # the tree; None = every level) and whether the quarters are published besides the year.
    depth: int | None = None
    quarters: bool = True

    @property
    def tree(self) -> _Tree:
        return _Tree(self.refs, self.direct)

    def above_municipalities(self) -> set[int]:
        """The areas with municipalities below them (a region). The municipality is the
        unit a report is made for (the year plan, the council), so where the rules must
        choose between a region and its one large municipality, the region is hidden."""
        return {r.parent_id for r in self.refs
                if r.kind == "municipality" and r.parent_id is not None}

    def relations(self) -> list[Relation]:
        tree = self.tree
        area_keys = {key[0] for key in self.cells}
        metrics = {key[2] for key in self.cells}
        # The empty areas under a parent count as one ("empty", parent); a level not
        # published leaves its parent standing alone.
        groups = {parent: kept for parent, kids in tree.groups(self.rest_used).items()
                  if parent in area_keys
                  and (kept := [c for c in (*kids, ("empty", parent)) if c in area_keys])}
        exact = {total: tuple(p for p in parts if p in metrics) for total, parts in EXACT.items()}
        parts = sorted({key[1] for key in self.cells})
        # The empty parts left out are known zeros: the rest still add up exactly.
        periods = {total: tuple(p for p in subs if p in parts)
                   for total, subs in PERIOD_RELATIONS.items() if total in parts}
        relations = hierarchy_relations(
            areas=groups,
            periods={t: subs for t, subs in periods.items() if subs},
            indicators=exact, indicator_bounds=BOUNDS, cells=self.cells.keys(),
            keep_parts=self.above_municipalities())
        relations = [replace(r, ties=True, keep_parts=True) if _tied(r) else r
                     for r in relations]
        relations += [Relation((a, p, total), ((a, p, part),), exact=False)
                      for total, part in MORE_BOUNDS for a in area_keys for p in parts]
        relations += [Relation((a, p, total), ((a, p, numerator), (a, p, others)))
                      for total, numerator, others in COMPLEMENTS
                      for a in area_keys for p in parts if (a, p, others) in self.cells]
        return relations


def _tied(relation: Relation) -> bool:
    """An identity among the counts of one area and part whose total is a share's
    numerator made of published counts (definitions.TIED)."""
    area, part, metric = relation.total  # type: ignore[misc]
    return metric in TIED and all(p[0] == area and p[1] == part  # type: ignore[index]
                                  for p in relation.parts)


def collect(refs: list[AreaRef], table: Table, rules: Rules, today: date) -> Facts:
    """Run every family query once over the tree and the year, sum up, protect."""
    ids = [r.id for r in refs]
    tree = _Tree(refs, queries.direct_postcode_areas(ids))
    counts: dict[tuple[AreaKey, str, str], int] = defaultdict(int)
    hist: dict[tuple[AreaKey, str], Counter[int]] = defaultdict(Counter)
    sums: dict[tuple[AreaKey, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(rows: Iterable[tuple[int, str, dict[str, int]]]) -> None:
        for area_id, bucket, metrics in rows:
            for target in tree.targets.get(area_id, ()):
                for part in parts_of_bucket(bucket, table.parts):
                    for metric, value in metrics.items():
                        if metric in CELL_SET:
                            counts[(target, part, metric)] += value
                        else:
                            sums[(target, part)][metric] += value

    scope = table.period
    add(queries.outcomes(ids, scope))
    add(queries.step_downs(ids, scope))
    support_rows, durations = queries.support(ids, scope)
    add(support_rows)
    add(queries.life_domains(ids, scope))
    add(queries.signals(ids, scope, today))
    add(queries_volunteers.new_volunteers(ids, scope))
    add(queries.reciprocity(ids, scope))
    add(queries_collective.handovers(ids, scope, today))
    add(queries_collective.participation(ids, scope))
    for area_id, bucket, days, n in durations:
        for target in tree.targets.get(area_id, ()):
            for part in parts_of_bucket(bucket, table.parts):
                hist[(target, part)][days] += n
    active = _active(tree, queries_volunteers.active_volunteers(ids, scope), table)
    rest_used = {key[0][1] for key, v in counts.items()
                 if isinstance(key[0], tuple) and v}
    area_keys: list[AreaKey] = list(tree.refs)
    area_keys += [("rest", a) for a in tree.children if a in tree.direct or a in rest_used]
    # "closed_other" (a solved_by value this code does not know) is a structural zero
    # unless it occurs: then it is a hidden part of "closed".
    metrics = CELLS if any(m == "closed_other" and v for (_a, _p, m), v in counts.items()) \
        else tuple(m for m in CELLS if m != "closed_other")
    # A part of the year in which the whole tree has no record at all (a quarter still to
    # come, or one without any activity) is left out: it is known to be empty, publishes
    # nothing about anyone, and the year is then exactly the sum of the other parts.
    root = refs[0].id
    parts = [p for p in table.parts
             if p == ALL or any(counts.get((root, p, m)) for m in metrics)]
    # The areas in which the whole year has no record at all are not listed one by one:
    # per parent they count as one area ("empty", parent) of zeros, suppressed and protected
    # like any other count, so the table stays small and no empty area can be computed back.
    kept = [a for a in area_keys if any(counts.get((a, ALL, m)) for m in metrics)]
    kept_set = set(kept)
    for a in area_keys:
        parent = a[1] if isinstance(a, tuple) else tree.refs[a].parent_id
        if a not in kept_set and parent in kept_set and ("empty", parent) not in kept_set:
            kept.append(("empty", parent))
            kept_set.add(("empty", parent))
    area_keys = kept
    cells = {(a, p, m): counts.get((a, p, m), 0)
             for a in area_keys for p in parts for m in metrics}
    _derive(cells, area_keys, parts)
    facts = Facts(refs, tree.direct, rest_used, cells, frozenset(), hist, sums, active, rules,
                  clock_now())
    protect_facts(facts)
    return facts


# Cells no query counts: what a total holds besides one part (total - part).
DERIVED = (("network_mobilised", "solved_own_network", "network_continued"),
           *COMPLEMENTS)


def _derive(cells: dict[tuple[AreaKey, str, str], int], area_keys: list[AreaKey],
            parts: list[str]) -> None:
    """The network carried on (network mobilised less the own network) and the complement
    of every share (denominator less numerator), per area and part."""
    for total, part, rest in DERIVED:
        for a in area_keys:
            for p in parts:
                cells[(a, p, rest)] = cells[(a, p, total)] - cells[(a, p, part)]


def _active(tree: _Tree, rows: Iterable[tuple[int, int, tuple[bool, ...], Any]],
            table: Table) -> dict[tuple[AreaKey, str], tuple[int, int]]:
    """Distinct active volunteers per area and part, and how many of them had a profile
    before the part began (retained)."""
    people: dict[tuple[AreaKey, str], dict[int, bool]] = defaultdict(dict)
    for area_id, volunteer_id, running, created in rows:
        for part in table.parts:
            if not any(running[QUARTERS.index(q)] for q in QUARTERS_OF[part]):
                continue
            before = created is not None and _naive(created) < part_start(table.period, part)
            for target in tree.targets.get(area_id, ()):
                known = people[(target, part)]
                known[volunteer_id] = known.get(volunteer_id, False) or before
    return {key: (len(v), sum(v.values())) for key, v in people.items()}


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None) if moment.tzinfo else moment


CELL_SET = frozenset(CELLS)
