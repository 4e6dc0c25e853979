"""How much detail a year table publishes (docs/indicators.md, "Privacy: suppression").

A table that is not sparse is published whole. A sparse one is published with less detail:
without its quarters, or without its deepest levels of areas, down to the top area over the
whole year (`protect_facts`); the gap table likewise by levels of areas (`protect_areas`).
Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

from marketplace.reporting.disclosure import Relation, Rules, protect
from marketplace.reporting.periods import ALL

if TYPE_CHECKING:
    from marketplace.reporting.indicator_table import AreaKey, AreaRef, Facts

L = TypeVar("L")
R = TypeVar("R")

# A sparse table (nearly every count small) is published with less detail, so that the
# relation rules leave at most this many counts hidden for the LP check, whose cost grows
# with them (about 20 s at 2,000, well under a second at 750: docs/indicators.md).
MAX_HIDDEN = 1000
# The counts behind the first figures of the results page (requests, the share solved in
# the 0th line), by which the levels of detail are compared first.
MAIN_CELLS = frozenset({"requests", "closed", "zero_line"})
# When the relation rules alone already hide more than this share of a table (sparse data:
# nearly every count is small), it is published with less detail (protect_facts; the gap
# table: gaps.py, with fewer levels of areas).
SPARSE_SHARE = 0.75


def protect_facts(facts: Facts) -> None:
    """Decide what of `facts.cells` is published, and with it the suppressed cells.

    A table that is not sparse is published whole, as before. A sparse one (its relation
    rules alone hide more than SPARSE_SHARE of the counts) is published at the level of
    detail that, after the full check, shows the most of the municipalities' main counts
    (MAIN_CELLS), then the most counts in all. The levels: the whole table,
    then without the quarters, then without the deepest level of areas (with and without
    quarters), and so on up to the top area over the whole year. A level whose rules alone
    leave more than MAX_HIDDEN counts hidden is skipped (the LP check would take minutes);
    the top area over the year is always possible. A cell left out is not published at all,
    so the relations and the LP check see exactly what is shown; a report reads it as
    suppressed (indicators._View.count)."""
    full, rules = facts.cells, facts.rules
    memo_key = ("indicators", tuple(full.items()), tuple(facts.refs), frozenset(facts.direct),
                frozenset(facts.rest_used), rules, MAX_HIDDEN)
    depth, quarters, suppressed = _remember(memo_key, lambda: _choose(facts))
    facts.depth, facts.quarters, facts.suppressed = depth, quarters, suppressed
    facts.cells = _level(full, facts, depth, quarters)


def protect_areas(refs: list[AreaRef], full: dict[Hashable, int],
                  relations_of: Callable[[dict[Hashable, int]], list[Relation]], rules: Rules,
                  memo: tuple[Hashable, ...]) -> tuple[dict[Hashable, int], frozenset[Hashable]]:
    """The cells of a table keyed (area key, …) that are published, and the suppressed ones
    among them: the whole table when it is not sparse, else the level of areas (without the
    deepest level, and so on up to the top area) that shows the most of the municipalities'
    counts after the full check (`choose`). Used for the gap table (gaps.py). `memo`: what,
    beside the counts and the rules, decides the relations (kept for the last few tables)."""
    of_area = area_depths(refs)

    def depth(area: Hashable) -> int:
        return of_area[area[1]] + 1 if isinstance(area, tuple) else of_area[area]

    def level(d: int) -> dict[Hashable, int]:
        return {k: v for k, v in full.items() if depth(k[0]) <= d}

    municipalities = {r.id for r in refs if r.kind == "municipality"}

    def score(cells: dict[Hashable, int], hidden: frozenset[Hashable]) -> tuple[int, int]:
        return (sum(1 for k in cells if k[0] in municipalities and k not in hidden),
                len(cells) - len(hidden))

    def chosen() -> tuple[dict[Hashable, int], frozenset[Hashable]]:
        deepest = max((depth(k[0]) for k in full), default=0)
        levels = [(d, level(d)) for d in range(deepest, -1, -1)]
        d, suppressed = choose(levels, relations_of, rules, score)
        return dict(levels)[d], suppressed

    return _remember((*memo, tuple(full.items()), rules, MAX_HIDDEN), chosen)


# The level chosen for the last few tables (a view of a small tree computes it live).
_CHOSEN: dict[tuple, Any] = {}
_CHOSEN_LOCK = threading.Lock()


def _remember(key: tuple, compute: Callable[[], R]) -> R:
    """compute(), kept for the last 32 keys. Deterministic: two threads computing the same
    key at once get the same answer."""
    with _CHOSEN_LOCK:
        if key in _CHOSEN:
            return _CHOSEN[key]
    value = compute()
    with _CHOSEN_LOCK:
        _CHOSEN[key] = value
        while len(_CHOSEN) > 32:
            _CHOSEN.pop(next(iter(_CHOSEN)))
    return value


def _level(full: dict, facts: Facts, depth: int | None, quarters: bool) -> dict:
    if depth is None and quarters:
        return full
    depths = _key_depths(facts, full)
    return {k: v for k, v in full.items()
            if (depth is None or depths[k[0]] <= depth) and (quarters or k[1] == ALL)}


def _key_depths(facts: Facts, cells: dict) -> dict[AreaKey, int]:
    of_area = area_depths(facts.refs)
    return {key: of_area[key[1]] + 1 if isinstance(key, tuple) else of_area[key]
            for key in {k[0] for k in cells}}


def _choose(facts: Facts) -> tuple[int | None, bool, frozenset[Hashable]]:
    full = facts.cells
    deepest = max(_key_depths(facts, full).values(), default=0)
    municipalities = {r.id for r in facts.refs if r.kind == "municipality"}
    has_quarters = any(k[1] != ALL for k in full)
    levels = []
    for d in range(deepest, -1, -1):
        depth = None if d == deepest else d
        for quarters in ((True, False) if has_quarters else (True,)):
            levels.append(((depth, quarters), _level(full, facts, depth, quarters)))

    def relations(cells: dict) -> list:
        facts.cells = cells
        return facts.relations()

    def score(cells: dict, hidden: frozenset[Hashable]) -> tuple[int, int]:
        """Better: more of the municipalities' main counts shown (the unit a report is made
        for), then more counts in all; on a tie, the more detailed level stays."""
        return (sum(1 for key in cells if key[0] in municipalities
                    and key[2] in MAIN_CELLS and key not in hidden),
                len(cells) - len(hidden))

    try:
        (depth, quarters), suppressed = choose(levels, relations, facts.rules, score)
    finally:
        facts.cells = full
    return depth, quarters or not has_quarters, suppressed


def choose(levels: list[tuple[L, dict[Hashable, int]]],
           relations_of: Callable[[dict[Hashable, int]], list[Relation]], rules: Rules,
           score: Callable[[dict[Hashable, int], frozenset[Hashable]], tuple[int, ...]],
           ) -> tuple[L, frozenset[Hashable]]:
    """The level of detail to publish, and its suppressed cells.

    `levels`: (label, cells) from the whole table down to the least detail. The whole table
    is published when it is not sparse (the relation rules alone hide at most SPARSE_SHARE of
    it). Else the level with the best `score(cells, suppressed)` after the full check wins;
    a level whose rules alone hide more than MAX_HIDDEN counts is skipped (unless it is the
    last and nothing was found), and a level that cannot beat the best so far is not checked:
    the check only hides more, so what the rules alone leave shown bounds the score."""
    best: tuple[tuple[int, ...], L, frozenset[Hashable]] | None = None
    for n, (label, cells) in enumerate(levels):
        relations = relations_of(cells)
        quick = protect(cells, relations, rules, verify=False)
        whole = n == 0 and len(quick) <= SPARSE_SHARE * len(cells)
        if not whole and len(quick) > MAX_HIDDEN and (n < len(levels) - 1 or best):
            continue
        if best is not None and score(cells, quick) <= best[0]:
            continue
        suppressed = protect(cells, relations, rules)
        if whole:
            return label, suppressed
        shown = score(cells, suppressed)
        if best is None or shown > best[0]:
            best = (shown, label, suppressed)
    assert best is not None, "no level of detail (an empty list of levels)"
    return best[1], best[2]


def area_depths(refs: list[AreaRef]) -> dict[int, int]:
    """How deep each area lies in its tree: 0 for the top area (a "rest" key lies one
    deeper than its area)."""
    ids = {r.id for r in refs}
    return {r.id: sum(1 for p in r.path.strip("/").split("/") if p and int(p) in ids) - 1
            for r in refs}
