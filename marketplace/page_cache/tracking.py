"""Count every committed write: the page cache's one rule for "something changed".

A listener on the engine notes whether a transaction wrote a tracked table (any INSERT,
UPDATE, DELETE, REPLACE or TRUNCATE, except on `UNTRACKED` tables); just before it commits,
one statement raises `data_generation.n` in the same transaction. Nothing has to know which
page shows which table: a write anywhere makes every kept page old. The raise comes last, so
on PostgreSQL the counter's row is locked only for the moment of the commit.

`UNTRACKED` holds tables that no cached page shows and that are written all the time: the
audit trail (a read of a request or a file writes a row) and the scheduler's lease on SQLite
(renewed every 10 s). A page that shows one of them must not be cached; `page_cache.cached`
refuses to keep a page that read one.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine

TABLE = "data_generation"
UNTRACKED = frozenset({"audit_event", "scheduler_lease"})
BUMP = f"UPDATE {TABLE} SET n = n + 1 WHERE id = 1"

_WROTE = "page_cache_wrote"  # connection.info: this transaction wrote a tracked table
_WRITE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM|REPLACE\s+INTO'
    r'|TRUNCATE)\s+(?:TABLE\s+)?(?:ONLY\s+)?"?(\w+)', re.IGNORECASE)
_DDL = re.compile(r"\s*(?:CREATE|DROP|ALTER)\b", re.IGNORECASE)
_READS = frozenset({"SELECT", "BEGIN", "COMMIT", "ROLLBA", "SAVEPO", "RELEAS", "PRAGMA",
                    "CREATE", "DROP T", "DROP I", "ALTER ", "ANALYZ", "EXPLAI"})
_NESTED_WRITE = re.compile(r"\b(?:INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def written_table(statement: str) -> str | None:
    """The table a statement writes ("" when it writes but the table is not read off the
    text), or None for a statement that writes nothing."""
    head = statement.lstrip()[:6].upper()
    if head in _READS:
        return None
    if head.startswith("WITH"):
        return "" if _NESTED_WRITE.search(statement) else None
    found = _WRITE.match(statement)
    return found.group(1).lower() if found else None


class Tracker:
    """The write listeners of one engine, and whether its database has the counter yet
    (not before the migration that adds it; checked again after any DDL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.ready = False
        event.listen(engine, "before_cursor_execute", self._seen)
        event.listen(engine, "commit", self._bump)
        for name in ("begin", "rollback"):
            event.listen(engine, name, self._forget)

    def _seen(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
              executemany: bool) -> None:
        if _DDL.match(statement):
            if TABLE in statement:
                self.ready = False  # the migration that adds or drops the counter
            return
        if conn.info.get(_WROTE):
            return
        table = written_table(statement)
        if table is not None and table not in UNTRACKED:
            conn.info[_WROTE] = True

    def _forget(self, conn: Any) -> None:
        conn.info.pop(_WROTE, None)

    def _bump(self, conn: Any) -> None:
        if not conn.info.pop(_WROTE, False):
            return
        cursor = conn.connection.cursor()
        try:
            if self.ready or self._check(cursor):
                cursor.execute(BUMP)
        finally:
            cursor.close()

    def _check(self, cursor: Any) -> bool:
        cursor.execute(self._exists)
        self.ready = bool(cursor.fetchone()[0])
        return self.ready

    @property
    def _exists(self) -> str:
        """One row, true when the counter's table is there."""
        if self.engine.dialect.name == "sqlite":
            return f"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{TABLE}'"
        return f"SELECT to_regclass('{TABLE}') IS NOT NULL"

    def generation(self, session: Any) -> int | None:
        """The counter as this transaction sees it; None while the database has none."""
        if not self.ready:
            with session.no_autoflush:
                if not session.execute(text(self._exists)).scalar():
                    return None
            self.ready = True
        return session.execute(_READ).scalar()


_READ = text(f"SELECT n FROM {TABLE} WHERE id = 1")


def track_writes(engine: Engine) -> Tracker:
    return Tracker(engine)
