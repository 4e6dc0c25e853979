"""Disclosure control for every table that leaves the system (dashboard, API, CSV, PDF).

Pure: standard library, numpy and scipy only. The rules in plain words: docs/disclosure.md.

Example (a municipality ``M`` with districts ``A``, ``B``, ``C``; a year with two halves)::

    from marketplace.reporting.disclosure import (
        Rules, hierarchy_relations, protect, publish_table, fingerprint, audit, is_protected,
    )

    rules = Rules(k=5)
    counts = {  # (area, period, indicator) -> count; only counts, never shares or medians
        ("M", "2026", "referred"): 19, ("A", "2026", "referred"): 3,
        ("B", "2026", "referred"): 7, ("C", "2026", "referred"): 9, ...
    }
    relations = hierarchy_relations(
        areas={"M": ("A", "B", "C")},
        periods={"2026": ("2026H1", "2026H2")},
        indicators={"closed": ("solved_own_network", "solved_worker", "referred")},
        cells=counts.keys(),
    )
    suppressed = protect(counts, relations, rules)   # frozenset of keys: A's 3 and more
    shown = publish_table(counts, suppressed, rules)  # key -> int (rounded if asked) | None
    # an export also records: fingerprint(csv_text, rules)
    # tests and exports can prove it:
    assert all(is_protected(i, rules) for i in audit(counts, relations, suppressed, rules).values())

Shares, medians and means are not cells here: show one only when ``statistic_allowed(n)``,
and its ``n`` as ``publish_n(n)``. A share published with its ``n`` reveals its numerator
(share × n), so when the numerator is also a published count (or a sum of counts), put that
count in ``counts`` with its relations and suppress the share when the count is suppressed.

Protection criterion (see docs/disclosure.md): for every suppressed cell, the interval
``[lo, hi]`` an attacker can derive has ``hi - lo >= k``. As ``lo >= 0`` this also means
``hi >= k``: nobody can conclude that a suppressed count is small, nor narrow any suppressed
count to fewer than ``k + 1`` possible values.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Mapping, Sequence

from .disclosure_audit import Bound, intervals
from .disclosure_bounds import components
from .disclosure_relations import hierarchy_relations
from .disclosure_secondary import close, primary
from .disclosure_table import Relation, Rules, Table

__all__ = [
    "Relation", "Rules", "audit", "fingerprint", "hierarchy_relations", "is_protected",
    "protect", "publish_count", "publish_n", "publish_table", "statistic_allowed", "violations",
]

_MAX_REPAIR_ROUNDS = 12
_MEMO_SIZE = 64
_MEMO: OrderedDict[tuple, frozenset[Hashable]] = OrderedDict()
_MEMO_LOCK = threading.Lock()


def protect(
    counts: Mapping[Hashable, int],
    relations: Sequence[Relation],
    rules: Rules,
    *,
    verify: bool = True,
) -> frozenset[Hashable]:
    """Keys to suppress: primary plus secondary, so that no suppressed cell can be derived.

    Primary: every count under ``k`` (zeros too, unless ``rules.publish_zeros``). Secondary:
    the relation rules of `disclosure_secondary` to a fixed point; then (``verify=True``) the
    LP audit, and where a cell's interval is still narrower than ``k``, one more cell is
    hidden in a relation that pins it (the cheapest), and again until the audit passes.
    Deterministic: the same input gives the same answer, so the answer is remembered (the
    last few tables, in this process): the LP check costs time, a repeated page view none.
    """
    memo_key = (tuple(counts.items()), tuple(relations), rules, verify)
    with _MEMO_LOCK:
        if memo_key in _MEMO:
            _MEMO.move_to_end(memo_key)
            return _MEMO[memo_key]
    table = Table(counts, relations)
    hidden = primary(table, [rules.sensitive(v) for v in table.values[: table.n_cells]])
    close(table, hidden, rules.k)
    if verify:
        _repair(table, hidden, rules.k)
    result = frozenset(table.keys[i] for i in range(table.n_cells) if hidden[i])
    with _MEMO_LOCK:
        _MEMO[memo_key] = result
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)
    return result


def audit(
    counts: Mapping[Hashable, int],
    relations: Sequence[Relation],
    suppressed: Iterable[Hashable],
    rules: Rules,
) -> dict[Hashable, tuple[float, float]]:
    """For every suppressed cell, the interval ``(lo, hi)`` derivable from what is shown.

    Whole numbers; ``hi`` is ``math.inf`` when nothing bounds the cell. Shown counts are
    taken as exact, which is the worst case also when they are rounded. ``rules`` is part of
    the signature so that an audit is always read against the rule set it was made for.
    """
    del rules  # the interval does not depend on k; the criterion does (is_protected)
    table = Table(counts, relations)
    hidden = _hidden(table, suppressed)
    return {table.keys[c]: (b.lo, b.hi) for c, b in sorted(intervals(table, hidden).items())}


def is_protected(interval: tuple[float, float], rules: Rules) -> bool:
    """The criterion: the derivable interval is at least ``k`` wide."""
    lo, hi = interval
    return hi - lo >= rules.k


def violations(
    counts: Mapping[Hashable, int],
    relations: Sequence[Relation],
    suppressed: Iterable[Hashable],
    rules: Rules,
) -> list[str]:
    """Everything wrong with a suppression pattern, in words (empty when it is safe)."""
    suppressed = frozenset(suppressed)
    problems = [
        f"{key!r} = {value} is shown but under k"
        for key, value in counts.items()
        if key not in suppressed and rules.sensitive(value)
    ]
    for key, interval in audit(counts, relations, suppressed, rules).items():
        if not is_protected(interval, rules):
            problems.append(f"{key!r} can be narrowed to {interval[0]:g}..{interval[1]:g}")
    return problems


def statistic_allowed(n: int, rules: Rules) -> bool:
    """A share, median or mean over fewer than ``k`` cases is suppressed."""
    return n >= rules.k


def publish_n(n: int, rules: Rules) -> int | None:
    """The ``n`` shown beside a value: never a small number (None under ``k``), rounded
    like the counts when ``rules.round_to`` is set."""
    if n < rules.k:
        return None
    return publish_count(n, rules)


def publish_count(value: int, rules: Rules) -> int:
    """A shown count, rounded half up to a multiple of ``round_to`` when set.

    A positive count is never shown as 0 (that would look like a true zero)."""
    step = rules.round_to
    if not step or step == 1:
        return value
    rounded = (value + step // 2) // step * step
    return step if value > 0 and rounded == 0 else rounded


def publish_table(
    counts: Mapping[Hashable, int], suppressed: Iterable[Hashable], rules: Rules
) -> dict[Hashable, int | None]:
    """Every cell as it may leave the system: None when suppressed, else `publish_count`."""
    hidden = frozenset(suppressed)
    return {
        key: None if key in hidden else publish_count(value, rules)
        for key, value in counts.items()
    }


def fingerprint(payload: bytes | str, rules: Rules) -> dict:
    """What an export records about itself: rule set, k, method, version, hash of the bytes."""
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    zeros = "published" if rules.publish_zeros else "suppressed"
    rounding = rules.round_to if rules.round_to else "none"
    return {
        "rules": f"threshold k={rules.k}; zeros {zeros}; rounding {rounding}",
        "k": rules.k,
        "method": rules.method,
        "version": rules.version,
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def _hidden(table: Table, suppressed: Iterable[Hashable]) -> list[bool]:
    hidden = [table.is_slack(i) for i in range(table.size)]
    for key in suppressed:
        if key not in table.index:
            raise ValueError(f"suppressed key {key!r} is not in the counts")
        hidden[table.index[key]] = True
    return hidden


def _repair(table: Table, hidden: list[bool], k: int) -> None:
    """Hide more until the LP audit passes.

    Each round hides at least one more cell, so this ends. After ``_MAX_REPAIR_ROUNDS``
    rounds it stops being frugal: every shown cell in a relation of a failing cell's
    component is hidden at once. It gives up only when nothing shown is left near the
    failing cells: then the relations alone (without any shown number) pin them, and
    no suppression can help.
    """
    cache: dict = {}
    for round_ in itertools.count():
        bounds = intervals(table, hidden, need=k, cache=cache)
        failing = [c for c, b in sorted(bounds.items()) if b.hi - b.lo < k]
        if not failing:
            return
        group = {c: members for members in components(table, hidden) for c in members}
        added = False
        for cell in failing:
            if round_ < _MAX_REPAIR_ROUNDS:
                relief = [_relief(table, hidden, bounds[cell], group[cell])]
            else:
                relief = _near(table, hidden, group[cell])
            for extra in relief:
                if extra is not None and not hidden[extra]:
                    hidden[extra] = True
                    added = True
        if not added:
            return
        close(table, hidden, k)


def _near(table: Table, hidden: list[bool], members: list[int]) -> list[int]:
    rows = {r for c in members for r in table.rows_of[c]}
    return sorted({c for r in rows for c in table.rows[r] if not hidden[c]})


def _relief(table: Table, hidden: list[bool], bound: Bound, members: list[int]) -> int | None:
    """The cheapest shown cell in a relation that pins the interval (else any near it)."""
    pinning = set(bound.hi_rows) | (set(bound.lo_rows) if bound.lo > 0 else set())
    for rows in (sorted(pinning), sorted({r for c in members for r in table.rows_of[c]})):
        shown = [c for r in rows for c in table.rows[r] if not hidden[c]]
        if shown:
            return min(shown, key=lambda c: (table.values[c] == 0, table.values[c], c))
    return None
