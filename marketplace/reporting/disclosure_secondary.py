"""Secondary suppression by relation rules, run to a fixed point (fast, no LP).

For every relation, with the suppressed cells called *hidden*:

- total shown, some parts hidden: at least two parts must be hidden (one alone is the total
  minus the shown parts), and together the hidden parts must hold at least ``k`` (else the
  difference itself, which bounds each of them, is small). Otherwise hide another part: the
  smallest one that lifts the hidden sum to ``k``, or the largest when none does; when every
  part is hidden already, hide the total. A relation with ``keep_parts`` (a region and its
  municipalities) hides its total rather than its last shown part.
- total hidden, every part shown: hide the smallest part.
- a relation with ``ties`` (its total is a share's numerator): total shown and one hidden
  part holding all the hidden parts hold (the others are 0): hide the total, which less the
  shown parts would equal that part.

Hiding a cell can break another relation it belongs to, so the rows are swept again until
nothing changes. Deterministic: rows in the given order, ties broken by cell order.
"""

from __future__ import annotations

from .disclosure_table import Table


def primary(table: Table, sensitive: list[bool]) -> list[bool]:
    """The starting pattern: sensitive cells and every slack cell are hidden."""
    return [sensitive[i] if i < table.n_cells else True for i in range(table.size)]


def close(table: Table, hidden: list[bool], k: int) -> None:
    """Hide more cells (in place) until every relation passes the rules above."""
    pending = list(range(len(table.rows)))
    while pending:
        queued = set()
        for r in pending:
            for cell in _fix_row(table, r, hidden, k):
                queued.update(table.rows_of[cell])
        pending = sorted(queued)


def _fix_row(table: Table, r: int, hidden: list[bool], k: int) -> list[int]:
    """Hide what row ``r`` needs; return the cells newly hidden."""
    total, parts = table.rows[r][0], table.rows[r][1:]
    values = table.values
    hidden_parts = [p for p in parts if hidden[p]]
    added: list[int] = []
    if hidden[total]:
        if not hidden_parts:
            added.append(_pick([p for p in parts if not hidden[p]], values, need=1))
    elif any(not table.is_slack(p) for p in hidden_parts):
        mass = sum(values[p] for p in hidden_parts)
        count = len(hidden_parts)
        while count == 1 or mass < k:
            shown = [p for p in parts if not hidden[p]]
            if not shown or (len(shown) == 1 and table.keeps_parts[r]):
                added.append(total)
                hidden[total] = True
                break
            cell = _pick(shown, values, need=k - mass)
            hidden[cell] = True
            added.append(cell)
            count += 1
            mass += values[cell]
    if table.ties[r] and not hidden[total]:
        tied = [p for p in parts if hidden[p]]
        mass = sum(values[p] for p in tied)
        if any(mass == values[p] for p in tied):
            added.append(total)
    for cell in added:
        hidden[cell] = True
    return added


def _pick(shown: list[int], values: list[int], need: int) -> int:
    """The cheapest cell that lifts the hidden sum by ``need``; else the largest; zeros last."""
    enough = [c for c in shown if values[c] >= max(need, 1)]
    if enough:
        return min(enough, key=lambda c: (values[c], c))
    return min(shown, key=lambda c: (-values[c], c))
