"""Disclosure control, shared data: the rule set, the additive relations and the indexed table.

Pure (standard library only); `disclosure.py` re-exports `Relation` and `Rules`.
"""

from __future__ import annotations

import operator
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Relation:
    """An additive identity between counts: ``total == sum(parts)``.

    With ``exact=False`` it is only known that ``total >= sum(parts)`` (the parts do not cover
    every case, e.g. ``requests`` over the ``solved_*`` counts while some requests are still
    open); the attacker then learns an upper bound, which the audit takes into account.
    """

    total: Hashable
    parts: tuple[Hashable, ...]
    exact: bool = True
    # When the rules must hide one more cell and only one part is still shown, hide the
    # total instead of that part (set for a region and its municipalities: one large
    # municipality among small ones keeps its own figure, and the region is hidden).
    keep_parts: bool = False
    # The total is revealed as a share's numerator (share x n) and its parts are published
    # counts: while the total is shown, no hidden part may hold all that the hidden parts
    # hold (the total less the shown parts would equal it); the total is hidden instead,
    # and its share with it. docs/disclosure.md, "Shares".
    ties: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", tuple(self.parts))
        if not self.parts:
            raise ValueError("a relation needs at least one part")
        if self.total in self.parts or len(set(self.parts)) != len(self.parts):
            raise ValueError(f"a relation names a cell twice: {self.total!r} = {self.parts!r}")


@dataclass(frozen=True)
class Rules:
    """The rule set. Everything in it is recorded with every export (see `fingerprint`)."""

    k: int = 5  # threshold: a count 0..k-1 (or 1..k-1 with publish_zeros) is sensitive
    round_to: int | None = None  # optional rounding of published counts (e.g. 5, as CBS)
    version: str = "3"
    method: str = ("primary<k + secondary (linked tables), interval audit; "
                   "sparse tables with less detail")
    # Zeros are suppressed like any count under k unless they are known to be structural
    # (a zero tells "nobody here", and together with its total it can tell "all of them").
    publish_zeros: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.k, bool) or not isinstance(self.k, int) or self.k < 1:
            raise ValueError("k must be a whole number of at least 1")
        if self.round_to is not None and (
            isinstance(self.round_to, bool) or not isinstance(self.round_to, int)
            or self.round_to < 1
        ):
            raise ValueError("round_to must be None or a whole number of at least 1")

    def sensitive(self, value: int) -> bool:
        """Primary rule: a count the table may not show."""
        return value < self.k and (value > 0 or not self.publish_zeros)


class Table:
    """Cells and relations by index, for the suppression and audit algorithms.

    Row r is ``cells[0] - cells[1] - ... - cells[-1] == 0``: the total first, then its parts.
    An inexact relation gets an extra part, a *slack* cell (``total - sum(parts)``) that is
    never published and needs no protection of its own. Slack cells come after the real ones.
    """

    def __init__(self, counts: Mapping[Hashable, int], relations: Sequence[Relation]) -> None:
        self.keys: list[Hashable] = list(counts)
        self.index: dict[Hashable, int] = {key: i for i, key in enumerate(self.keys)}
        self.values: list[int] = [_count(key, counts[key]) for key in self.keys]
        self.n_cells = len(self.keys)
        self.rows: list[tuple[int, ...]] = []
        self.keeps_parts: list[bool] = []
        self.ties: list[bool] = []
        for relation in relations:
            self.keeps_parts.append(relation.keep_parts)
            self.ties.append(relation.ties)
            total = self._cell(relation.total)
            parts = [self._cell(part) for part in relation.parts]
            gap = self.values[total] - sum(self.values[p] for p in parts)
            if gap < 0 or (relation.exact and gap != 0):
                raise ValueError(f"the counts do not satisfy {relation!r}")
            if not relation.exact:
                self.values.append(gap)
                parts.append(len(self.values) - 1)
            self.rows.append((total, *parts))
        self.rows_of: list[list[int]] = [[] for _ in self.values]
        for r, row in enumerate(self.rows):
            for cell in row:
                self.rows_of[cell].append(r)

    @property
    def size(self) -> int:
        """Number of cells including slack cells."""
        return len(self.values)

    def is_slack(self, cell: int) -> bool:
        return cell >= self.n_cells

    def _cell(self, key: Hashable) -> int:
        try:
            return self.index[key]
        except KeyError:
            raise ValueError(f"a relation refers to {key!r}, which is not in the counts") from None


def _count(key: Hashable, value: object) -> int:
    try:
        number = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise ValueError(f"count {key!r} is not a whole number: {value!r}") from None
    if isinstance(value, bool) or number < 0:
        raise ValueError(f"count {key!r} must be a whole number of at least 0: {value!r}")
    return number
