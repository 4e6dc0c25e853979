"""Gaps: unmet demand per category × area, and the monthly mail of it to the partners.

Unmet demand is what is still waiting: requests created in the period that are still
``new``, ``clarifying`` or ``open`` (nobody helps yet).

- ``open_too_long``: waiting longer than the area's ``request_stale_days`` (the threshold
  the stale-request sweep uses), counted in whole days;
- ``without_candidates``: a cheap proxy for "the matching finds nobody": no volunteer was
  ever proposed or offered help (no match row at all for the request);
- ``median_wait_days``: the median number of days the waiting requests have waited so far.

Published for the area and each area directly below it, every category. Counts go through
the same disclosure control as the indicators, over the whole area tree at once; a sparse
table is published with less detail (without its smallest areas: `detail.protect_areas`),
like the indicators. A tree with a snapshot (snapshots.py) has its published gap rows in it,
computed at the same moment as the indicators, so the dashboard shows one moment's figures
under one "Cijfers van". Where every figure of a category is hidden, the page, the annual
report and the mail name it in one sentence instead of a row (reporting/_macros.html).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, select

from marketplace.accounts.models import User, UserArea, UserRole
from marketplace.areas.models import Area, AreaSetting
from marketplace.areas.settings import SETTINGS
from marketplace.brokering.models import Match
from marketplace.casework.models import PartnerOrganisation
from marketplace.categories.models import Category
from marketplace.categories.services import label as category_label
from marketplace.clock import now as clock_now
from marketplace.clock import today as clock_today
from marketplace.extensions import db
from marketplace.followup.ledger import claim
from marketplace.help_requests.models import HelpRequest
from marketplace.reporting import detail, queries
from marketplace.reporting.disclosure import (
    Relation,
    Rules,
    hierarchy_relations,
    publish_count,
    statistic_allowed,
)
from marketplace.reporting.indicator_table import AreaRef, _Tree
from marketplace.reporting.indicators import area_tree, median, rules_from_config
from marketplace.reporting.periods import Period

WAITING = ("new", "clarifying", "open")
METRICS = ("open", "open_too_long", "without_candidates")
FIELDS = ("open_too_long", "without_candidates", "median_wait_days")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


@dataclass
class GapReport:
    area: AreaRef
    period: Period
    rules: Rules
    rows: list[dict[str, Any]]
    # When the figures were computed: the snapshot's time, or now.
    computed_at: datetime | None = None

    def to_json(self) -> list[dict[str, Any]]:
        return self.rows

    def own_rows(self) -> list[dict[str, Any]]:
        """The rows of the area asked for, those with a figure shown first (the page's
        reader sees the signal before the categories that say "verborgen")."""
        own = [row for row in self.rows if row["area"] == self.area.code]
        return sorted(own, key=lambda row: all(row[f] is None for f in FIELDS))


def stale_days(refs: list[AreaRef]) -> dict[int, int]:
    """request_stale_days per area, inherited down the tree (one query)."""
    ids = [r.id for r in refs]
    own = dict(db.session.execute(select(AreaSetting.area_id, AreaSetting.value).where(
        AreaSetting.area_id.in_(ids), AreaSetting.key == "request_stale_days")).all())
    default = int(SETTINGS["request_stale_days"].default)
    out: dict[int, int] = {}
    for ref in refs:
        chain = [int(p) for p in ref.path.strip("/").split("/") if p]
        value = next((own[a] for a in reversed(chain) if a in own), default)
        out[ref.id] = int(value)
    return out


@queries.kept
def _waiting_statement(dialect: str, year: bool) -> Any:
    day = queries.day_of(HelpRequest.created_at, dialect).label("day")
    no_match = ~exists().where(Match.request_id == HelpRequest.id)
    return (select(HelpRequest.area_id, HelpRequest.category, day, func.count(),
                   queries._flag(no_match))
            .where(HelpRequest.area_id.in_(queries.area_ids()), HelpRequest.status.in_(WAITING),
                   queries._in_period(HelpRequest.created_at))
            .group_by(HelpRequest.area_id, HelpRequest.category, day))


def _waiting(area_ids: list[int], period: Period) -> list[tuple[int, str, date, int, int]]:
    out = []
    for area_id, category, created, count, none in db.session.execute(
            _waiting_statement(period), queries.values(area_ids, period)):
        created = created if isinstance(created, date) else date.fromisoformat(str(created))
        out.append((area_id, category, created, count, int(none)))
    return out


def compute_gaps(area: Area, period: Period, *, rules: Rules | None = None,
                 today: date | None = None, refs: list[AreaRef] | None = None) -> GapReport:
    """The gaps of `area` and the areas directly below it.

    Read from the snapshot of the area's tree when the indicators are (snapshots.py: the
    same row, so the same moment, `computed_at`; a calendar year or quarter), else computed
    now over the whole tree. `refs`: the area tree (indicators.area_tree) when known."""
    from marketplace.reporting import snapshots

    rules = rules or rules_from_config()
    today = today or clock_today()
    refs = refs or area_tree(area)
    children = sorted((r for r in refs if r.parent_id == area.id), key=lambda r: r.name.lower())
    wanted = [area.id, *(r.id for r in children)]
    stored = snapshots.load_gaps(refs, period, rules, today) if period.part else None
    if stored is not None:
        by_area, computed_at = stored
    else:
        by_area, computed_at = gap_rows(refs, period, rules, today, wanted), clock_now()
    code = {r.id: r.code for r in refs}
    rows = [{"category": category, "area": code[area_id], "open_too_long": too_long,
             "without_candidates": without, "median_wait_days": wait,
             "suppressed": list(hidden)}
            for area_id in wanted
            for category, too_long, without, wait, hidden in by_area.get(area_id, [])]
    own = next(r for r in refs if r.id == area.id)
    return GapReport(own, period, rules, rows, computed_at)


# One published row: (category, open_too_long, without_candidates, median_wait_days,
# names of the suppressed fields); None where suppressed.
GapRow = tuple[str, int | None, int | None, float | None, tuple[str, ...]]


def gap_rows(refs: list[AreaRef], period: Period, rules: Rules, today: date,
             wanted: list[int] | None = None,
             waiting: list[tuple[int, str, date, int, int]] | None = None,
             ) -> dict[int, list[GapRow]]:
    """The published gap rows of the `wanted` areas (default: every area of the tree),
    protected over the whole tree. `waiting`: the rows of `_waiting` when already read."""
    ids = [r.id for r in refs]
    tree = _Tree(refs, queries.direct_postcode_areas(ids))
    categories = list(db.session.scalars(select(Category.code).order_by(Category.code)))
    thresholds = stale_days(refs)
    counts: dict[tuple[Hashable, str, str], int] = defaultdict(int)
    waits: dict[tuple[Hashable, str], Counter[int]] = defaultdict(Counter)
    if waiting is None:
        waiting = _waiting(ids, period)
    for area_id, category, created, count, none in waiting:
        waited = (today - created).days
        too_long = waited > thresholds.get(area_id, 7)
        for target in tree.targets.get(area_id, ()):
            counts[(target, category, "open")] += count
            counts[(target, category, "without_candidates")] += none
            if too_long:
                counts[(target, category, "open_too_long")] += count
            waits[(target, category)][waited] += count
    rest_used = {k[0][1] for k, v in counts.items() if isinstance(k[0], tuple) and v}
    keys: list[Hashable] = list(tree.refs)
    keys += [("rest", a) for a in tree.children if a in tree.direct or a in rest_used]
    full = {(a, c, m): counts.get((a, c, m), 0) for a in keys for c in categories
            for m in METRICS}
    cells, suppressed = detail.protect_areas(
        refs, full, lambda shown: gap_relations(tree, rest_used, shown), rules,
        memo=("gaps", tuple(refs), frozenset(tree.direct), frozenset(rest_used)))

    out: dict[int, list[GapRow]] = {}
    for area_id in ids if wanted is None else wanted:
        rows: list[GapRow] = []
        for category in categories:
            shown: list[int | None] = []
            hidden: list[str] = []
            for metric in METRICS[1:]:
                key = (area_id, category, metric)
                if key in suppressed or key not in cells:
                    shown.append(None)
                    hidden.append(metric)
                else:
                    shown.append(publish_count(cells[key], rules))
            open_key = (area_id, category, "open")
            wait: float | None = None
            if (open_key in suppressed or open_key not in cells
                    or not statistic_allowed(cells[open_key], rules)):
                hidden.append("median_wait_days")
            else:
                wait = median(waits[(area_id, category)])
            rows.append((category, shown[0], shown[1], wait, tuple(hidden)))
        out[area_id] = rows
    return out


def gap_relations(tree: _Tree, rest_used: set[int], cells: dict[Hashable, int]) -> list[Relation]:
    """What links the gap counts: an area is the sum of the areas below it (per category and
    count), and "open" is at least each of the other two. Where the rules must choose
    between a region and its municipality, the region is hidden (as in the indicators:
    `Facts.above_municipalities`)."""
    regions = {r.parent_id for r in tree.refs.values()
               if r.kind == "municipality" and r.parent_id is not None}
    out = hierarchy_relations(areas=tree.groups(rest_used), periods={}, indicators={},
                              cells=cells.keys(), keep_parts=regions)
    out += [Relation((a, c, "open"), ((a, c, m),), exact=False)
            for (a, c, m) in cells if m != "open"]
    return out


def last_twelve_months(today: date) -> Period:
    return Period(today - timedelta(days=364), today)


def recipients(area: Area) -> list[str]:
    """The partners of an area: active partner organisations with an e-mail address in
    their contact (the managed list serves the whole region), and partner contacts (role
    "partner") who work for the area or an area above it."""
    addresses = set()
    for contact in db.session.scalars(select(PartnerOrganisation.contact).where(
            PartnerOrganisation.active.is_(True), PartnerOrganisation.contact.isnot(None))):
        addresses.update(EMAIL_RE.findall(contact or ""))
    users = db.session.scalars(
        select(User.email).join(UserRole, UserRole.user_id == User.id)
        .join(UserArea, UserArea.user_id == User.id)
        .where(UserRole.role == "partner", UserArea.area_id.in_(area.ancestor_ids),
               User.is_active.is_(True), User.email.isnot(None)))
    addresses.update(e for e in users if e)
    return sorted(addresses)


def mail_gaps(now: datetime) -> int:
    """Monthly sweep: each municipality's gaps table to its partners, once per month.

    Areas without any partner address are skipped (and taken up once one exists).
    Idempotent: the ledger key ``gaps:<area>:<YYYY-MM>`` is claimed once per area and month,
    and every mail has a dedupe key, so a second run (or a second scheduler) sends nothing.
    """
    from marketplace.notifications.outbox import enqueue
    from marketplace.reporting.exports import record_export

    today = clock_today(now)
    month = today.strftime("%Y-%m")
    period = last_twelve_months(today)
    handled = 0
    municipalities = db.session.scalars(
        select(Area).where(Area.kind == "municipality").order_by(Area.id)).all()
    for area in municipalities:
        addresses = recipients(area)
        key = f"gaps:{area.id}:{month}"
        if not addresses or not claim(key, "gaps_monthly", now=now):
            continue  # nobody to tell (yet), or told this month already
        handled += 1
        report = compute_gaps(area, period, today=today)
        rows = [r for r in report.rows if r["area"] == area.code or r["open_too_long"]
                or r["without_candidates"]]
        text = "\n".join(f"{r['area']},{r['category']},{r['open_too_long']},"
                         f"{r['without_candidates']},{r['median_wait_days']}" for r in rows)
        record_export("gaps.mail", area.id, period, None, text, report.rules, now=now)
        area_names = dict(db.session.execute(select(Area.code, Area.name).where(
            Area.code.in_({r["area"] for r in rows}))).all())
        for address in addresses:
            enqueue(address, "reporting_gaps", dedupe_key=f"{key}:{address}", now=now,
                    area_name=area.name, period=period, rows=rows, month=month,
                    k=report.rules.k, area_names=area_names, category_label=category_label)
    return handled
