"""Table builders shared by the disclosure tests (plain data, no app)."""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Mapping, Sequence

from marketplace.reporting.disclosure import Relation, hierarchy_relations

TOTAL = "T"


def two_way(rows: Sequence[Sequence[int]]) -> tuple[dict[Hashable, int], list[Relation]]:
    """A table with row totals, column totals and a grand total, keyed (row, column)."""
    counts: dict[Hashable, int] = {}
    n_rows, n_cols = len(rows), len(rows[0])
    for i, j in itertools.product(range(n_rows), range(n_cols)):
        counts[(i, j)] = rows[i][j]
    for i in range(n_rows):
        counts[(i, TOTAL)] = sum(rows[i])
    for j in range(n_cols):
        counts[(TOTAL, j)] = sum(rows[i][j] for i in range(n_rows))
    counts[(TOTAL, TOTAL)] = sum(map(sum, rows))
    relations = [Relation((i, TOTAL), tuple((i, j) for j in range(n_cols))) for i in range(n_rows)]
    relations += [Relation((TOTAL, j), tuple((i, j) for i in range(n_rows))) for j in range(n_cols)]
    relations += [
        Relation((TOTAL, TOTAL), tuple((i, TOTAL) for i in range(n_rows))),
        Relation((TOTAL, TOTAL), tuple((TOTAL, j) for j in range(n_cols))),
    ]
    return counts, relations


def cube(
    leaves: Mapping[tuple[Hashable, Hashable, Hashable], int],
    areas: Mapping[Hashable, Sequence[Hashable]],
    periods: Mapping[Hashable, Sequence[Hashable]],
    indicators: Mapping[Hashable, Sequence[Hashable]] | None = None,
) -> tuple[dict[Hashable, int], list[Relation]]:
    """Counts (area, period, indicator) summed up every hierarchy, with their relations.

    ``leaves`` holds the counts of leaf areas, leaf periods and part indicators; totals of
    areas, periods and indicators are added. Trees are parent -> children, any depth.
    """
    counts: dict[Hashable, int] = dict(leaves)
    keys = list(leaves)
    area_set = {k[0] for k in keys} | set(areas)
    period_set = {k[1] for k in keys} | set(periods)
    indicator_set = {k[2] for k in keys} | set(indicators or {})

    def value(area: Hashable, period: Hashable, indicator: Hashable) -> int:
        key = (area, period, indicator)
        if key not in counts:
            if area in areas:
                counts[key] = sum(value(c, period, indicator) for c in areas[area])
            elif period in periods:
                counts[key] = sum(value(area, p, indicator) for p in periods[period])
            elif indicators and indicator in indicators:
                counts[key] = sum(value(area, period, i) for i in indicators[indicator])
            else:
                counts[key] = 0
        return counts[key]

    for key in itertools.product(sorted(area_set, key=str), sorted(period_set, key=str),
                                 sorted(indicator_set, key=str)):
        value(*key)
    relations = hierarchy_relations(areas, periods, indicators or {}, counts.keys())
    return counts, relations


def brute_force_interval(
    counts: Mapping[Hashable, int], relations: Sequence[Relation], suppressed: set[Hashable],
    cell: Hashable, limit: int,
) -> tuple[int, int]:
    """Smallest and largest value of ``cell`` over every whole-number table that agrees with
    the shown counts and the relations (each suppressed cell tried from 0 to ``limit``)."""
    hidden = sorted(suppressed, key=str)
    values = []
    for guess in itertools.product(range(limit + 1), repeat=len(hidden)):
        table = {**counts, **dict(zip(hidden, guess, strict=True))}
        if all(
            table[r.total] == sum(table[p] for p in r.parts) if r.exact
            else table[r.total] >= sum(table[p] for p in r.parts)
            for r in relations
        ):
            values.append(table[cell])
    return min(values), max(values)
