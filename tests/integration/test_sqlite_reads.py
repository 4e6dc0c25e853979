"""SQLite: GET requests begin deferred (readers side by side), their first write upgrades
to BEGIN IMMEDIATE on the same connection (marketplace/db.py, docs/decisions.md)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, func, select

from marketplace.accounts.models import LoginAttempt
from marketplace.extensions import db


@pytest.fixture
def sqlite_only(backend):
    if backend != "sqlite":
        pytest.skip("SQLite's transaction modes; PostgreSQL has its own MVCC")


def _begins(app, method: str) -> list[str]:
    seen: list[str] = []

    def listen(conn, cursor, statement, *args):
        seen.append(statement)

    with app.test_request_context("/", method=method):
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            db.session.scalar(select(func.count()).select_from(LoginAttempt))
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
            db.session.remove()
    return [s for s in seen if s.startswith("BEGIN")]


def test_get_begins_deferred_and_post_immediate(app, sqlite_only):
    assert _begins(app, "GET") == ["BEGIN"]
    assert _begins(app, "HEAD") == ["BEGIN"]
    assert _begins(app, "POST") == ["BEGIN IMMEDIATE"]


def test_a_get_reads_while_another_connection_holds_the_write_lock(app, sqlite_only):
    db.session.add(LoginAttempt(email="before@x", ip="127.0.0.1"))
    db.session.commit()
    writer = db.engine.raw_connection()
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO login_attempt (email, ip, at, succeeded) "
                       "VALUES ('w@x', '1', '2026-01-01', 0)")
        with app.test_request_context("/", method="GET"):
            # BEGIN IMMEDIATE here would wait for the writer and fail after busy_timeout.
            found = db.session.scalar(select(func.count()).select_from(LoginAttempt))
            db.session.remove()
        assert found == 1  # the committed row; the writer's is not visible yet
    finally:
        writer.rollback()
        writer.close()


def test_gets_that_read_then_write_all_succeed(app, sqlite_only):
    """Each GET reads (an old snapshot), another GET commits a write, then it writes: with a
    plain deferred BEGIN the upgrade fails with "database is locked" (SQLITE_BUSY_SNAPSHOT)."""
    errors: list[BaseException] = []
    per_thread, threads = 15, 4
    barrier = threading.Barrier(threads)

    def work(n: int) -> None:
        with app.test_request_context("/", method="GET"):
            try:
                for i in range(per_thread):
                    db.session.scalar(select(func.count()).select_from(LoginAttempt))
                    if i == 0:
                        barrier.wait(timeout=30)  # every snapshot taken before any write
                    db.session.add(LoginAttempt(email=f"g{n}-{i}@x", ip="127.0.0.1"))
                    db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == (
        per_thread * threads)


def test_select_for_update_in_a_get_takes_the_write_lock_first(app, sqlite_only):
    db.session.add(LoginAttempt(email="row@x", ip="127.0.0.1"))
    db.session.commit()
    seen: list[str] = []
    def listen(conn, cursor, statement, *args):
        seen.append(statement)

    with app.test_request_context("/", method="GET"):
        db.session.scalar(select(func.count()).select_from(LoginAttempt))  # deferred
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            row = db.session.scalar(select(LoginAttempt).with_for_update())
            # The upgrade ran before the SELECT: another writer now waits for us.
            other = db.engine.raw_connection()
            try:
                other.execute("PRAGMA busy_timeout=50")
                with pytest.raises(Exception, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
            finally:
                other.close()
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
            db.session.remove()
    assert row is not None
