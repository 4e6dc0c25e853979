"""`flask jobs run-due` on the demo region, as the outer contract says: run again for the
same moment it handles nothing new. Also a year ahead, where mail retention (90 days) and
every other age-based sweep see what the first run did: nothing the run stamps may come from
the wall clock, and a reminder's "once" may not hang on mail that retention deletes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import time_machine
from sqlalchemy import func, select

from marketplace import retention
from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.followup.models import SweepRecord
from marketplace.jobs import JOBS, run_due
from marketplace.notifications.models import OutboxMessage
from marketplace.volunteers import care
from marketplace.volunteers.services import ProfileInput, save_profile
from tests.integration.test_sweeps_world import START, day, messages

# What the wall clock reads during the runs of the demo tests: a moment no sweep has a reason
# to write (long before the demo's history), so any row that holds it got it from the wall
# clock instead of from the run's moment.
WALL = datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC)


def ahead(days: int) -> datetime:
    """A moment this many days after the real today, 09:00 UTC (the demo is seeded today)."""
    return (datetime.now(UTC) + timedelta(days=days)).replace(
        hour=9, minute=0, second=0, microsecond=0)


def run_cli(runner, at: datetime | None = None) -> dict[str, int]:
    args = ["jobs", "run-due"] + (["--at", at.isoformat()] if at else [])
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert list(summary) == [job.name for job in JOBS]
    db.session.expire_all()
    return summary


def nothing(summary: dict[str, int]) -> bool:
    return not any(summary.values())


def seed_demo(runner) -> None:
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()


def keys(*where) -> set[str]:
    return set(db.session.scalars(select(OutboxMessage.dedupe_key).where(
        OutboxMessage.dedupe_key.is_not(None), *where)))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def count_where(*where) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(*where))


def stamped_by_wall_clock() -> list[str]:
    """Every (table.column, rows) holding WALL, or its date, in any table."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.c:
            try:
                kind = column.type.python_type
            except NotImplementedError:
                continue
            if kind not in (datetime, date):
                continue
            value = WALL if kind is datetime else WALL.date()
            rows = db.session.scalar(select(func.count()).select_from(table)
                                     .where(column == value))
            if rows:
                found.append(f"{table.name}.{column.name}: {rows}")
    return found


def test_a_year_ahead_the_demo_runs_once_and_then_handles_nothing(app, runner):
    seed_demo(runner)
    at = ahead(400)
    with time_machine.travel(WALL, tick=False):
        first = run_cli(runner, at)
    # The demo's history ages: its mail goes, support and requests move on, mail goes out.
    assert first["retention_rows"] > 0 and first["outbox_relay"] > 0
    assert first["request_expiry"] > 0 and first["activity_planning"] > 0
    assert stamped_by_wall_clock() == []
    mail, ledger = count(OutboxMessage), count(SweepRecord)
    for _ in range(4):  # the audit saw retention and a VOG reminder take turns
        assert nothing(run_cli(runner, at))
    assert (count(OutboxMessage), count(SweepRecord)) == (mail, ledger)
    # What the first run sent is stamped with its moment: kept 90 days from then.
    assert db.session.scalar(select(func.min(OutboxMessage.sent_at))) == at


def test_later_moments_handle_only_what_is_new(app, runner):
    seed_demo(runner)
    first = ahead(400)
    with time_machine.travel(WALL, tick=False):
        assert not nothing(run_cli(runner, first))
    first_sent = frozenset(keys())
    sent = set(first_sent)
    monday = first + timedelta(days=8 - first.isoweekday())  # digest day (or 7 days on)
    # A day on; the next Monday; past mail retention; past the demo accounts' retention.
    for at in (first + timedelta(days=1), monday, first + timedelta(days=100),
               first + timedelta(days=400)):
        with time_machine.travel(WALL, tick=False):
            summary = run_cli(runner, at)
        if at == first + timedelta(days=100):
            # The first run's mail is gone (kept 90 days from its moment), not sent again.
            assert summary["retention_rows"] > 0 and not first_sent & keys()
        # Mail keys are per occasion (a check-in, a week, an end date): a key written again
        # is a message sent twice, also when retention deleted its first row meanwhile.
        new = keys(OutboxMessage.created_at == at)
        assert not new & sent, at
        assert summary["outbox_relay"] == count_where(OutboxMessage.created_at == at), at
        sent |= new
        assert nothing(run_cli(runner, at)), at
    assert summary["retention_accounts"] > 0
    assert stamped_by_wall_clock() == []
    assert nothing(run_cli(runner, first))  # an earlier moment again: nothing new either


def test_without_at_twice_in_a_row_the_second_handles_nothing(app, runner):
    seed_demo(runner)
    assert not nothing(run_cli(runner))
    assert nothing(run_cli(runner))


def test_a_vog_reminder_stays_once_after_mail_retention_deleted_it(app, make_area, make_user,
                                                                   monkeypatch):
    # A warning window longer than mail is kept: the mail goes, the reminder stays once.
    monkeypatch.setattr(care, "VOG_WARNING_DAYS", 120)
    with time_machine.travel(START, tick=False):
        make_area("GM1728", "municipality", name="Bladel", pc4=("5531",))
        volunteer = make_user("volunteer", name="Vera VOG")
        save_profile(volunteer, ProfileInput(skills=["garden"], postcode="5531", radius_km=5,
                                             has_vog=True,
                                             vog_valid_until=date(2026, 6, 20)))
        db.session.commit()
    assert run_due(START)["vog_expiring"] == 1
    key = f"vog:{volunteer.id}:2026-06-20"
    assert [m.status for m in messages(template_key=key)] == ["sent"]
    at = START + timedelta(days=100)  # still within the window; the mail is 100 days old
    summary = run_due(at)
    assert summary["vog_expiring"] == 0 and summary["retention_rows"] == 1
    assert messages(template_key=key) == []
    assert not any(run_due(at).values())
    assert db.session.get(SweepRecord, key) is not None


def test_a_retention_notice_stays_once_after_mail_retention_deleted_it(app, make_user,
                                                                       monkeypatch):
    monkeypatch.setattr(retention, "NOTICE_DAYS", 120)  # notice longer than mail is kept
    with time_machine.travel(START, tick=False):
        quiet = make_user("resident", name="Stille Sientje", email="sientje@example.org")
    # RETENTION_DAYS (730) after START the account goes; the notice 120 days before that.
    assert run_due(day(611))["retention_notice"] == 1
    assert len(messages(to="sientje@example.org")) == 1
    summary = run_due(day(711))
    assert summary["retention_notice"] == 0 and summary["retention_rows"] >= 1
    assert messages(to="sientje@example.org") == []  # the mail is gone after 90 days
    assert not any(run_due(day(711)).values())
    assert db.session.get(User, quiet.id).erased_at is None
