"""When SQLite's one write lock stays taken longer than the busy timeout, the person gets a
503 in plain Dutch with Retry-After (problem+json on the API), nothing half-written, and the
same request succeeds once the lock is free. Never a 500.

Found by CI: twenty parallel vacancy accepts on a loaded two-core machine, where one request
outwaited the 30-second busy timeout (SQLite's lock queue is not first come, first served).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select

from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from marketplace.signals.models import Signal

SHORT_MS = 200


def test_api_write_answers_503_with_retry_after_then_succeeds(app, make_user, make_area,
                                                              api_token, backend):
    if backend != "sqlite":
        pytest.skip("SQLite's database-wide write lock; PostgreSQL waits on row locks")
    make_area("GM1728", "municipality", pc4=("5531",))
    headers = api_token(make_user("resident"))
    body = {"category": "shopping", "description": "Boodschappen doen op vrijdag graag.",
            "postcode": "5531 AB", "house_number": "3"}
    client = app.test_client()

    with held_elsewhere():
        busy = client.post("/api/v1/requests", json=body, headers=headers)
        assert busy.status_code == 503
        assert busy.headers["Retry-After"] == "2"
        assert busy.mimetype == "application/problem+json"
        problem = busy.get_json()
        assert problem["status"] == 503 and "niets opgeslagen" in problem["detail"]
        assert "Traceback" not in busy.text and "locked" not in busy.text

    again = client.post("/api/v1/requests", json=body, headers=headers)
    assert again.status_code == 201, again.get_json()
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 1


def test_form_post_answers_a_dutch_503_page(app, make_area, backend):
    if backend != "sqlite":
        pytest.skip("SQLite's database-wide write lock; PostgreSQL waits on row locks")
    make_area("GM1728", "municipality", pc4=("5531",))
    db.session.commit()
    client = app.test_client()
    with held_elsewhere():
        busy = client.post("/zorg-melden", data={
            "postcode": "5531 AB", "concern": "Mijn buurvrouw doet al dagen niet open."})
        assert busy.status_code == 503
        assert busy.headers["Retry-After"] == "2"
        assert "Het is nu erg druk" in busy.text and "niets opgeslagen" in busy.text
        assert "<html" in busy.text and "Traceback" not in busy.text
    assert db.session.scalar(select(func.count()).select_from(Signal)) == 0


@contextmanager
def held_elsewhere() -> Iterator[sqlite3.Connection]:
    """Hold the write lock from another connection while the caller's block runs."""

    def short_wait(dbapi_connection, record):
        dbapi_connection.execute(f"PRAGMA busy_timeout={SHORT_MS}")

    db.session.close()
    event.listen(db.engine, "connect", short_wait)
    db.engine.dispose()
    other = sqlite3.connect(db.engine.url.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()
        event.remove(db.engine, "connect", short_wait)
        db.engine.dispose()
        db.session.close()
