"""Interval audit: what an attacker can derive about each suppressed cell.

The attacker knows every published count exactly, every relation, and that counts are whole
numbers of at least 0. For a suppressed cell the smallest and largest value consistent with
all of that is found by linear programming (scipy's HiGHS through ``linprog``); when the LP
optimum is not a whole-number point, ``milp`` gives the exact bound over whole numbers, so
the interval is never wider than what a patient attacker with an integer solver would find.

The problem splits into independent pieces: suppressed cells linked by relations through
other suppressed cells (a *component*); shown cells are constants. Each piece is solved on
its own, which keeps the programs small.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .disclosure_bounds import components, propagate
from .disclosure_table import Table

_EPS = 1e-6
_PROBE_ROUNDS = 16


@dataclass(frozen=True)
class Bound:
    """The derivable interval of one cell and the relations that pin each end (LP duals)."""

    lo: float
    hi: float
    lo_rows: tuple[int, ...]
    hi_rows: tuple[int, ...]


@dataclass
class _System:
    """``a x = b, x >= 0`` over the hidden ``cells``; ``rows`` are the table's row numbers.

    Two intervals per cell bracket the true one: *seen* (values met in whole-number
    solutions, so the attacker cannot rule them out: inner) and *outer* (bounds that hold
    for every solution, from propagating the rows: outer). Where they meet, the interval
    is known exactly and no program of its own is needed.
    """

    cells: list[int]
    rows: list[int]
    a: np.ndarray
    b: np.ndarray
    seen_lo: np.ndarray
    seen_hi: np.ndarray
    outer_lo: np.ndarray
    outer_hi: np.ndarray
    blocks: list[tuple[slice, slice]] = field(default_factory=list)  # (rows, cells) of parts

    @classmethod
    def build(cls, table: Table, hidden: list[bool], cells: list[int]) -> _System:
        rows = sorted({r for c in cells for r in table.rows_of[c]})
        column = {c: j for j, c in enumerate(cells)}
        a = np.zeros((len(rows), len(cells)))
        b = np.zeros(len(rows))
        for i, r in enumerate(rows):
            for position, cell in enumerate(table.rows[r]):
                sign = 1.0 if position == 0 else -1.0
                if hidden[cell]:
                    a[i, column[cell]] += sign
                else:
                    b[i] -= sign * table.values[cell]
        truth = np.array([float(table.values[c]) for c in cells])
        outer_lo, outer_hi = propagate(a, b)
        whole = [(slice(0, len(rows)), slice(0, len(cells)))]
        return cls(cells, rows, a, b, truth.copy(), truth.copy(), outer_lo, outer_hi, whole)

    @classmethod
    def joint(cls, systems: list[_System]) -> _System:
        """Independent components side by side: one program solves them all at once."""
        a = np.zeros((sum(len(s.rows) for s in systems), sum(len(s.cells) for s in systems)))
        i = j = 0
        blocks = []
        for s in systems:
            a[i : i + len(s.rows), j : j + len(s.cells)] = s.a
            blocks.append((slice(i, i + len(s.rows)), slice(j, j + len(s.cells))))
            i, j = i + len(s.rows), j + len(s.cells)
        glue = np.concatenate
        return cls(
            [c for s in systems for c in s.cells], [r for s in systems for r in s.rows], a,
            glue([s.b for s in systems]), glue([s.seen_lo for s in systems]),
            glue([s.seen_hi for s in systems]), glue([s.outer_lo for s in systems]),
            glue([s.outer_hi for s in systems]), blocks,
        )

    def note(self, x: np.ndarray | None) -> None:
        if x is not None:
            np.minimum(self.seen_lo, x, out=self.seen_lo)
            np.maximum(self.seen_hi, x, out=self.seen_hi)

    def settled(self, need: float | None) -> np.ndarray:
        """Cells whose interval is known exactly, or (with ``need``) proven wide enough."""
        exact = (self.seen_lo <= self.outer_lo) & (self.seen_hi >= self.outer_hi)
        if need is None:
            return exact
        return exact | (self.seen_hi - self.seen_lo >= need)


def intervals(
    table: Table, hidden: list[bool], need: float | None = None, cache: dict | None = None
) -> dict[int, Bound]:
    """The derivable interval of every hidden real cell.

    With ``need`` (the width the criterion asks for) the answer may be an *inner* interval
    for a cell that is proven wide enough: every whole-number solution the solver meets is a
    table the attacker cannot rule out, so the cell's true interval holds all values seen.
    Without ``need`` every interval is exact. Steps: outer bounds by propagation; one
    program finds the cells without upper bound (rays); a few probes over all components at
    once push unsettled cells up; only cells still unsettled get programs of their own.
    ``cache`` (a dict the caller keeps) reuses the answers of components that did not
    change since the last call.
    """
    result: dict[int, Bound] = {}
    todo: list[_System] = []
    for members in components(table, hidden):
        key = (tuple(members), need)
        if cache is not None and key in cache:
            result.update(cache[key])
        elif any(not table.is_slack(c) for c in members):
            todo.append(_System.build(table, hidden, members))
    if not todo:
        return result
    joint = _System.joint(todo)
    real = np.array([not table.is_slack(c) for c in joint.cells])
    if joint.rows:
        unbounded = _rays(joint, real)
        joint.outer_hi[unbounded] = math.inf
        joint.seen_hi[unbounded] = math.inf
        _probe(joint, need, real)
    start = 0
    for system in todo:
        part = slice(start, start + len(system.cells))
        start += len(system.cells)
        system.seen_lo, system.seen_hi = joint.seen_lo[part], joint.seen_hi[part]
        wanted = [c for c in system.cells if not table.is_slack(c)]
        found = _exact(system, wanted, need)
        if cache is not None:
            cache[(tuple(system.cells), need)] = found
        result.update(found)
    return result


def _rays(system: _System, real: np.ndarray) -> np.ndarray:
    """Cells with no upper bound: those on a ray ``r >= 0, a r = 0`` (the table can grow
    along it forever), all found by one program. Rays add up and scale, so one ray reaches
    1 on every cell any ray touches; maximising ``sum(t)`` with ``t <= min(r, 1)`` finds
    exactly those cells (``t = 1``), and every other cell is bounded."""
    n = len(system.cells)
    candidates = real & np.isinf(system.outer_hi)
    if not candidates.any():
        return candidates
    from scipy import sparse  # here, not at import: scipy.optimize takes a second to load
    from scipy.optimize import linprog

    eye = sparse.identity(n, format="csr")
    a_eq = sparse.hstack([sparse.csr_array(system.a), sparse.csr_array((len(system.rows), n))])
    a_ub = sparse.hstack([-eye, eye])  # t - r <= 0
    bounds = [(0, None if c else 0) for c in np.isinf(system.outer_hi)]
    bounds += [(0, 1 if c else 0) for c in candidates]
    res = linprog(np.concatenate([np.zeros(n), -candidates.astype(float)]),
                  A_ub=a_ub, b_ub=np.zeros(n), A_eq=a_eq, b_eq=np.zeros(len(system.rows)),
                  bounds=bounds, method="highs")
    if res.status != 0:
        raise RuntimeError(f"audit LP failed: {res.message}")
    return candidates & (res.x[n:] > 0.5)


def _probe(system: _System, need: float | None, real: np.ndarray) -> None:
    """Solve a few programs whose solutions widen the seen ranges of unsettled cells.

    One pushes every cell down; the others push the unsettled ones up, with unequal weights
    to break ties (with equal ones, moving a unit between two unsettled cells of a relation
    changes nothing, so the solver has no reason to). Each round solves only the components
    that still have unsettled cells. Fixed seed: the same table gets the same answer.
    """
    rng = np.random.default_rng(0)
    for round_ in range(_PROBE_ROUNDS + 1):
        unsettled = real & ~system.settled(need)
        if not unsettled.any():
            return
        blocks = [(rows, cols) for rows, cols in system.blocks if unsettled[cols].any()]
        rows = np.concatenate([np.arange(r.start, r.stop) for r, _ in blocks])
        cols = np.concatenate([np.arange(c.start, c.stop) for _, c in blocks])
        weights = rng.uniform(0.5, 1.5, len(cols))
        objective = weights * (np.where(real[cols], 1.0, 0.0) if round_ == 0
                               else np.where(unsettled[cols], -1.0, 0.0))
        _, point = _solve_raw(system.a[np.ix_(rows, cols)], system.b[rows], objective)
        if point is not None:
            system.seen_lo[cols] = np.minimum(system.seen_lo[cols], point)
            system.seen_hi[cols] = np.maximum(system.seen_hi[cols], point)


def _exact(system: _System, cells: list[int], need: float | None) -> dict[int, Bound]:
    """Bounds for ``cells`` of one component: exact, or with ``need`` proven wide enough;
    a cell that fails gets the rows that pin it (from the LP duals), for the repair."""
    column = {c: j for j, c in enumerate(system.cells)}
    result: dict[int, Bound] = {}
    for cell in cells:
        j = column[cell]
        hi_rows: tuple[int, ...] = ()
        lo_rows: tuple[int, ...] = ()
        if not system.settled(need)[j] and system.seen_hi[j] < system.outer_hi[j]:
            hi, point, hi_rows = _optimise(system, j, -1.0)
            system.note(point)
            system.outer_hi[j] = system.seen_hi[j] = hi  # an optimum is reached: both
        if not system.settled(need)[j] and system.seen_lo[j] > system.outer_lo[j]:
            lo, point, lo_rows = _optimise(system, j, +1.0)
            system.note(point)
            system.outer_lo[j] = system.seen_lo[j] = lo
        lo, hi = float(system.seen_lo[j]) + 0.0, float(system.seen_hi[j])
        if need is not None and hi - lo < need and not hi_rows and math.isfinite(hi):
            _, _, hi_rows = _optimise(system, j, -1.0)  # a failing cell: which rows pin it
        result[cell] = Bound(lo, hi, lo_rows, hi_rows)
    return result


def _optimise(
    system: _System, j: int, sense: float
) -> tuple[float, np.ndarray | None, tuple[int, ...]]:
    """Minimise (sense +1) or maximise (sense -1) variable ``j`` over whole numbers:
    the bound, a whole-number solution reaching it, the rows that pin it."""
    objective = np.zeros(len(system.cells))
    objective[j] = sense
    res, point = _solve(system, objective)
    if res is None:  # unbounded: only possible when maximising
        return math.inf, None, ()
    value = sense * res.fun
    if point is None:
        from scipy.optimize import Bounds, LinearConstraint, milp

        exact = milp(
            objective,
            constraints=LinearConstraint(system.a, system.b, system.b),
            integrality=np.ones(len(system.cells)),
            bounds=Bounds(0, np.inf),
        )
        if exact.status != 0:
            raise RuntimeError(f"audit MILP failed: {exact.message}")
        value, point = sense * exact.fun, np.round(exact.x)
    duals = res.eqlin.marginals
    binding = tuple(system.rows[i] for i, dual in enumerate(duals) if abs(dual) > _EPS)
    bound = math.ceil(value - _EPS) if sense > 0 else math.floor(value + _EPS)
    return float(bound), point, binding


def _solve(system: _System, objective: np.ndarray):
    return _solve_raw(system.a, system.b, objective)


def _solve_raw(a: np.ndarray, b: np.ndarray, objective: np.ndarray):
    """One LP: (result, or None when unbounded; its solution if whole numbers, else None)."""
    from scipy import sparse
    from scipy.optimize import linprog

    res = linprog(objective, A_eq=sparse.csr_array(a), b_eq=b, bounds=(0, None),
                  method="highs")
    if res.status == 3:
        return None, None
    if res.status != 0:
        raise RuntimeError(f"audit LP failed: {res.message}")
    whole = np.round(res.x)
    return res, (whole if np.all(np.abs(res.x - whole) <= _EPS) else None)
