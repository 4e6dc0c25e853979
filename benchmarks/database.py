"""A throwaway database for one benchmark engine: never the app's own data.

SQLite: a new file in a temporary directory. PostgreSQL: a new schema in the database that
``DATABASE_URL`` names, dropped afterwards. The schema comes from the project's migrations
(so the benchmark measures the real index), and the volunteers are bulk-loaded around the
search index: drop it, load (executemany on SQLite, COPY on PostgreSQL), build it again.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from flask import Flask
from sqlalchemy import (
    Boolean,
    Date,
    Double,
    Integer,
    String,
    create_engine,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from config import Config
from marketplace.app import create_app
from marketplace.extensions import db
from marketplace.matching.index import forget_row_counts, lat_cell
from marketplace.matching.models import MatchingIndexEntry

from .data import CATEGORIES, Volunteers

INDEX_COLUMNS = ("user_id", "category", "lat", "lon", "lat_cell", "radius_km", "paused",
                 "active_commitments", "max_commitments", "has_vog", "vog_valid_until")


class BenchConfig(Config):
    ENV_NAME = "benchmark"
    SECRET_KEY = "benchmark-only-not-a-secret"
    RATELIMIT_ENABLED = False


class NaiveBase(DeclarativeBase):
    pass


class NaiveVolunteer(NaiveBase):
    """What a first, naive implementation would scan: one row per volunteer, skills as text."""

    __tablename__ = "bench_naive_volunteer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lat: Mapped[float] = mapped_column(Double)
    lon: Mapped[float] = mapped_column(Double)
    radius_km: Mapped[float] = mapped_column(Double)
    skills: Mapped[str] = mapped_column(String(200))  # comma-separated category codes
    paused: Mapped[bool] = mapped_column(Boolean)
    active_commitments: Mapped[int] = mapped_column(Integer)
    max_commitments: Mapped[int] = mapped_column(Integer)
    has_vog: Mapped[bool] = mapped_column(Boolean)
    vog_valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)


def _pg_schema_url(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


@contextmanager
def migrated_app(engine: str, postgres_url: str | None, name: str,
                 **overrides: object) -> Iterator[Flask]:
    """An app (context pushed) on a fresh database migrated to the head: a SQLite file in a
    temporary directory, or the schema ``bench_<name>_<pid>`` dropped afterwards. Only the
    URL (and ``overrides``) differ from the real app: the engine options, the connection
    settings (e.g. PostgreSQL's POSTGRESQL_SETTINGS) and the listeners are create_app's own."""
    from flask_migrate import upgrade

    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        schema = f"bench_{name}_{os.getpid()}"
        admin = None
        if engine == "sqlite":
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        else:
            assert postgres_url is not None
            admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            url = _pg_schema_url(postgres_url, schema)
        config = BenchConfig()
        config.INSTANCE_PATH = tmp
        app = create_app(config, SQLALCHEMY_DATABASE_URI=url, **overrides)
        try:
            with app.app_context():
                upgrade(revision="heads")
                yield app
                db.session.remove()
                db.engine.dispose()
        finally:
            if admin is not None:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                admin.dispose()


@contextmanager
def bench_app(engine: str, postgres_url: str | None = None) -> Iterator[Flask]:
    """The matching benchmark's app: a migrated database plus the naive approach's table."""
    with migrated_app(engine, postgres_url, "matching") as app:
        NaiveBase.metadata.create_all(db.engine)
        yield app


def _rows(v: Volunteers) -> Iterator[tuple]:
    """matching_index rows in the app's own layout (one per volunteer and category)."""
    rows, cats = v.index_rows()
    uid, lat, lon, rad = v.user_id.tolist(), v.lat.tolist(), v.lon.tolist(), v.radius_km.tolist()
    paused, act, mx = v.paused.tolist(), v.active.tolist(), v.max_commitments.tolist()
    vog = v.has_vog.tolist()
    cells = [lat_cell(x) for x in lat]
    for i, c in zip(rows.tolist(), cats.tolist(), strict=True):
        yield (uid[i], CATEGORIES[c], lat[i], lon[i], cells[i], rad[i], paused[i], act[i],
               mx[i], vog[i], v.vog_valid_until[i])


def _naive_rows(v: Volunteers) -> Iterator[tuple]:
    for i in range(len(v)):
        yield (int(v.user_id[i]), float(v.lat[i]), float(v.lon[i]), float(v.radius_km[i]),
               ",".join(v.categories(i)), bool(v.paused[i]), int(v.active[i]),
               int(v.max_commitments[i]), bool(v.has_vog[i]), v.vog_valid_until[i])


def load(volunteers: Volunteers) -> dict[str, float]:
    """Bulk-load users, the matching index and the naive table; returns timings."""
    started = time.perf_counter()
    search_index = next(i for i in MatchingIndexEntry.__table__.indexes
                        if i.name == "ix_matching_index_search")
    search_index.drop(db.engine)
    if db.engine.dialect.name == "postgresql":
        _load_postgresql(volunteers)
    else:
        _load_sqlite(volunteers)
    loaded = time.perf_counter()
    search_index.create(db.engine)
    forget_row_counts()  # the same PostgreSQL schema name is reused for each size
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if db.engine.dialect.name == "postgresql":
            # The visibility map lets PostgreSQL answer from the index alone.
            conn.execute(text("VACUUM ANALYZE matching_index"))
            conn.execute(text("VACUUM ANALYZE bench_naive_volunteer"))
        else:
            conn.execute(text("ANALYZE"))
    indexed = time.perf_counter()
    return {"load_s": round(loaded - started, 2), "index_s": round(indexed - loaded, 2)}


def _load_sqlite(v: Volunteers) -> None:
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("PRAGMA synchronous=OFF")
        cur.execute("BEGIN")
        cur.executemany(
            'INSERT INTO "user" (id, name, is_active, created_at, updated_at) '
            "VALUES (?, ?, 1, ?, ?)",
            ((int(u), f"Vrijwilliger {u}", now, now) for u in v.user_id.tolist()),
        )
        cols = ", ".join(INDEX_COLUMNS)
        cur.executemany(
            f"INSERT INTO matching_index ({cols}) VALUES ({', '.join('?' * len(INDEX_COLUMNS))})",
            ((*r[:10], r[10].isoformat() if r[10] else None) for r in _rows(v)),
        )
        cur.executemany(
            "INSERT INTO bench_naive_volunteer VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((*r[:9], r[9].isoformat() if r[9] else None) for r in _naive_rows(v)),
        )
        cur.execute("COMMIT")
        cur.execute("PRAGMA synchronous=NORMAL")
    finally:
        raw.close()


def _copy(cursor, table: str, columns: tuple[str, ...] | None, rows: Iterator[tuple]) -> None:
    """COPY FROM STDIN; psycopg's C row writer does the text encoding."""
    target = f"{table} ({', '.join(columns)})" if columns else table
    with cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _load_postgresql(v: Volunteers) -> None:
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        _copy(cur, '"user"', ("id", "name", "is_active", "created_at", "updated_at"),
              ((int(u), f"Vrijwilliger {u}", True, now, now) for u in v.user_id.tolist()))
        _copy(cur, "matching_index", INDEX_COLUMNS, _rows(v))
        _copy(cur, "bench_naive_volunteer", None, _naive_rows(v))
        raw.commit()
    finally:
        raw.close()
