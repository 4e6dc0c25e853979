"""The matching index: keep it in step with volunteers, and search it by category and place.

``search`` never scans every volunteer. It asks the covering index for one category inside a
small box around the request (equality on category and on each 1.1 km latitude cell, a range
on longitude), computes exact great-circle distances for the few rows that come back, and
widens the box only while fewer than ``limit_rows`` volunteers were found inside the circle
the box is known to contain. The box never grows past the request's reach (nor past
``MAX_RADIUS_KM``, the largest radius any volunteer may have), so a search where nobody is
near costs a few small queries, never a walk over the index. The result is exactly the
``limit_rows`` nearest volunteers that pass every hard rule (tests compare it with a full
scan), ties broken by user id.

The hard rules that are plain columns (category, pause, capacity, VOG on the date) are
checked in SQL on the index entries; the two radii are checked here on exact distances.
On PostgreSQL the query runs with JIT and parallel workers switched off: both cost more than
the whole query (10-200 ms) for a lookup that touches a few pages. The app sets them off for
every connection when it connects (``marketplace.db.configure_postgresql``); only on a
connection whose defaults say otherwise does the search switch them off itself, for its
transaction, which costs a round trip.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    Select,
    any_,
    bindparam,
    false,
    func,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.engine import Connection

from marketplace.extensions import db
from marketplace.geo import bounding_box

from .geometry import distance_from

# Writing lives in index_writes.py; every caller has always found it here.
from .index_writes import (  # noqa: F401
    LAT_CELLS_PER_DEGREE,
    lat_cell,
    remove_volunteer,
    set_load,
    set_paused,
    upsert_volunteer,
)
from .models import MatchingIndexEntry as E
from .profiles import MAX_RADIUS_KM

# The first box is sized so that, at the national mean density of the category, it holds
# about FIRST_RING_ROWS volunteers: with 10k volunteers that is the whole reach (one query),
# with 1M 1.4-2 km. On PostgreSQL every extra ring is a round trip, which costs more than a
# hundred rows; SQLite runs in-process, where fewer rows beat fewer queries (measured with
# the benchmark at 1M). A wrong guess only costs time, never a result.
FIRST_RING_ROWS = {"sqlite": 30}
FIRST_RING_ROWS_DEFAULT = 60
MIN_FIRST_RING_KM = 0.5
LAND_KM2 = 34_000.0  # land area of the Netherlands
ROW_COUNT_TTL_S = 600.0
_row_counts: dict[tuple[str, str], tuple[float, int]] = {}  # (database, category) -> when, n

OLTP_SETTINGS = {"jit": "off", "max_parallel_workers_per_gather": "0"}
_PG_OLTP = text(
    "SELECT set_config('jit', 'off', true), "
    "set_config('max_parallel_workers_per_gather', '0', true)"
)
# reset_val: the session's own default (connection options, role, database, server), which a
# SET LOCAL earlier in the transaction does not change.
_PG_DEFAULTS = text(
    "SELECT name, reset_val FROM pg_settings "
    "WHERE name IN ('jit', 'max_parallel_workers_per_gather')"
)
_COLUMNS = (E.user_id, E.lat, E.lon, E.radius_km, E.active_commitments, E.max_commitments,
            E.has_vog, E.vog_valid_until)
_RULES = (E.paused == false(), E.active_commitments < E.max_commitments)
_VOG_RULE = (E.has_vog == true(),
             or_(E.vog_valid_until.is_(None), E.vog_valid_until >= bindparam("on_date")))
_COUNT = select(func.count()).select_from(E).where(E.category == bindparam("category"))


def _searches(cells: ColumnElement[bool]) -> dict[bool, Select]:
    """The box query without and with the VOG rule (keyed by needs_vog)."""
    in_box = (
        E.category == bindparam("category"),
        cells,
        E.lon.between(bindparam("min_lon"), bindparam("max_lon")),
        E.lat.between(bindparam("min_lat"), bindparam("max_lat")),
    )
    return {False: select(*_COLUMNS).where(*in_box, *_RULES),
            True: select(*_COLUMNS).where(*in_box, *_RULES, *_VOG_RULE)}


# The latitude cells are a list of values, one index seek each. SQLite has no arrays: the IN
# list is expanded into one parameter per cell. PostgreSQL takes them as one array parameter:
# the same statement text for every box, nothing to render per query.
_SEARCHES = _searches(E.lat_cell.in_(bindparam("cells", expanding=True)))
_SEARCHES_PG = _searches(E.lat_cell == any_(bindparam("cells", type_=ARRAY(Integer))))


@dataclass(frozen=True, slots=True)
class IndexHit:
    """One volunteer found for a category, with the exact distance to the request."""

    user_id: int
    distance_km: float
    lat: float
    lon: float
    radius_km: float
    active_commitments: int
    max_commitments: int
    has_vog: bool
    vog_valid_until: date | None


# Reading ---------------------------------------------------------------------------------

def _connection() -> Connection:
    """The session's connection; on PostgreSQL with JIT and parallel workers off.

    Usually the connection already has them off by default (see the module docstring): that
    is read once per database connection (``connection.info`` lives as long as the pooled
    connection) and then costs nothing. Otherwise ``set_config(..., true)``, i.e. SET LOCAL,
    once per transaction, remembered by the transaction object on the connection's info.
    """
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        info = connection.info
        if "matching_oltp_default" not in info:
            defaults = dict(connection.execute(_PG_DEFAULTS).all())
            info["matching_oltp_default"] = defaults == OLTP_SETTINGS
        if not info["matching_oltp_default"]:
            transaction = connection.get_transaction()
            if info.get("matching_oltp_for") is not transaction:
                connection.execute(_PG_OLTP)
                info["matching_oltp_for"] = transaction
    return connection


def search(
    category: str,
    lat: float,
    lon: float,
    reach_km: float,
    needs_vog: bool,
    on_date: date,
    limit_rows: int | None = 200,
) -> list[IndexHit]:
    """The ``limit_rows`` nearest volunteers (None: all) who pass every hard rule.

    Hard rules: the category among their skills, not paused, below their capacity, a VOG
    valid on ``on_date`` when ``needs_vog``, and within both the request's reach and their
    own radius (edges inclusive). Nearest first, ties by user id.
    """
    if limit_rows is not None and limit_rows <= 0:
        return []
    bound = min(reach_km, MAX_RADIUS_KM)  # nobody further away can pass both radius rules
    distance = distance_from(lat, lon)
    connection = _connection()
    postgresql = connection.dialect.name == "postgresql"
    statement = (_SEARCHES_PG if postgresql else _SEARCHES)[needs_vog]
    ring = bound if limit_rows is None else _first_ring(connection, category, bound)
    while True:
        hits = []
        rows = connection.execute(statement, _box_params(category, lat, lon, ring, on_date))
        for row in rows.all():  # one fetch, not one per row
            km = distance(row[1], row[2])
            # Only rows inside the circle of this ring are certain: one just outside it may
            # be beaten by a row that the next, wider box brings in.
            if km <= ring and km <= row[3]:
                hits.append((km, row[0], row))
        if ring >= bound or (limit_rows is not None and len(hits) >= limit_rows):
            break
        # Aim the next ring at ~1.5x the rows needed, assuming even density (none found
        # counts as a quarter): in the countryside that is one jump to the bound.
        growth = math.sqrt(1.5 * limit_rows / max(0.25, len(hits)))  # type: ignore[operator]
        ring = min(bound, ring * max(1.5, growth))
    hits.sort(key=lambda hit: (hit[0], hit[1]))
    chosen = hits if limit_rows is None else hits[:limit_rows]
    return [IndexHit(uid, km, *row[1:]) for km, uid, row in chosen]


def _first_ring(connection: Connection, category: str, bound: float) -> float:
    key = (connection.engine.url.render_as_string(hide_password=True), category)
    checked = _row_counts.get(key)
    now = time.monotonic()
    if checked is None or now - checked[0] > ROW_COUNT_TTL_S:
        rows = connection.execute(_COUNT, {"category": category}).scalar_one()
        _row_counts[key] = checked = (now, rows)
    density = checked[1] / LAND_KM2
    if density <= 0:
        return bound
    wanted = FIRST_RING_ROWS.get(connection.dialect.name, FIRST_RING_ROWS_DEFAULT)
    return min(bound, max(MIN_FIRST_RING_KM, math.sqrt(wanted / (math.pi * density))))


def forget_row_counts() -> None:
    """Drop the cached category sizes (after a bulk load, or between benchmark datasets)."""
    _row_counts.clear()


def lookup(
    category: str,
    user_ids: Iterable[int],
    lat: float,
    lon: float,
    reach_km: float,
    needs_vog: bool,
    on_date: date,
) -> list[IndexHit]:
    """Like ``search`` but for named volunteers (e.g. who helped this resident before)."""
    ids = sorted(set(user_ids))
    if not ids:
        return []
    conditions = [E.category == category, E.user_id.in_(ids), *_RULES]
    params = {}
    if needs_vog:
        conditions += _VOG_RULE
        params["on_date"] = on_date
    distance = distance_from(lat, lon)
    found = []
    for row in _connection().execute(select(*_COLUMNS).where(*conditions), params):
        km = distance(row[1], row[2])
        if km <= reach_km and km <= row[3]:
            found.append(IndexHit(row[0], km, *row[1:]))
    found.sort(key=lambda hit: (hit.distance_km, hit.user_id))
    return found


def entries_in_box(
    categories: Sequence[str], min_lat: float, max_lat: float, min_lon: float, max_lon: float
) -> list[tuple]:
    """Raw index rows (user_id, category, lat, lon, radius_km, paused, active, max, has_vog,
    vog_valid_until) of the given categories inside a box: the volunteers of a batch run."""
    statement = select(
        E.user_id, E.category, E.lat, E.lon, E.radius_km, E.paused, E.active_commitments,
        E.max_commitments, E.has_vog, E.vog_valid_until,
    ).where(
        E.category.in_(sorted(set(categories))),
        E.lat_cell.between(lat_cell(min_lat), lat_cell(max_lat)),
        E.lat.between(min_lat, max_lat),
        E.lon.between(min_lon, max_lon),
    ).order_by(E.user_id, E.category)
    return [tuple(row) for row in _connection().execute(statement)]


def _box_params(category: str, lat: float, lon: float, km: float, on_date: date) -> dict:
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, km)
    # At most MAX_RADIUS_KM: a list of at most ~46 cells, each one index seek.
    return {
        "category": category, "cells": list(range(lat_cell(min_lat), lat_cell(max_lat) + 1)),
        "min_lon": min_lon, "max_lon": max_lon, "min_lat": min_lat, "max_lat": max_lat,
        "on_date": on_date,
    }
