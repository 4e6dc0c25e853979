"""Concurrent writers queue instead of failing (SQLite: WAL + BEGIN IMMEDIATE + busy_timeout)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select, text

from marketplace.accounts.models import LoginAttempt
from marketplace.extensions import db


def test_sqlite_pragmas(app, backend):
    if backend != "sqlite":
        return
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_parallel_read_modify_write_transactions_all_succeed(app):
    errors: list[BaseException] = []
    per_thread, threads = 20, 4

    def work(n: int) -> None:
        with app.app_context():
            try:
                for i in range(per_thread):
                    # Read, then write in the same transaction: the pattern that fails with
                    # "database is locked" under SQLite's default deferred transactions.
                    db.session.scalar(select(func.count()).select_from(LoginAttempt))
                    db.session.add(LoginAttempt(email=f"t{n}-{i}@x", ip="127.0.0.1"))
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
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == per_thread * threads
