"""Disclosure audit helpers without solvers: which suppressed cells hang together, and
outer bounds by propagation (every solution lies within them).

Pure: numpy only.
"""

from __future__ import annotations

import math

import numpy as np

from .disclosure_table import Table

SWEEPS = 30
_EPS = 1e-6


def components(table: Table, hidden: list[bool]) -> list[list[int]]:
    """Hidden cells grouped by relations that join them (union-find), in cell order."""
    parent = list(range(table.size))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in table.rows:
        members = [c for c in row if hidden[c]]
        for other in members[1:]:
            ra, rb = find(members[0]), find(other)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for cell in range(table.size):
        if hidden[cell]:
            groups.setdefault(find(cell), []).append(cell)
    return list(groups.values())


def propagate(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Outer bounds by bound propagation: each row bounds each of its cells by the bounds of
    the others, rounded to whole numbers, repeated until nothing changes (or a cap)."""
    n = a.shape[1]
    lo, hi = np.zeros(n), np.full(n, math.inf)
    if not a.size:
        return lo, hi
    pos, neg = a > 0, a < 0
    bb = b[:, None]
    for _ in range(SWEEPS):
        infinite = np.isinf(hi)
        hi_fin = np.where(infinite, 0.0, hi)
        # Each cell's least and greatest contribution to its row (a is +1 or -1).
        own_min = np.where(pos, lo, 0.0) - np.where(neg, hi_fin, 0.0)
        own_max = np.where(pos, hi_fin, 0.0) - np.where(neg, lo, 0.0)
        own_min_inf, own_max_inf = neg & infinite, pos & infinite
        rest_min = np.where(
            own_min_inf.sum(1)[:, None] - own_min_inf > 0, -math.inf,
            own_min.sum(1)[:, None] - own_min,
        )
        rest_max = np.where(
            own_max_inf.sum(1)[:, None] - own_max_inf > 0, math.inf,
            own_max.sum(1)[:, None] - own_max,
        )
        upper = np.where(pos, bb - rest_min, np.where(neg, rest_max - bb, math.inf)).min(0)
        lower = np.where(pos, bb - rest_max, np.where(neg, rest_min - bb, -math.inf)).max(0)
        new_hi = np.minimum(hi, np.floor(upper + _EPS))
        new_lo = np.maximum(lo, np.ceil(lower - _EPS))
        if np.array_equal(new_hi, hi) and np.array_equal(new_lo, lo):
            break
        lo, hi = new_lo, new_hi
    return lo, hi
