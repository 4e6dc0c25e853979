"""Snapshots of the protected indicator tables, kept by a sweep, so the dashboard is fast.

Computing the indicators of an area tree and a year (indicators.collect: every family query
over the tree, then disclosure control) costs seconds for a district with 100,000 requests.
The `report_snapshots` sweep (marketplace/jobs.py, every 15 minutes) computes it for every
top area (region) and for this year and last year that holds at least
REPORTING_SNAPSHOT_MIN_REQUESTS requests (default 10,000; smaller trees are computed live in
milliseconds and never served from a snapshot), and stores the result: the counts, the
suppressed cells, the duration histograms, the sums and the volunteer counts. The dashboard,
the API, the CSV, the annual report and the year-plan report read the snapshot when it was
made today and is at most REPORTING_SNAPSHOT_MAX_AGE seconds old (default 3600, i.e. four
sweeps); otherwise they compute the figures themselves. Either way the page says when the
figures were computed ("Cijfers van 4 december 2026, 20:45"): a snapshot is never presented
as live, and every consumer of one request reads the same snapshot, so they agree.

A snapshot is the exact output of the same code for the same data at its time: it can be
older than the last write, never different from what the live computation gave then.

The snapshot also keeps the published gap rows (gaps.py: unmet demand per category) of
every area of the tree for the year and each quarter, computed at the same moment, so the
dashboard's "Hiaten" and its indicators are one moment's figures under one "Cijfers van".

A web worker decodes a snapshot once: the decoded figures are kept per process (per app,
`_DECODED`, a few entries) under the row's id and `computed_at`. A row is never edited, only
replaced with a new `computed_at`, so an entry is correct by construction; a view asks only
for the row's small columns (id, as_of, computed_at) and reads the payload on a miss.
"""

from __future__ import annotations

import json
import threading
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app, g, has_app_context
from sqlalchemy import select

from marketplace.areas.models import Area
from marketplace.clock import today as clock_today
from marketplace.extensions import db
from marketplace.reporting.disclosure import Rules, fingerprint
from marketplace.reporting.models import ReportSnapshot
from marketplace.reporting.periods import ALL, QUARTERS, Period, table_for

DEFAULT_MAX_AGE = 3600
# Trees with fewer requests in a year are computed live in a few milliseconds: no snapshot.
DEFAULT_MIN_REQUESTS = 10_000
# Decoded snapshots kept per process: a region's this year and last year, and one more.
DECODED_SIZE = 4


def _rules_key(rules: Rules) -> str:
    return fingerprint(b"", rules)["rules"] + f"; version {rules.version}"


def _key_out(key: Any) -> Any:
    """An area key (an id, or ("rest", id)) as JSON."""
    return list(key) if isinstance(key, tuple) else key


def _key_in(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def dump(facts: Any, gaps: dict[str, dict[int, list]] | None = None) -> str:
    """The Facts of indicators.collect as JSON (areas come back from the area table), and
    the published gap rows per part of the year ({part: {area id: rows}}, gaps.gap_rows)."""
    return json.dumps({
        "areas": [r.id for r in facts.refs],
        "direct": sorted(facts.direct),
        "rest_used": sorted(facts.rest_used),
        "cells": [[_key_out(a), p, m, v] for (a, p, m), v in facts.cells.items()],
        "suppressed": [[_key_out(a), p, m] for a, p, m in facts.suppressed],
        "hist": [[_key_out(a), p, sorted(h.items())] for (a, p), h in facts.hist.items()],
        "sums": [[_key_out(a), p, dict(v)] for (a, p), v in facts.sums.items()],
        "active": [[_key_out(a), p, n, r] for (a, p), (n, r) in facts.active.items()],
        "depth": facts.depth,
        "quarters": facts.quarters,
        "gaps": {part: [[a, [list(row) for row in rows]] for a, rows in by_area.items()]
                 for part, by_area in (gaps or {}).items()},
    }, separators=(",", ":"))


@dataclass(frozen=True)
class _Decoded:
    """One snapshot row, decoded: its area ids, Facts (with the refs of the view that
    decoded it) and gap rows per part, or None when the snapshot has none."""

    areas: tuple[int, ...]
    facts: Any
    gaps: dict[str, dict[int, list[tuple]]] | None


def _decode(payload: str, refs: list[Any], rules: Rules, computed_at: datetime) -> _Decoded:
    from marketplace.reporting.indicator_table import Facts

    data = json.loads(payload)
    hist: dict[Any, Counter[int]] = defaultdict(Counter)
    for a, p, items in data["hist"]:
        hist[(_key_in(a), p)] = Counter({int(d): int(n) for d, n in items})
    sums: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for a, p, values in data["sums"]:
        sums[(_key_in(a), p)].update(values)
    facts = Facts(
        refs=refs, direct=set(data["direct"]), rest_used=set(data["rest_used"]),
        cells={(_key_in(a), p, m): v for a, p, m, v in data["cells"]},
        suppressed=frozenset((_key_in(a), p, m) for a, p, m in data["suppressed"]),
        hist=hist, sums=sums,
        active={(_key_in(a), p): (n, r) for a, p, n, r in data["active"]},
        rules=rules, computed_at=computed_at, depth=data["depth"],
        quarters=data["quarters"])
    gaps = None
    if "gaps" in data:  # snapshots made before the gaps were kept have none
        gaps = {part: {int(a): [(c, t, w, m, tuple(h)) for c, t, w, m, h in rows]
                       for a, rows in by_area}
                for part, by_area in data["gaps"].items()}
    return _Decoded(tuple(data["areas"]), facts, gaps)


class _DecodedCache:
    """The last few decoded snapshots of this process, by (row id, computed_at)."""

    def __init__(self, size: int = DECODED_SIZE) -> None:
        self.size = size
        self.entries: OrderedDict[tuple, _Decoded] = OrderedDict()
        self.lock = threading.Lock()
        self.loads = 0  # payloads read and decoded (for tests)

    def get(self, key: tuple) -> _Decoded | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: tuple, decoded: _Decoded) -> None:
        with self.lock:
            self.loads += 1
            # A newer computed_at of the same row replaces the older one at once.
            for old in [k for k in self.entries if k[0] == key[0]]:
                del self.entries[old]
            self.entries[key] = decoded
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


def decoded_cache() -> _DecodedCache:
    """This process's cache of decoded snapshots (one per app)."""
    return current_app.extensions.setdefault("reporting.snapshots", _DecodedCache())


def _setting(name: str, default: int) -> int:
    config = current_app.config if has_app_context() else {}
    value = config.get(name)
    return default if value is None else int(value)


def max_age() -> timedelta:
    return timedelta(seconds=_setting("REPORTING_SNAPSHOT_MAX_AGE", DEFAULT_MAX_AGE))


def _requests_in(area_ids: list[int], period: Period) -> int:
    from sqlalchemy import func

    from marketplace.help_requests.models import HelpRequest

    return db.session.scalar(select(func.count()).select_from(HelpRequest).where(
        HelpRequest.area_id.in_(area_ids), HelpRequest.created_at >= period.start_at,
        HelpRequest.created_at < period.end_before)) or 0


def _usable(refs: list[Any], year: int, rules: Rules, today: date,
            now: datetime | None) -> _Decoded | None:
    """The decoded snapshot of this tree, year and rule set when it is usable (made on
    `today`, not older than max_age(), for the same areas); asked once per web request."""
    from marketplace.clock import now as clock_now

    if not refs:
        return None
    key = _rules_key(rules)
    memo = g.setdefault("_reporting_cache", {}) if has_app_context() else {}
    memo_key = ("reporting.snapshot", refs[0].id, year, key, today, now)
    if memo_key in memo:
        return memo[memo_key]
    memo[memo_key] = found = _lookup(refs, year, rules, key, today, now or clock_now())
    return found


def _lookup(refs: list[Any], year: int, rules: Rules, key: str, today: date,
            now: datetime) -> _Decoded | None:
    head = db.session.execute(select(
        ReportSnapshot.id, ReportSnapshot.as_of, ReportSnapshot.computed_at).where(
        ReportSnapshot.root_area_id == refs[0].id, ReportSnapshot.year == year,
        ReportSnapshot.rules == key)).first()
    if head is None or head.as_of != today:
        return None
    if now.replace(tzinfo=None) - head.computed_at.replace(tzinfo=None) > max_age():
        return None
    cache = decoded_cache()
    identity = (head.id, refs[0].id, year, key, head.as_of, head.computed_at)
    decoded = cache.get(identity)
    if decoded is None:
        payload = db.session.scalar(select(ReportSnapshot.payload).where(
            ReportSnapshot.id == head.id, ReportSnapshot.computed_at == head.computed_at))
        if payload is None:
            return None  # replaced since the first look: compute now
        decoded = _decode(payload, refs, rules, head.computed_at)
        cache.put(identity, decoded)
    if decoded.areas != tuple(r.id for r in refs):
        return None  # the area tree changed since: compute anew
    return decoded


def load(refs: list[Any], year: int, rules: Rules, today: date,
         now: datetime | None = None) -> Any | None:
    """The snapshot's Facts for this tree, year and rule set, when it is usable: made on
    `today` and not older than max_age(). None: compute the figures now."""
    decoded = _usable(refs, year, rules, today, now)
    if decoded is None:
        return None
    return replace(decoded.facts, refs=refs)  # the areas' names and codes as they are now


def load_gaps(refs: list[Any], period: Period, rules: Rules, today: date,
              now: datetime | None = None) -> tuple[dict[int, list[tuple]], datetime] | None:
    """The snapshot's gap rows of every area of the tree for `period` (a calendar year or
    quarter) and when they were computed; None: compute them now."""
    decoded = _usable(refs, period.start.year, rules, today, now)
    if decoded is None or decoded.gaps is None:
        return None
    part = table_for(period).asked
    if part not in decoded.gaps:
        return None
    return decoded.gaps[part], decoded.facts.computed_at


def _gaps(refs: list[Any], year: int, rules: Rules, today: date) -> dict[str, dict[int, list]]:
    """The published gap rows of every area of the tree, for the year and each quarter."""
    from marketplace.reporting.gaps import _waiting, gap_rows

    whole = Period(date(year, 1, 1), date(year, 12, 31))
    waiting = _waiting([r.id for r in refs], whole)
    out = {ALL: gap_rows(refs, whole, rules, today, waiting=waiting)}
    for q, quarter in enumerate(QUARTERS):
        start = date(year, 3 * q + 1, 1)
        end = (date(year + 1, 1, 1) if q == 3 else date(year, 3 * q + 4, 1)) - timedelta(days=1)
        part = [w for w in waiting if start <= w[2] <= end]
        out[quarter] = gap_rows(refs, Period(start, end), rules, today, waiting=part)
    return out


def refresh(now: datetime) -> int:
    """Sweep: compute and store the snapshot of every top area for this year and last
    year. Each (area, year) once per `now`, so the job's second call finds nothing."""
    from marketplace.reporting.indicator_table import collect
    from marketplace.reporting.indicators import area_tree, rules_from_config

    rules = rules_from_config()
    least = _setting("REPORTING_SNAPSHOT_MIN_REQUESTS", DEFAULT_MIN_REQUESTS)
    today = clock_today(now)
    key = _rules_key(rules)
    stamp = now.replace(tzinfo=None)  # stored times are UTC
    done = 0
    roots = db.session.scalars(select(Area).where(Area.parent_id.is_(None))
                               .order_by(Area.id)).all()
    for root in roots:
        refs = area_tree(root)
        for year in (today.year, today.year - 1):
            row = db.session.scalar(select(ReportSnapshot).where(
                ReportSnapshot.root_area_id == root.id, ReportSnapshot.year == year,
                ReportSnapshot.rules == key))
            if row is not None and row.computed_at.replace(tzinfo=None) >= stamp:
                continue
            table = table_for(Period(date(year, 1, 1), date(year, 12, 31)))
            if _requests_in([r.id for r in refs], table.period) < least:
                continue  # small: computed live, always current
            facts = collect(refs, table, rules, today)
            gaps = _gaps(refs, year, rules, today)
            if row is None:
                row = ReportSnapshot(root_area_id=root.id, year=year, rules=key)
                db.session.add(row)
            row.as_of, row.computed_at, row.payload = today, now, dump(facts, gaps)
            db.session.flush()
            done += 1
    return done
