"""The worklist never reads every request of the table, also when SQLite has statistics.

A database that has run a while (or been ANALYZEd) has sqlite_stat1, which says a status
value covers half the table (two values seen: nearly everything closed, a little open). With
those numbers SQLite's planner once chose to scan all requests for "status IN (three)"
rather than seek each status: 36 ms per worklist at 100k requests (docs/performance.md,
fifth round). This test builds that skew, runs ANALYZE, and asks SQLite for the plan of every
statement the worklist page sends: none may scan help_request from start to end.

SQLite keeps the statistics a connection read when it opened, so the plans are asked on a new
connection (the numbers as they are now), and the statistics are removed afterwards.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.help_requests.services import RequestInput, create_request
from tests.conftest import TEST_PASSWORD, drop_sqlite_statistics, sqlite_plan


@pytest.fixture
def sqlite_only(backend):
    if backend != "sqlite":
        pytest.skip("sqlite_stat1 and SQLite's planner; PostgreSQL keeps statistics per value")
    yield
    db.session.rollback()
    drop_sqlite_statistics()  # leave the shared test database as other tests expect it


def test_worklist_seeks_with_skewed_statistics(app, make_area, make_user, sqlite_only):
    bladel = make_area("GM1728", "municipality", name="Bladel", pc4=("5531",))
    worker = make_user("worker", areas=(bladel,))
    resident = make_user("resident")
    for i, urgency in enumerate(("high", "normal", "low")):
        create_request(resident, RequestInput(
            category="shopping", description=f"Hulp gezocht, vraag {i}.", postcode="5531 CD",
            house_number=str(i + 1), urgency=urgency))
    db.session.commit()
    columns = [c.name for c in db.metadata.tables["help_request"].columns if c.name != "id"]
    copy = (f"INSERT INTO help_request ({', '.join(columns)}) "
            f"SELECT {', '.join(columns)} FROM help_request")
    for _ in range(9):  # 3 × 2^9 = 1,536 requests
        db.session.execute(text(copy))
    # Nearly all closed, the three first still waiting, one of them old ("open too long").
    db.session.execute(text("UPDATE help_request SET status = 'closed' WHERE id > 3"))
    db.session.execute(text("UPDATE help_request SET status = 'open', created_at = :old "
                            "WHERE id = 3"), {"old": clock_now().replace(tzinfo=None)
                                              .replace(year=clock_now().year - 1)})
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    stat = db.session.execute(text(
        "SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_help_request_status'")).scalar()
    assert stat and int(stat.split()[1]) > 500, stat  # the skew: "a status is half the table"

    client = app.test_client()
    assert client.post("/inloggen", data={"email": worker.email,
                                          "password": TEST_PASSWORD}).status_code == 302
    client.get("/werk/")
    sent: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        page = client.get("/werk/")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Nieuwe hulpvragen (2)" in html and "Hulpvragen die al lang open staan (1)" in html
    scans = [(step, statement[:200]) for statement, parameters in sent
             for step in sqlite_plan(statement, parameters)
             if step.startswith("SCAN help_request")]
    assert not scans, scans
