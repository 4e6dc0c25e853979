"""The indicators of an area and period, computed once, protected once, shared by all.

`compute(area, period)` reads the protected year table of the area's whole tree
(indicator_table.collect: the family queries of queries.py once for the tree and the year,
summed up the tree, disclosure control over the linked tables), from the sweep's snapshot
(snapshots.py) when there is a fresh one, and reads the asked area and part (the year or a
quarter) out of it. Whichever area or quarter of that tree is asked, the same cells are
hidden, so no answer can be subtracted from another to reveal one.

The dashboard, the API, the CSV, the annual report and the year-plan report all read the
`IndicatorReport`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app, g, has_app_context
from sqlalchemy import select

from marketplace.areas.models import Area
from marketplace.clock import today as clock_today
from marketplace.extensions import db
from marketplace.reporting.definitions import (
    COUNT,
    DISTINCT,
    INDICATORS,
    MEAN,
    MEDIAN,
    SHARE,
    Indicator,
)
from marketplace.reporting.detail import SPARSE_SHARE, area_depths
from marketplace.reporting.disclosure import Rules, publish_count, publish_n, statistic_allowed
from marketplace.reporting.indicator_table import (
    AreaKey,
    AreaRef,
    Facts,
    collect,
)
from marketplace.reporting.periods import ALL, Period, table_for

__all__ = ["SPARSE_SHARE", "AreaRef", "Cell", "IndicatorReport", "area_tree", "compute",
           "median", "report_from", "rules_from_config"]


@dataclass(frozen=True)
class Cell:
    value: float | int | None
    n: int | None
    suppressed: bool

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "n": self.n, "suppressed": self.suppressed}


@dataclass
class IndicatorReport:
    area: AreaRef
    period: Period
    rules: Rules
    indicators: dict[str, Cell]
    children: list[tuple[AreaRef, dict[str, Cell]]] = field(default_factory=list)
    # When the figures were computed (a snapshot's time, or now), shown as "Cijfers van …".
    computed_at: datetime | None = None
    # What this report lacks because its table is sparse (reporting/detail.py):
    # "area" when its area lies below the areas published this year, "quarter" when the
    # year is published without its quarters; None when nothing was left out.
    withheld: str | None = None
    # For "area": the nearest area above it that is published.
    published_area: AreaRef | None = None
    # The protected table behind it (see `disclosure`).
    facts: Facts | None = field(default=None, repr=False)

    @property
    def disclosure(self) -> tuple[Any, Any, frozenset[Hashable]] | None:
        """(counts, relations, suppressed keys) of the table, for the audit (the relations
        are built only when asked)."""
        if self.facts is None:
            return None
        return self.facts.cells, self.facts.relations(), self.facts.suppressed

    @property
    def nothing_shown(self) -> bool:
        """Every figure is suppressed (or left out)."""
        return all(cell.suppressed for cell in self.indicators.values())

    def to_json(self) -> dict[str, Any]:
        return {"area": self.area.code, "from": self.period.start.isoformat(),
                "to": self.period.end.isoformat(),
                "indicators": {code: cell.as_dict() for code, cell in self.indicators.items()}}


def rules_from_config() -> Rules:
    config = current_app.config if has_app_context() else {}
    k = int(config.get("DISCLOSURE_K", 5) or 5)
    round_to = config.get("DISCLOSURE_ROUND_TO")
    return Rules(k=max(k, 1), round_to=int(round_to) if round_to else None)


def compute(area: Area, period: Period, *, rules: Rules | None = None,
            today: date | None = None) -> IndicatorReport:
    """The report of `area` for `period`; cached for the rest of the request.

    Read from the snapshot of the area's tree and year (snapshots.py: kept by the
    `report_snapshots` sweep, made today, not older than REPORTING_SNAPSHOT_MAX_AGE), else
    computed now. Either way `computed_at` says when the figures were computed."""
    from marketplace.reporting import snapshots

    rules = rules or rules_from_config()
    today = today or clock_today()
    key = ("reporting.indicators", area.id, period, rules, today)
    cache = g.setdefault("_reporting_cache", {}) if has_app_context() else {}
    if key not in cache:
        refs = area_tree(area)
        table = table_for(period)
        facts = snapshots.load(refs, table.period.start.year, rules, today)
        if facts is None:
            facts = collect(refs, table, rules, today)
        cache[key] = report_from(facts, area.id, period)
    return cache[key]


def area_tree(area: Area) -> list[AreaRef]:
    """Every area of the tree `area` belongs to (from its top area down), by path."""
    root_path = f"/{area.ancestor_ids[0]}/" if area.ancestor_ids else area.path
    rows = db.session.execute(
        select(Area.id, Area.code, Area.name, Area.kind, Area.parent_id, Area.path)
        .where(Area.path.like(f"{root_path}%")).order_by(Area.path))
    return [AreaRef(*row) for row in rows]


def report_from(facts: Facts, area_id: int, period: Period) -> IndicatorReport:
    """The report of one area of the tree and one part of the year table."""
    tree = facts.tree
    view = _View(facts.cells, facts.suppressed, facts.hist, facts.sums, facts.active,
                 facts.rules, table_for(period).asked)
    ref = tree.refs[area_id]
    report = IndicatorReport(ref, period, facts.rules, view.indicators(area_id),
                             computed_at=facts.computed_at, facts=facts)
    depths = area_depths(facts.refs) if facts.depth is not None else {}
    if facts.depth is not None and depths[area_id] > facts.depth:
        report.withheld = "area"
        above = [tree.refs[int(p)] for p in ref.path.strip("/").split("/")
                 if p and int(p) in tree.refs]
        report.published_area = next(
            (a for a in reversed(above) if depths[a.id] <= facts.depth), None)
    if report.withheld is None and not facts.quarters and view.part != ALL:
        report.withheld = "quarter"
    report.children = [(tree.refs[c], view.indicators(c)) for c in tree.children.get(area_id, [])]
    # The counts of a withheld area or quarter are not published at this level of detail;
    # the distinct counts (active volunteers), which are not part of the table, are left out
    # with them, so the page shows nothing where it says it shows nothing.
    if report.withheld:
        _withhold_distinct(report.indicators)
    for child, cells in report.children:
        if report.withheld or (facts.depth is not None and depths[child.id] > facts.depth):
            _withhold_distinct(cells)
    return report


def _withhold_distinct(cells: dict[str, Cell]) -> None:
    for indicator in INDICATORS:
        if indicator.kind == DISTINCT:
            cells[indicator.code] = Cell(None, None, True)


@dataclass
class _View:
    cells: dict[tuple[AreaKey, str, str], int]
    suppressed: frozenset[Hashable]
    hist: dict[tuple[AreaKey, str], Counter[int]]
    sums: dict[tuple[AreaKey, str], dict[str, int]]
    active: dict[tuple[AreaKey, str], tuple[int, int]]
    rules: Rules
    part: str

    def count(self, area: AreaKey, metric: str) -> tuple[int, bool]:
        key = (area, self.part, metric)
        if key not in self.cells:  # a part of the year without any record
            return 0, True
        return self.cells[key], key in self.suppressed

    def indicators(self, area: AreaKey) -> dict[str, Cell]:
        return {i.code: self.cell(area, i) for i in INDICATORS}

    def cell(self, area: AreaKey, indicator: Indicator) -> Cell:
        if indicator.kind == COUNT:
            value, hidden = self.count(area, indicator.cell)
            if hidden:
                return Cell(None, None, True)
            return Cell(publish_count(value, self.rules), publish_n(value, self.rules), False)
        if indicator.kind == DISTINCT:
            active, retained = self.active.get((area, self.part), (0, 0))
            value = retained if indicator.code == "volunteers_retained" else active
            if not statistic_allowed(value, self.rules):
                return Cell(None, None, True)
            return Cell(publish_count(value, self.rules), publish_n(value, self.rules), False)
        n, n_hidden = self.count(area, indicator.n_cell or indicator.denominator or "")
        hidden = n_hidden or not statistic_allowed(n, self.rules)
        value: float | None = None
        if indicator.kind == SHARE:
            assert indicator.numerator and indicator.denominator
            numerator, num_hidden = self.count(area, indicator.numerator)
            denominator, den_hidden = self.count(area, indicator.denominator)
            # share x n reveals the numerator and n less it the others: both are cells of
            # the table, hidden (and linked to areas and quarters) like every count.
            others_hidden = (self.count(area, indicator.complement)[1]
                             if indicator.complement else False)
            hidden = hidden or num_hidden or den_hidden or others_hidden or denominator == 0
            value = None if hidden else round(numerator / denominator, 3)
        elif indicator.kind == MEDIAN:
            value = None if hidden else median(self.hist.get((area, self.part), Counter()))
        elif indicator.kind == MEAN:
            sums = self.sums.get((area, self.part), {})
            pairs = sums.get("domain_pairs", 0)
            hidden = hidden or pairs == 0
            value = None if hidden else round(sums.get("domain_change_sum", 0) / pairs, 2)
        if hidden or value is None:
            return Cell(None, None, True)
        return Cell(value, publish_n(n, self.rules), False)


def median(histogram: Counter[int]) -> float | None:
    """The median of values given as {value: how often}."""
    total = sum(histogram.values())
    if total == 0:
        return None
    lower_rank, upper_rank = (total - 1) // 2, total // 2
    seen, lower = 0, None
    for value in sorted(histogram):
        seen += histogram[value]
        if lower is None and seen > lower_rank:
            lower = value
        if seen > upper_rank:
            return (lower + value) / 2 if lower is not None else float(value)
    return None
