"""The indexed search returns exactly what a naive scan of every volunteer returns.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL (the ``app`` fixture).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, event, func, insert, select, text

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.matching import index
from marketplace.matching.core import MatchRequest, VolunteerCandidate, rank
from marketplace.matching.geometry import great_circle_km
from marketplace.matching.models import MatchingIndexEntry
from marketplace.matching.rules import is_eligible
from marketplace.matching.service import SearchOptions, find_candidates

DAY = date(2026, 6, 1)
CENTRE = (52.09, 5.12)  # Utrecht
POOL = 60  # user ids 1..POOL exist for every test here


@pytest.fixture()
def users(app):
    db.session.execute(insert(User), [{"id": i, "name": f"Vrijwilliger {i}"}
                                      for i in range(1, POOL + 1)])
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('user', 'id'), :n)"),
                           {"n": POOL})
    db.session.commit()
    return list(range(1, POOL + 1))


def put(v: VolunteerCandidate) -> None:
    index.upsert_volunteer(
        user_id=v.user_id, lat=v.lat, lon=v.lon, radius_km=v.radius_km, categories=v.skills,
        has_vog=v.has_vog, vog_valid_until=v.vog_valid_until, paused=v.paused,
        active_commitments=v.active_commitments, max_commitments=v.max_commitments,
    )


def naive(request: MatchRequest, volunteers, limit):
    """Every volunteer, exact distance, reference rules; nearest first, then user id."""
    found = []
    for v in volunteers:
        km = great_circle_km(request.lat, request.lon, v.lat, v.lon)
        if is_eligible(request, v, km):
            found.append((km, v.user_id))
    found.sort()
    return found if limit is None else found[:limit]


def test_upsert_replaces_and_remove_deletes(users):
    index.upsert_volunteer(1, 52.0, 5.0, 5.0, ["garden", "shopping", "garden"], False, None,
                           False, 0, 2)
    rows = db.session.scalars(select(MatchingIndexEntry).order_by(MatchingIndexEntry.category))
    assert [(r.category, r.lat_cell) for r in rows] == [("garden", 5200), ("shopping", 5200)]
    index.upsert_volunteer(1, 52.5, 5.0, 7.0, ["pets"], True, None, False, 1, 2)
    rows = db.session.scalars(select(MatchingIndexEntry)).all()
    assert [(r.category, r.radius_km, r.has_vog) for r in rows] == [("pets", 7.0, True)]
    index.remove_volunteer(1)
    assert db.session.scalar(select(func.count()).select_from(MatchingIndexEntry)) == 0
    with pytest.raises(ValueError):
        index.upsert_volunteer(1, 52.0, 5.0, 30.0, ["pets"], False, None, False, 0, 1)


def test_search_applies_every_hard_rule_with_inclusive_edges(users):
    lat, lon = CENTRE
    east = (lat, lon + 2 / 68.6)  # about 2 km east
    km = great_circle_km(lat, lon, *east)
    base = dict(lat=east[0], lon=east[1], skills={"shopping"}, max_commitments=2)
    put(VolunteerCandidate(1, radius_km=km, **base))  # exactly at its radius: in
    put(VolunteerCandidate(2, radius_km=math.nextafter(km, 0), **base))  # a hair short: out
    put(VolunteerCandidate(3, radius_km=10, paused=True, **base))
    put(VolunteerCandidate(4, radius_km=10, active_commitments=2, **base))
    put(VolunteerCandidate(5, radius_km=10, has_vog=True, vog_valid_until=DAY, **base))
    put(VolunteerCandidate(6, radius_km=10, has_vog=True, vog_valid_until=DAY - timedelta(1),
                           **base))
    put(VolunteerCandidate(7, radius_km=10, has_vog=True, **base))  # no end date
    put(VolunteerCandidate(8, radius_km=10, lat=east[0], lon=east[1], skills={"garden"}))

    def ids(**kw):
        args = dict(category="shopping", lat=lat, lon=lon, reach_km=5.0, needs_vog=False,
                    on_date=DAY)
        args.update(kw)
        return [hit.user_id for hit in index.search(**args)]

    assert ids() == [1, 5, 6, 7]
    assert ids(needs_vog=True) == [5, 7]
    assert ids(reach_km=km) == [1, 5, 6, 7]  # exactly at the request's reach: in
    assert ids(reach_km=math.nextafter(km, 0)) == []
    assert ids(category="garden") == [8]
    assert ids(limit_rows=2) == [1, 5]
    assert ids(limit_rows=0) == []
    [hit] = index.search("garden", lat, lon, 5.0, False, DAY)
    assert hit.distance_km == km


def _oltp_settings() -> dict[str, str]:
    return {name: db.session.execute(text(f"SHOW {name}")).scalar() for name in index.OLTP_SETTINGS}


def _connection_defaults() -> dict[str, str]:
    rows = db.session.execute(text(
        "SELECT name, reset_val FROM pg_settings "
        "WHERE name IN ('jit', 'max_parallel_workers_per_gather')"))
    return dict(rows.all())


def test_postgresql_runs_the_search_without_jit_or_parallel_workers(users, backend):
    if backend != "postgresql":
        pytest.skip("PostgreSQL only")
    index.search("shopping", *CENTRE, 5.0, False, DAY)
    assert _oltp_settings() == index.OLTP_SETTINGS
    db.session.rollback()
    assert _oltp_settings() == _connection_defaults()


def test_postgresql_connections_have_jit_and_parallel_workers_off(app, backend):
    """POSTGRESQL_SETTINGS arrive with the connection request, next to the URL's own options
    (the test schema's search_path)."""
    if backend != "postgresql":
        pytest.skip("PostgreSQL only")
    db.engine.dispose()  # a new connection, not one a search has touched
    assert _connection_defaults() == index.OLTP_SETTINGS
    assert db.session.execute(text("SELECT current_schema()")).scalar().startswith("bm_")


def test_postgresql_search_is_one_query_on_such_a_connection(users, backend):
    if backend != "postgresql":
        pytest.skip("PostgreSQL only")
    index.search("shopping", *CENTRE, 5.0, False, DAY)  # reads the defaults and the row count
    sent = []

    def listener(conn, cursor, statement, *rest):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        index.search("shopping", *CENTRE, 5.0, False, DAY)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(sent) == 1 and "FROM matching_index" in sent[0]


def test_postgresql_search_sets_them_for_its_transaction_where_the_connection_does_not(
        users, backend):
    """A connection whose own defaults differ (e.g. behind a pooler that drops the startup
    options) gets them with SET LOCAL: for the search's transaction only."""
    if backend != "postgresql":
        pytest.skip("PostgreSQL only")
    info = db.session.connection().info  # lives as long as the pooled connection
    info["matching_oltp_default"] = False  # as read from such a connection
    db.session.execute(text("SET LOCAL jit = on"))
    db.session.execute(text("SET LOCAL max_parallel_workers_per_gather = 2"))
    try:
        index.search("shopping", *CENTRE, 5.0, False, DAY)
        assert _oltp_settings() == index.OLTP_SETTINGS
        db.session.rollback()
        assert _oltp_settings() == _connection_defaults()
    finally:
        info.pop("matching_oltp_default", None)


# Property: indexed search == naive scan ---------------------------------------------------

near = st.floats(min_value=-0.6, max_value=0.6, allow_nan=False)  # km: the first ring
far = st.floats(min_value=-30, max_value=30, allow_nan=False)  # km: beyond any reach
offsets = st.one_of(near, far, st.floats(min_value=-6, max_value=6, allow_nan=False))
categories = st.sampled_from(["shopping", "garden", "pets"])


@st.composite
def volunteers(draw):
    vols = []
    for uid in draw(st.lists(st.integers(1, POOL), min_size=0, max_size=40, unique=True)):
        lat = CENTRE[0] + draw(offsets) / 111.2
        lon = CENTRE[1] + draw(offsets) / 68.6
        maximum = draw(st.integers(1, 3))
        has_vog = draw(st.booleans())
        vols.append(VolunteerCandidate(
            user_id=uid, lat=lat, lon=lon, radius_km=draw(st.floats(0, 25)),
            skills=draw(st.sets(categories, min_size=1)),
            has_vog=has_vog,
            vog_valid_until=draw(st.none() | st.dates(DAY - timedelta(3), DAY + timedelta(3)))
            if has_vog else None,
            paused=draw(st.integers(0, 9)) == 0,
            active_commitments=draw(st.integers(0, maximum)), max_commitments=maximum,
        ))
    return vols


@st.composite
def requests(draw):
    return MatchRequest(
        id=1, category=draw(categories),
        lat=CENTRE[0] + draw(near | st.floats(-3, 3)) / 111.2,
        lon=CENTRE[1] + draw(near | st.floats(-3, 3)) / 68.6,
        reach_km=draw(st.sampled_from([0.3, 1.0, 5.0, 25.0, 60.0]) | st.floats(0.05, 30)),
        when=DAY, needs_vog=draw(st.booleans()), resident_id=None,
    )


def _on_the_edge(request, vols, pick):
    """Put some volunteers exactly at their own radius from the request: the hardest case
    for any index, and the one a bounding box with rounding errors gets wrong."""
    out = []
    for v in vols:
        if pick(v.user_id):
            km = great_circle_km(request.lat, request.lon, v.lat, v.lon)
            if km <= 25:
                v = VolunteerCandidate(**{**{f: getattr(v, f) for f in v.__slots__},
                                          "radius_km": km})
        out.append(v)
    return out


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(vols=volunteers(), request=requests(), limit=st.sampled_from([None, 1, 3, 20]),
       edge=st.integers(0, 3), first_ring=st.sampled_from([None, 0.05, 0.3, 1.0]))
def test_indexed_search_equals_a_naive_scan(users, vols, request, limit, edge, first_ring):
    db.session.execute(delete(MatchingIndexEntry))
    vols = _on_the_edge(request, vols, lambda uid: edge and uid % 4 < edge)
    for v in vols:
        put(v)
    # With test-sized data the first box is the whole reach; smaller first boxes make the
    # search widen ring by ring, as it does at national scale.
    sized = (lambda connection, category, bound: min(bound, first_ring)) if first_ring else \
        index._first_ring
    with patch.object(index, "_first_ring", sized):
        hits = index.search(request.category, request.lat, request.lon, request.reach_km,
                            request.needs_vog, request.when, limit_rows=limit)
    assert [(h.distance_km, h.user_id) for h in hits] == naive(request, vols, limit)
    # And the whole engine: indexed candidates ranked == every volunteer ranked.
    indexed = find_candidates(request, options=SearchOptions(limit=10, pool=POOL))
    reference = rank(request, vols, limit=10)
    assert indexed.candidates == reference.candidates
    db.session.rollback()
