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
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import select

from marketplace.areas.models import Area
from marketplace.clock import today as clock_today
from marketplace.extensions import db
from marketplace.reporting.disclosure import Rules, fingerprint
from marketplace.reporting.models import ReportSnapshot
from marketplace.reporting.periods import Period, table_for

DEFAULT_MAX_AGE = 3600
# Trees with fewer requests in a year are computed live in a few milliseconds: no snapshot.
DEFAULT_MIN_REQUESTS = 10_000


def _rules_key(rules: Rules) -> str:
    return fingerprint(b"", rules)["rules"] + f"; version {rules.version}"


def _key_out(key: Any) -> Any:
    """An area key (an id, or ("rest", id)) as JSON."""
    return list(key) if isinstance(key, tuple) else key


def _key_in(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def dump(facts: Any) -> str:
    """The Facts of indicators.collect as JSON (areas come back from the area table)."""
    return json.dumps({
        "areas": [r.id for r in facts.refs],
        "direct": sorted(facts.direct),
        "rest_used": sorted(facts.rest_used),
        "cells": [[_key_out(a), p, m, v] for (a, p, m), v in facts.cells.items()],
        "suppressed": [[_key_out(a), p, m] for a, p, m in facts.suppressed],
        "hist": [[_key_out(a), p, sorted(h.items())] for (a, p), h in facts.hist.items()],
        "sums": [[_key_out(a), p, dict(v)] for (a, p), v in facts.sums.items()],
        "active": [[_key_out(a), p, n, r] for (a, p), (n, r) in facts.active.items()],
        "hidden_whole": facts.hidden_whole,
    }, separators=(",", ":"))


def _facts(row: ReportSnapshot, refs: list[Any], rules: Rules) -> Any | None:
    from marketplace.reporting.indicator_table import Facts

    data = json.loads(row.payload)
    if data["areas"] != [r.id for r in refs]:
        return None  # the area tree changed since: compute anew
    hist: dict[Any, Counter[int]] = defaultdict(Counter)
    for a, p, items in data["hist"]:
        hist[(_key_in(a), p)] = Counter({int(d): int(n) for d, n in items})
    sums: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for a, p, values in data["sums"]:
        sums[(_key_in(a), p)].update(values)
    return Facts(
        refs=refs, direct=set(data["direct"]), rest_used=set(data["rest_used"]),
        cells={(_key_in(a), p, m): v for a, p, m, v in data["cells"]},
        suppressed=frozenset((_key_in(a), p, m) for a, p, m in data["suppressed"]),
        hist=hist, sums=sums,
        active={(_key_in(a), p): (n, r) for a, p, n, r in data["active"]},
        rules=rules, computed_at=row.computed_at, hidden_whole=data["hidden_whole"])


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


def load(refs: list[Any], year: int, rules: Rules, today: date,
         now: datetime | None = None) -> Any | None:
    """The snapshot's Facts for this tree, year and rule set, when it is usable: made on
    `today` and not older than max_age(). None: compute the figures now."""
    from marketplace.clock import now as clock_now

    if not refs:
        return None
    row = db.session.scalar(select(ReportSnapshot).where(
        ReportSnapshot.root_area_id == refs[0].id, ReportSnapshot.year == year,
        ReportSnapshot.rules == _rules_key(rules)))
    if row is None or row.as_of != today:
        return None
    computed = row.computed_at.replace(tzinfo=None)
    current = (now or clock_now()).replace(tzinfo=None)
    if current - computed > max_age():
        return None
    return _facts(row, refs, rules)


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
            if row is None:
                row = ReportSnapshot(root_area_id=root.id, year=year, rules=key)
                db.session.add(row)
            row.as_of, row.computed_at, row.payload = today, now, dump(facts)
            db.session.flush()
            done += 1
    return done
