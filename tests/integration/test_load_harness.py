"""The load test's own parts that decide its verdict, without locust or a server.

``benchmarks/load.py`` reports lost writes from ``load_verify`` and locked databases and 5xx
from ``scan_logs``: if either could not see a loss, the load test's zeros would mean
nothing. Here a journal holds writes that are in the database and writes that are not (or
not in the promised state), and logs hold the lines a failing server writes.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from benchmarks import load_verify, load_world
from benchmarks.load import scan_logs
from marketplace.associations import services as assoc
from marketplace.associations.models import Activity
from marketplace.brokering import services as brokering
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from tests.conftest import drop_sqlite_statistics


@pytest.fixture()
def world_app(app):
    """The app; afterwards SQLite's planner statistics (pages.build runs ANALYZE) are removed,
    so the shared test database stays as other tests expect it (test_sweep_plans)."""
    yield app
    db.session.rollback()
    if db.engine.dialect.name == "sqlite":
        drop_sqlite_statistics()


def write_journal(path, entries):
    path.write_text("".join(json.dumps(e) + "\n" for e in entries))
    return path


def test_world_has_an_account_per_user_and_due_checkins(world_app):
    world = load_world.build(12, 10, checkins=2)
    counts = {role: len(accounts) for role, accounts in world["accounts"].items()}
    assert counts == {"resident": 4, "volunteer": 3, "worker": 1, "association": 1,
                      "municipality": 1}
    assert len(world["checkin_arrangements"]) == 2
    from marketplace.clock import today
    from marketplace.followup.models import CheckIn

    due = db.session.scalars(select(CheckIn.arrangement_id).where(
        CheckIn.due_on <= today(), CheckIn.sent_at.is_(None))).all()
    assert sorted(due) == sorted(world["checkin_arrangements"])  # the first one of each
    assert world["activity_ids"] and world["volunteer_ids"]


def test_verify_counts_each_missing_or_undone_write(world_app, tmp_path):
    world = load_world.build(12, 10, checkins=1)
    resident = world["accounts"]["resident"][1]
    volunteer = world["accounts"]["volunteer"][0]
    request = db.session.get(HelpRequest, resident["request_ids"][0])
    from marketplace.accounts.models import User

    match = brokering.offer_help(db.session.get(User, volunteer["id"]), request)
    activity = db.session.scalar(select(Activity).order_by(Activity.id))
    assoc.signup(activity, db.session.get(User, resident["id"]),
                 actor=db.session.get(User, resident["id"]))
    db.session.commit()
    present = [
        {"kind": "request", "id": request.id, "owner_id": resident["id"],
         "marker": "boodschappen"},
        {"kind": "offer", "request_id": request.id, "volunteer_id": volunteer["id"]},
        {"kind": "signup", "activity_id": activity.id, "user_id": resident["id"]},
    ]
    missing = [
        {"kind": "request", "id": request.id + 10_000, "owner_id": resident["id"],
         "marker": "x"},
        {"kind": "request", "id": request.id, "owner_id": resident["id"],
         "marker": "not-in-the-text"},
        {"kind": "accept", "match_id": match.id},  # still proposed: the accept was lost
        {"kind": "note", "resident_id": resident["id"], "marker": "load-note-1"},
        {"kind": "activity", "title": "load-activity-1"},
    ]
    result = load_verify.verify(write_journal(tmp_path / "journal.jsonl", present + missing))
    assert result["writes"] == 8
    assert result["lost_writes"] == 5
    assert result["lost_examples"] == missing
    assert result["writes_by_kind"]["request"] == 3


def test_logs_show_locks_tracebacks_and_5xx(tmp_path):
    (tmp_path / "access.log").write_text(
        '127.0.0.1 [04/Dec/2026:20:00:00 +0000] "GET /werk/ HTTP/1.1" 200 5120 12ms\n'
        '127.0.0.1 [04/Dec/2026:20:00:01 +0000] "POST /inloggen HTTP/1.1" 500 265 10012ms\n')
    (tmp_path / "gunicorn.log").write_text(
        "Unhandled error on /inloggen\nTraceback (most recent call last):\n"
        "sqlite3.OperationalError: database is locked\n")
    (tmp_path / "scheduler.log").write_text("INFO job checkins handled 10 item(s)\n")
    found = scan_logs(tmp_path)
    assert found["server_requests"] == 2
    assert found["server_5xx"] == 1
    assert found["database_locked"] == 1
    assert found["gunicorn_traceback"] == 1
    assert "scheduler_traceback" not in found
