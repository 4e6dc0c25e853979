"""Signing in checks the password without holding SQLite's write lock.

Found by the load test (benchmarks/load.py): 50 people signing in within a few seconds on
SQLite gave "database is locked" and 500s, because the sign-in POST began with BEGIN
IMMEDIATE and held the one write lock through the argon2id hash. The sign-in now begins
deferred (marketplace/app.py READS_FIRST_ENDPOINTS); its first write takes the lock.
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from marketplace.accounts import sessions
from marketplace.accounts.models import LoginAttempt, LoginSession
from marketplace.extensions import db
from tests.conftest import TEST_PASSWORD


def other_writer_can_lock(path: str) -> bool:
    """Can a second connection take the write lock right now (no waiting)?"""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    finally:
        other.close()


@pytest.mark.parametrize("password", [TEST_PASSWORD, "wrong password 123"])
def test_password_is_checked_without_the_write_lock(app, client, make_user, backend,
                                                    monkeypatch, password):
    if backend != "sqlite":
        pytest.skip("SQLite's database-wide write lock; PostgreSQL locks rows")
    email = make_user("resident").email
    path = db.engine.url.database
    db.session.remove()  # the test's own read transaction must not be the one the POST uses
    seen: list[bool] = []
    verify = sessions.verify_password

    def verify_and_look(password_hash, given):
        seen.append(other_writer_can_lock(path))
        return verify(password_hash, given)

    monkeypatch.setattr(sessions, "verify_password", verify_and_look)
    response = client.post("/inloggen", data={"email": email, "password": password})
    assert seen == [True]  # begun IMMEDIATE, the sign-in held the lock here
    # The writes after the hash still happen (the attempt; a session when it was right).
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 1
    signed_in = password == TEST_PASSWORD
    assert db.session.scalar(select(func.count()).select_from(LoginSession)) == int(signed_in)
    assert response.status_code == (302 if signed_in else 200)


def test_other_posts_still_begin_immediate(app, backend):
    if backend != "sqlite":
        pytest.skip("SQLite's transaction modes")
    from sqlalchemy import event

    seen: list[str] = []

    def listen(conn, cursor, statement, *args):
        seen.append(statement)

    with app.test_request_context("/account-maken", method="POST"):
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            db.session.scalar(select(func.count()).select_from(LoginAttempt))
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
            db.session.remove()
    assert [s for s in seen if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE"]
