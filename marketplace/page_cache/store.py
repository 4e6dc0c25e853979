"""Kept pages of one process: the newest (generation, minute) only, within a byte budget."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

# A kept page's cost beyond its body (key, headers, the entry itself), roughly.
OVERHEAD = 1024


@dataclass(frozen=True)
class Kept:
    body: bytes
    headers: tuple[tuple[str, str], ...]  # status is always 200: nothing else is kept
    # What the first view wrote to the audit trail; written again at every view served.
    audits: tuple[dict[str, Any], ...] = field(default=())


class PageStore:
    """Pages drawn at one moment of the data. A page is kept under (generation, minute), and
    only the moment last kept is kept: a page of another moment replaces all of them (a
    write or a new minute; also a clock set back or a database restored from a backup, so
    nothing depends on the moments' order). A page is served only to a view of the same
    moment. Within the moment, least recently used pages go first when the budget is full;
    a page over a quarter of it is not kept."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.moment: tuple[int, Any] | None = None
        self.pages: OrderedDict[tuple, Kept] = OrderedDict()
        self.used = 0
        self.hits = 0
        self.misses = 0
        self._lock = Lock()

    def get(self, moment: tuple[int, Any], key: tuple) -> Kept | None:
        with self._lock:
            kept = self.pages.get(key) if moment == self.moment else None
            if kept is None:
                self.misses += 1
                return None
            self.pages.move_to_end(key)
            self.hits += 1
            return kept

    def put(self, moment: tuple[int, Any], key: tuple, kept: Kept) -> bool:
        size = len(kept.body) + OVERHEAD
        if size * 4 > self.budget:
            return False
        with self._lock:
            if moment != self.moment:
                self.moment, self.used = moment, 0
                self.pages.clear()
            old = self.pages.pop(key, None)
            if old is not None:
                self.used -= len(old.body) + OVERHEAD
            while self.pages and self.used + size > self.budget:
                _, dropped = self.pages.popitem(last=False)
                self.used -= len(dropped.body) + OVERHEAD
            self.pages[key] = kept
            self.used += size
            return True

