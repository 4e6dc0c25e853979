"""Shared fixtures. Database tests run on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.

Each backend gets its schema from the Alembic migrations once per session (so every run
also exercises the migrations); after each test the tables are emptied again.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g, request_started
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from config import TestingConfig, test_database_urls
from marketplace.app import create_app
from marketplace.extensions import db

# Reference data that migrations insert and tests must keep.
KEEP_TABLES = {"category", "alembic_version", "data_generation"}
CATEGORY_COLUMNS = ("code", "position", "default_support_weeks", "vog_required", "active")
# The category rows as the migrations left them, per database URL (read once per session):
# a test that edits a category (VOG needed, inactive) gets them back after it.
MIGRATED_CATEGORIES: dict[str, list[tuple[Any, ...]]] = {}
TEST_PASSWORD = "correct horse battery"


def _backends() -> list[Any]:
    params: list[Any] = [pytest.param("sqlite", id="sqlite")]
    for url in test_database_urls():
        params.append(pytest.param(url, id="postgresql"))
    return params


def postgres_schema_url(url: str, schema: str) -> str:
    """The same PostgreSQL database, with its own schema as search_path (tests stay apart)."""
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


def reset_postgres_schema(url: str, schema: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()


def make_database_url(backend: str, directory: Path, name: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{directory / (name + '.db')}"
    # One schema per test process: several runs can share the database at once.
    schema = re.sub(r"\W", "_", f"bm_{name}_{os.getpid()}")
    reset_postgres_schema(backend, schema)
    return postgres_schema_url(backend, schema)


def build_app(database_url: str, instance: Path, **overrides: Any) -> Flask:
    config = TestingConfig()
    config.INSTANCE_PATH = str(instance)
    return create_app(
        config,
        SQLALCHEMY_DATABASE_URI=database_url,
        MAIL_OUTBOX_DIR=str(instance / "outbox"),
        **overrides,
    )


def upgrade_to_head(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(revision="heads")


@pytest.fixture(scope="session", params=_backends())
def database(request, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """(backend name, URL) of a migrated database shared by the session's tests."""
    backend = request.param
    directory = tmp_path_factory.mktemp("db")
    url = make_database_url(backend, directory, "test")
    app = build_app(url, directory)
    upgrade_to_head(app)
    with app.app_context():
        MIGRATED_CATEGORIES[url] = _category_rows()
        db.session.remove()
        db.engine.dispose()
    yield ("sqlite" if backend == "sqlite" else "postgresql", url)
    if backend != "sqlite":
        engine = create_engine(backend, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "bm_test_{os.getpid()}" CASCADE'))
        engine.dispose()


@pytest.fixture(scope="session")
def session_app(database, tmp_path_factory) -> Iterator[Flask]:
    app = build_app(database[1], tmp_path_factory.mktemp("instance"))
    yield app
    with app.app_context():
        db.engine.dispose()


def _category_rows() -> list[tuple[Any, ...]]:
    columns = ", ".join(CATEGORY_COLUMNS)
    return [tuple(row) for row in db.session.execute(
        text(f"SELECT {columns} FROM category ORDER BY code"))]


def _restore_categories(migrated: list[tuple[Any, ...]] | None) -> None:
    """Put the categories back as the migrations inserted them, if a test changed them.

    One SELECT per test; the rewrite only when something differs. Runs after the other tables
    are emptied, so no row refers to a category any more.
    """
    if migrated is None or _category_rows() == migrated:
        return
    db.session.execute(text("DELETE FROM category"))
    db.session.execute(
        text(f"INSERT INTO category ({', '.join(CATEGORY_COLUMNS)}) "
             f"VALUES ({', '.join(':' + c for c in CATEGORY_COLUMNS)})"),
        [dict(zip(CATEGORY_COLUMNS, row, strict=True)) for row in migrated])


def _empty_tables(migrated_categories: list[tuple[Any, ...]] | None = None) -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        # Check foreign keys at commit, when every table is empty (self-references included).
        db.session.execute(text("PRAGMA defer_foreign_keys=ON"))
        for table in tables:
            db.session.execute(table.delete())
    _restore_categories(migrated_categories)
    db.session.commit()


def drop_sqlite_statistics() -> None:
    """Remove SQLite's planner statistics (ANALYZE) from the shared test database.

    SQLite reads sqlite_stat1 when a connection opens; a pooled connection keeps the numbers
    it read (or computed with ANALYZE) after the rows are gone. So the pool is emptied too:
    otherwise a later test plans on another test's statistics, which depends on test order.
    """
    db.session.remove()
    with db.engine.begin() as conn:
        if conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first():
            conn.execute(text("DELETE FROM sqlite_stat1"))
    db.engine.dispose()


def sqlite_plan(statement: str, parameters: Any = ()) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN of a statement: one detail line per step ("SCAN x", "SEARCH
    x USING INDEX ..."). Asked on a new connection, because a connection keeps the planner
    statistics it read when it opened: this one plans on the numbers as they are now."""
    with closing(sqlite3.connect(db.engine.url.database)) as conn:
        rows = conn.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
    return [row[3] for row in rows]


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheaper argon2id parameters (the defaults take ~0.5 s a hash on this machine).

    Still argon2id through the same functions; only the cost differs.
    """
    from argon2 import PasswordHasher

    from marketplace.accounts import passwords

    fast = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", fast)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", fast.hash("not-a-real-password"))


@pytest.fixture()
def app(session_app: Flask, database: tuple[str, str], tmp_path: Path) -> Iterator[Flask]:
    """The app with an app context pushed for the test body.

    Client requests reuse that context, so `g` is cleared at the start of every request, as
    in production (otherwise Flask-Login's cached user would outlive a logout).
    """

    def clear_g(sender: Flask, **extra: Any) -> None:
        vars(g).clear()

    session_app.config["MAIL_OUTBOX_DIR"] = str(tmp_path / "outbox")
    request_started.connect(clear_g, session_app)
    try:
        with session_app.app_context():
            yield session_app
            db.session.rollback()
            _empty_tables(MIGRATED_CATEGORIES.get(database[1]))
            db.session.remove()
    finally:
        request_started.disconnect(clear_g, session_app)


@pytest.fixture()
def drawn_pages(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page store off for one test: it measures what drawing a page costs (statements,
    caches below the page), which a view served from the store would skip."""
    monkeypatch.delitem(app.extensions, "page_cache")


@pytest.fixture()
def backend(database) -> str:
    return database[0]


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture()
def make_area(app: Flask) -> Callable[..., Any]:
    from marketplace.areas.services import save_area

    def make(code: str, kind: str = "municipality", *, name: str | None = None,
             parent: str | None = None, pc4: tuple[str, ...] = ()) -> Any:
        area = save_area(code, name or code, kind, parent_code=parent, pc4=pc4)
        db.session.commit()
        return area

    return make


@pytest.fixture()
def make_user(app: Flask) -> Callable[..., Any]:
    from marketplace.accounts.services import create_user

    counter = {"n": 0}

    def make(*roles: str, email: str | None = None, name: str | None = None,
             areas: tuple[Any, ...] = (), password: str | None = TEST_PASSWORD,
             confirmed: bool = True) -> Any:
        counter["n"] += 1
        email = email or f"{'-'.join(roles) or 'user'}{counter['n']}@example.org"
        user = create_user(email, name or f"Test {counter['n']}", password=password,
                           roles=roles or ("resident",), areas=areas, confirmed=confirmed)
        db.session.commit()
        return user

    return make


@pytest.fixture()
def login(client: FlaskClient) -> Callable[..., Any]:
    def do_login(user: Any, password: str = TEST_PASSWORD, *, follow: bool = False) -> Any:
        response = client.post("/inloggen", data={"email": user.email, "password": password},
                               follow_redirects=follow)
        assert response.status_code in (200, 302), response.status_code
        return response

    return do_login


@pytest.fixture()
def api_token(app: Flask) -> Callable[[Any], dict[str, str]]:
    from marketplace.accounts.sessions import issue_api_token

    def make(user: Any) -> dict[str, str]:
        token = issue_api_token(user)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture()
def outbox_files(app: Flask) -> Callable[[], list[str]]:
    """Relay the outbox to .eml files and return their contents (oldest first)."""

    def read() -> list[str]:
        from marketplace.jobs import run_due

        run_due(__import__("marketplace.clock", fromlist=["now"]).now())
        folder = Path(app.config["MAIL_OUTBOX_DIR"])
        return [p.read_text() for p in sorted(folder.glob("*.eml"))] if folder.exists() else []

    return read


@pytest.fixture()
def fresh_app(database, tmp_path) -> Iterator[Flask]:
    """An app on a new, EMPTY database of the same backend (no migrations run yet)."""
    backend_url = database[1]
    if database[0] == "sqlite":
        url = make_database_url("sqlite", tmp_path, "fresh")
    else:
        url = make_database_url(backend_url.split("?")[0], tmp_path, "fresh")
    fresh = build_app(url, tmp_path)
    with fresh.app_context():
        yield fresh
        db.session.remove()
        db.engine.dispose()
    if database[0] != "sqlite":
        engine = create_engine(backend_url.split("?")[0], isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "bm_fresh_{os.getpid()}" CASCADE'))
        engine.dispose()
