"""Every sweep reads what is due through an index made for it, never the history.

The query each sweep sends is captured while it runs on a database holding a history of
ended support (the benchmark's generator, small), and explained on the same backend. The
index named here must drive the read: a change to a sweep's WHERE that stops matching its
partial index (SQLite matches the index's terms word for word) fails this test. SQLite is
checked without planner statistics (a new database has none) and after ANALYZE: a sweep
must not depend on them. On PostgreSQL, sequential scans are priced out for the EXPLAIN so
the planner shows whether the index can be used at all, whatever the size of a test table.

How much this saves is measured in ``benchmarks/sweeps.py`` (1M arrangements).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from benchmarks.sweeps import Capture, History, load
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.jobs import JOBS, run_job
from tests.conftest import drop_sqlite_statistics, sqlite_plan

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

# (job, driving table, the index that must drive its read)
EXPECTED = [
    ("checkins", "check_in", "ix_check_in_unsent_due_on"),
    ("checkin_escalation", "check_in", "ix_check_in_unanswered_sent_at"),
    ("arrangement_ending", "arrangement", "ix_arrangement_status_planned_end_on"),
    ("evaluation_overdue", "arrangement", "ix_arrangement_status_planned_end_on"),
    ("reciprocity_invitations", "arrangement", "ix_arrangement_reciprocity_due"),
    ("reciprocity_reminders", "reciprocity_invitation", "ix_reciprocity_invitation_unreminded"),
    ("retention", "help_request", "ix_help_request_unanonymised_closed_at"),
    ("retention", "signal", "ix_signal_unanonymised_handled_at"),
    ("signal_escalation", "signal", "ix_signal_status_respond_by"),
    ("outbox_relay", "outbox_message", "ix_outbox_message_status_next_attempt_at"),
]


@pytest.fixture()
def history(app):
    """2,000 arrangements (8,000 check-ins), 85% of them ended long ago; on SQLite without
    planner statistics (a new database has none until ANALYZE runs)."""
    load(History(2000, 50, today(NOW), NOW), statistics=db.engine.dialect.name == "postgresql")
    yield
    db.session.rollback()
    if db.engine.dialect.name != "postgresql":
        drop_sqlite_statistics()  # leave the shared test database as it was


def _postgresql_plan(statement: str, parameters) -> str:
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("EXPLAIN " + statement, parameters)
        lines = [row[0] for row in cur.fetchall()]
        raw.rollback()
        return "\n".join(lines)
    finally:
        raw.close()


@pytest.mark.parametrize(("job_name", "table", "index"), EXPECTED,
                         ids=[f"{job}-{table}" for job, table, _ in EXPECTED])
def test_sweep_reads_through_its_index(history, job_name, table, index):
    job = next(j for j in JOBS if j.name == job_name)
    capture = Capture(table)
    with capture.on(db.engine):
        run_job(job, NOW)
    assert capture.queries, f"{job_name} sent no SELECT on {table}"
    statement, parameters = capture.queries[0][:2]
    if db.engine.dialect.name == "postgresql":
        plan = _postgresql_plan(statement, parameters)
        assert re.search(rf"\b{index}\b", plan), plan
        return
    # SQLite: the same index without statistics and with them (after ANALYZE).
    for state in ("without statistics", "analysed"):
        if state == "analysed":
            with db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        plan = "\n".join(sqlite_plan(statement, parameters))
        assert re.search(rf"\b{index}\b", plan), f"{state}:\n{plan}"
        assert not re.search(rf"\bSCAN {table}\b", plan), f"{state}:\n{plan}"
