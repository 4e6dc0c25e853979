"""Declarative base, naming convention and database-level helpers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

from marketplace.clock import as_utc
from marketplace.clock import now as clock_now

# Stable constraint names, so migrations can drop and alter them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC; always hands back timezone-aware UTC datetimes (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return as_utc(value).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """Callable column default (evaluated per row, never at import)."""
    return clock_now()


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


def configure_sqlite(engine: Engine, busy_timeout_ms: int,
                     reads_first: Callable[[], bool] | None = None) -> None:
    """WAL, foreign keys, busy timeout, and who takes the write lock when.

    This is SQLAlchemy's documented recipe for pysqlite: switch off the driver's own
    transaction handling and emit BEGIN ourselves. A transaction begins with BEGIN IMMEDIATE,
    which takes the write lock at the start, so two writers queue behind busy_timeout instead
    of failing halfway with "database is locked" when a read transaction tries to upgrade to
    a write.

    When ``reads_first()`` is true at the start of a transaction (the app: a GET or HEAD
    request), it begins with a deferred BEGIN instead, so read-only page views of several
    web workers run side by side (WAL readers never wait). Its first write (INSERT, UPDATE,
    DELETE, a SAVEPOINT, a SELECT ... FOR UPDATE) ends the read transaction, which has
    written nothing, and starts BEGIN IMMEDIATE on the same connection before the statement
    runs: the write queues like any other instead of failing. Reads before that point saw an
    older snapshot, as under PostgreSQL's READ COMMITTED (docs/decisions.md).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        deferred = reads_first is not None and reads_first()
        connection.info[_READING] = False
        connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")
        connection.info[_READING] = deferred

    if reads_first is None:
        return

    @event.listens_for(engine, "before_cursor_execute")
    def _upgrade(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                 executemany: bool) -> None:
        if conn.info.get(_READING) and _writes(statement, context):
            conn.info[_READING] = False
            cursor.execute("COMMIT")  # the read transaction: nothing written yet
            cursor.execute("BEGIN IMMEDIATE")


_READING = "sqlite_deferred_read"  # connection.info: in a deferred BEGIN, nothing written


def _writes(statement: str, context: Any) -> bool:
    head = statement.lstrip()[:6].upper()
    if head not in ("SELECT", "WITH"):
        return True
    compiled = getattr(context, "compiled", None)
    # SELECT ... FOR UPDATE (dropped on SQLite): the caller means to write what it reads.
    return getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is not None


def configure_postgresql(engine: Engine, settings: Mapping[str, str]) -> None:
    """Server settings for every connection, sent with the connection request itself.

    libpq's ``options`` (``-c name=value``) carries them, so they cost no round trip. Options
    already in the URL (a schema's search_path, an operator's own settings) are kept and come
    last, so they win over ours.
    """
    if not settings:
        return
    ours = " ".join(f"-c {name}={value}" for name, value in settings.items())

    @event.listens_for(engine, "do_connect")
    def _on_do_connect(dialect: Any, conn_rec: Any, cargs: Any, cparams: dict) -> None:
        given = cparams.get("options")
        cparams["options"] = f"{ours} {given}" if given else ours


def render_migration_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Migrations spell our UTC type as a plain DateTime, so they never import app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False
