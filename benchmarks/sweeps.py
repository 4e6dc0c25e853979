"""Sweep cost grows with the items due, not with all items: 1M arrangements, 10k vs 1k due.

A throwaway database per engine (a temporary SQLite file; a schema ``bench_sweeps_<pid>`` in
the PostgreSQL database ``DATABASE_URL`` names, dropped afterwards), migrated with the
project's migrations so the real indexes are measured, then bulk-loaded (executemany on
SQLite, COPY on PostgreSQL) with a history that looks like years of use:

- ``arrangements`` arrangements (default 1,000,000) with a request, an accepted match and
  four check-ins each (first week, did it help, midway, before the end): 4M check-ins;
- 85% ended long ago (their check-ins sent and answered; 3% ended early, their last two
  check-ins never sent), 15% active, started in the last 12 weeks (past check-ins sent and
  answered, future ones planned);
- of the active ones, ``due`` (10,000) have a check-in due today, ``due`` have a check-in
  sent six days ago without an answer (escalation due), and ``due`` reach their planned end
  within two weeks without having been told ("who carries on?" due);
- the ended ones were taken up by the reciprocity sweep (an invitation each, answered or
  reminded), except ``due`` not yet taken up (invitation due) and ``due`` invited 15 days
  ago without an answer (reminder due); their requests are closed, and anonymised when
  they closed more than two years ago; one signal per 20 arrangements, nearly all handled.

Each sweep runs as the scheduler runs it (``jobs.run_job``: a page of 100 per transaction,
again while there is work), first with 1k of the 10k due (the other 9k marked done), then
with all 10k, then once more with nothing due (the fixed cost of looking). The SELECT the
sweep sends is captured and explained: ``plan`` is its query plan, ``index`` whether the
driving table is read through an index range (not a full scan).

Environment: ``BENCH_SWEEP_SIZES`` ("1000000"), ``BENCH_SWEEP_DUE`` ("1000,10000"),
``BENCH_SWEEP_ENGINES`` ("sqlite,postgresql"; PostgreSQL only with ``DATABASE_URL``).
tests/integration/test_sweep_plans.py uses the same generator (small) to prove each sweep's
query can use its index on both databases.
"""

from __future__ import annotations

import os
import random
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import event, text

from config import normalise_database_url
from marketplace.clock import today
from marketplace.extensions import db

from .database import migrated_app

Emit = Callable[[str, dict, dict], None]
SEED = 20260302
CHECKIN_OFFSETS = (("first_week", 7), ("did_it_help", 14), ("midway", 42), ("before_end", 70))
LENGTH_DAYS = 84
VOLUNTEER_SHARE = 20  # one volunteer per 20 arrangements
ACTIVE_SHARE = 0.15
ENDED_EARLY_SHARE = 0.03

RETENTION_DAYS = 2 * 365  # the default of RETENTION_DAYS: older closed cases are anonymised
INVITE_AFTER_DAYS = 14
SIGNAL_SHARE = 20  # one signal per 20 arrangements


@contextmanager
def bench_app(engine: str, postgres_url: str | None) -> Iterator[Flask]:
    """An app (context pushed) on a fresh, migrated database of its own; mail as files."""
    with tempfile.TemporaryDirectory(prefix="bench-sweeps-outbox-") as outbox:
        with migrated_app(engine, postgres_url, "sweeps", MAIL_OUTBOX_DIR=outbox) as app:
            yield app


# Data -------------------------------------------------------------------------------------


class History:
    """The generated rows, as plain tuples, plus the ids of what is due."""

    def __init__(self, arrangements: int, due: int, day: date, now: datetime) -> None:
        rng = random.Random(SEED)
        self.n, self.day, self.now = arrangements, day, now
        self.volunteers = max(arrangements // VOLUNTEER_SHARE, 1)
        self.residents = max(arrangements // 2, 1)
        active = int(arrangements * ACTIVE_SHARE)
        if active < 3 * due:
            raise ValueError("too few arrangements for that many due items")
        checkin_days = {offset for _, offset in CHECKIN_OFFSETS}
        # (start, group) per arrangement; ids are given in order of start, as a database's
        # sequence would: the active ones have the highest ids.
        drawn: list[tuple[date, str]] = []
        for _ in range(arrangements - active):
            group = "ended_early" if rng.random() < ENDED_EARLY_SHARE else "ended"
            drawn.append((day - timedelta(days=rng.randrange(LENGTH_DAYS + 30, 3 * 365)),
                          group))
        groups = ["checkin"] * due + ["silent"] * due + ["ending"] * due
        groups += ["active"] * (active - len(groups))
        for group in groups:
            if group == "checkin":  # the did-it-help check-in is due today
                days = 14
            elif group == "silent":  # a check-in sent six days ago, unanswered
                days = 14 + 6
            elif group == "ending":  # the planned end within two weeks, not yet told
                days = rng.randrange(71, LENGTH_DAYS - 1)
            else:  # never exactly on a check-in day: today's check-ins are the due ones
                days = rng.randrange(1, LENGTH_DAYS - 14)
                while days in checkin_days:
                    days = rng.randrange(1, LENGTH_DAYS - 14)
            drawn.append((day - timedelta(days=days), group))
        drawn.sort(key=lambda item: item[0])
        self.start: dict[int, date] = {}
        self.ended_early: set[int] = set()
        by_group: dict[str, list[int]] = {"checkin": [], "silent": [], "ending": []}
        for a, (start, group) in enumerate(drawn, start=1):
            self.start[a] = start
            if group == "ended_early":
                self.ended_early.add(a)
            elif group in by_group:
                by_group[group].append(a)
        for ids in by_group.values():
            rng.shuffle(ids)  # which of them are due in a run with fewer due: any
        self.due_checkin_arr = by_group["checkin"]
        self.due_silent_arr = by_group["silent"]
        self.due_ending_arr = by_group["ending"]
        self.silent_set, self.checkin_set = set(self.due_silent_arr), set(self.due_checkin_arr)
        # Ended support, taken up by the reciprocity sweep long ago, except two groups.
        ended = [a for a in range(1, arrangements + 1)
                 if self.start[a] + timedelta(days=LENGTH_DAYS) < day]
        picked = rng.sample(ended, 2 * due) if len(ended) >= 2 * due else []
        self.due_invite_arr, self.due_remind_arr = picked[:due], picked[due:]
        self.invite_set, self.remind_set = set(self.due_invite_arr), set(self.due_remind_arr)
        self.signal_seed = rng.random()

    def arrangement_status(self, a: int) -> tuple[str, date | None]:
        start = self.start[a]
        if start + timedelta(days=LENGTH_DAYS) < self.day:
            ended = start + timedelta(days=30 if a in self.ended_early else LENGTH_DAYS)
            return "ended", ended
        end = start + timedelta(days=LENGTH_DAYS)
        if end <= self.day + timedelta(days=14) and a not in self.due_ending_set:
            return "ending", None
        return "active", None

    @property
    def due_ending_set(self) -> set[int]:
        if not hasattr(self, "_due_ending_set"):
            self._due_ending_set = set(self.due_ending_arr)
        return self._due_ending_set

    def users(self) -> Iterator[tuple]:
        for u in range(1, self.residents + self.volunteers + 2):
            yield (u, f"user{u}@example.org", f"Persoon {u}")

    def worker_id(self) -> int:
        return self.residents + self.volunteers + 1

    def resident_of(self, a: int) -> int:
        return (a - 1) % self.residents + 1

    def volunteer_of(self, a: int) -> int:
        return self.residents + (a - 1) % self.volunteers + 1

    def closed_at(self, ended_on: date) -> datetime:
        return datetime.combine(ended_on, datetime.min.time()) + timedelta(hours=16)

    def requests(self) -> Iterator[tuple]:
        """(id, owner, status, closed_at, anonymised_at)."""
        retained_since = self.now.replace(tzinfo=None) - timedelta(days=RETENTION_DAYS)
        for a in range(1, self.n + 1):
            status, ended_on = self.arrangement_status(a)
            if ended_on is None:
                yield (a, self.resident_of(a), "matched", None, None)
                continue
            closed = self.closed_at(ended_on)
            anonymised = (closed + timedelta(days=RETENTION_DAYS, hours=11)
                          if closed <= retained_since else None)
            yield (a, self.resident_of(a), "closed", closed, anonymised)

    def invited_at(self, a: int, ended_on: date) -> datetime:
        if a in self.remind_set:
            return self.now.replace(tzinfo=None) - timedelta(days=15)
        return self.closed_at(ended_on) + timedelta(days=INVITE_AFTER_DAYS, hours=-7)

    def invitations(self) -> Iterator[tuple]:
        """(id, resident, arrangement, invited_at, reminded_at, answer, answered_at)."""
        iid = 0
        for a in range(1, self.n + 1):
            _, ended_on = self.arrangement_status(a)
            if ended_on is None or a in self.invite_set:
                continue
            iid += 1
            invited = self.invited_at(a, ended_on)
            if a in self.remind_set:
                yield (iid, self.resident_of(a), a, invited, None, None, None)
            elif a % 5 < 2:  # two in five answer
                yield (iid, self.resident_of(a), a, invited, None, "not_now",
                       invited + timedelta(days=3))
            else:
                yield (iid, self.resident_of(a), a, invited,
                       invited + timedelta(days=INVITE_AFTER_DAYS), None, None)

    def signals(self) -> Iterator[tuple]:
        """(id, pc4, concern, area_id, status, respond_by, created_at, handled_at,
        anonymised_at): handled over three years, the last few still open."""
        now = self.now.replace(tzinfo=None)
        retained_since = now - timedelta(days=RETENTION_DAYS)
        count = max(self.n // SIGNAL_SHARE, 1)
        for s in range(1, count + 1):
            created = now - timedelta(days=3 * 365 * (count - s) / count, hours=2)
            respond_by = (created + timedelta(days=5)).date()
            if created > now - timedelta(days=3):
                yield (s, "5531", "Zorg", 1, "new", respond_by, created, None, None)
                continue
            handled = created + timedelta(days=2)
            anonymised = (handled + timedelta(days=RETENTION_DAYS, hours=11)
                          if handled <= retained_since else None)
            yield (s, "5531", "Zorg", 1, "handled", respond_by, created, handled, anonymised)

    def matches(self) -> Iterator[tuple]:
        for a in range(1, self.n + 1):
            yield (a, a, self.volunteer_of(a))

    def arrangements(self) -> Iterator[tuple]:
        for a in range(1, self.n + 1):
            status, ended_on = self.arrangement_status(a)
            start = self.start[a]
            checked = (self.invited_at(a, ended_on)
                       if ended_on is not None and a not in self.invite_set else None)
            yield (a, a, a, self.volunteer_of(a), status, start,
                   start + timedelta(days=LENGTH_DAYS), ended_on, checked)

    def checkins(self) -> Iterator[tuple]:
        """(id, arrangement_id, kind, due_on, sent_at, answer, done_at, closed_at)."""
        cid = 0
        for a in range(1, self.n + 1):
            start = self.start[a]
            status, ended_on = self.arrangement_status(a)
            for kind, offset in CHECKIN_OFFSETS:
                cid += 1
                due_on = start + timedelta(days=offset)
                sent = due_on < self.day
                if status == "ended" and ended_on is not None and due_on > ended_on:
                    sent = False  # ended early: never asked
                if a in self.checkin_set and kind == "did_it_help":
                    sent = False  # due today
                sent_at = datetime.combine(due_on, datetime.min.time()) + timedelta(hours=8)
                if not sent:
                    closed = self.closed_at(ended_on) if ended_on is not None else None
                    yield (cid, a, kind, due_on, None, None, None, closed)
                elif a in self.silent_set and kind == "did_it_help":
                    yield (cid, a, kind, due_on, sent_at, None, None, None)  # unanswered
                else:
                    yield (cid, a, kind, due_on, sent_at, "going_well",
                           sent_at + timedelta(hours=20), None)


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def load(history: History, statistics: bool = True) -> float:
    """Bulk-load the history; returns seconds (load + index builds + ANALYZE, unless
    ``statistics`` is false)."""
    started = time.perf_counter()
    created = history.now.replace(tzinfo=None)
    postgres = db.engine.dialect.name == "postgresql"
    tables: list[tuple[str, tuple[str, ...], Iterator[tuple]]] = [
        ('"user"', ("id", "email", "name", "is_active", "created_at", "updated_at"),
         ((u, e, n, True, created, created) for u, e, n in history.users())),
        ("help_request", ("id", "owner_id", "created_by_id", "category", "description", "pc4",
                          "house_number", "lat", "lon", "area_id", "timing", "urgency",
                          "status", "created_at", "updated_at", "closed_at", "anonymised_at"),
         ((i, o, o, "shopping", "Boodschappen", "5531", "12", 51.37, 5.22, 1, "flexible",
           "normal", s, created, created, c, an) for i, o, s, c, an in history.requests())),
        ('"match"', ("id", "request_id", "volunteer_id", "status", "origin", "created_at"),
         ((i, r, v, "accepted", "worker", created) for i, r, v in history.matches())),
        ("arrangement", ("id", "request_id", "match_id", "volunteer_id", "status", "started_on",
                         "planned_end_on", "ended_on", "reciprocity_checked_at", "created_at"),
         ((*row, created) for row in history.arrangements())),
        ("check_in", ("id", "arrangement_id", "kind", "due_on", "sent_at", "resident_answer",
                      "volunteer_answer", "done_at", "closed_at"),
         ((c, a, k, d, s, ans, ans, done, cl)
          for c, a, k, d, s, ans, done, cl in history.checkins())),
        ("reciprocity_invitation", ("id", "resident_id", "arrangement_id", "invited_at",
                                    "reminded_at", "answer", "answered_at"),
         history.invitations()),
        ("signal", ("id", "pc4", "concern", "area_id", "status", "respond_by", "created_at",
                    "handled_at", "anonymised_at"),
         history.signals()),
    ]
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        if postgres:
            cur.execute("INSERT INTO area (id, code, name, kind, path, created_at, updated_at) "
                        "VALUES (1, 'GM1728', 'Bladel', 'municipality', '/1/', %s, %s)",
                        (created, created))
            for table, columns, rows in tables:
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            cur.execute("INSERT INTO user_role (user_id, role, granted_at) "
                        "VALUES (%s, 'worker', %s)", (history.worker_id(), created))
            cur.execute("INSERT INTO user_area (user_id, area_id) VALUES (%s, 1)",
                        (history.worker_id(),))
            # COPY with ids leaves the sequences behind: the next insert must not collide.
            for table, _, _ in tables:
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))")
            raw.commit()
        else:
            cur.execute("PRAGMA synchronous=OFF")
            cur.execute("BEGIN")
            cur.execute("INSERT INTO area (id, code, name, kind, path, created_at, updated_at) "
                        "VALUES (1, 'GM1728', 'Bladel', 'municipality', '/1/', ?, ?)",
                        (_iso(created), _iso(created)))
            for table, columns, rows in tables:
                marks = ", ".join("?" * len(columns))
                cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                (tuple(_iso(v) for v in row) for row in rows))
            cur.execute("INSERT INTO user_role (user_id, role, granted_at) "
                        "VALUES (?, 'worker', ?)", (history.worker_id(), _iso(created)))
            cur.execute("INSERT INTO user_area (user_id, area_id) VALUES (?, 1)",
                        (history.worker_id(),))
            cur.execute("COMMIT")
            cur.execute("PRAGMA synchronous=NORMAL")
    finally:
        raw.close()
    if statistics:
        analyse()
    return time.perf_counter() - started


def analyse() -> None:
    """Fresh planner statistics, as autovacuum (PostgreSQL) or ANALYZE (SQLite) keep them."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in ("check_in", "arrangement", "help_request", '"match"', '"user"',
                          "sweep_record", "outbox_message", "reciprocity_invitation", "signal"):
                conn.execute(text(f"VACUUM ANALYZE {table}"))
        return
    # Not in AUTOCOMMIT: the app's SQLite engine opens every transaction with BEGIN
    # IMMEDIATE, also then, and closing such a connection would roll ANALYZE back.
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))


# Measuring --------------------------------------------------------------------------------


class Capture:
    """The SELECTs a sweep sends on `table`, with their parameters and time."""

    def __init__(self, table: str) -> None:
        self.pattern = re.compile(rf"^\s*SELECT .*\bFROM {table}\b", re.S | re.I)
        self.queries: list[tuple[str, Any, float]] = []
        self._started = 0.0

    def before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self._started = time.perf_counter()

    def after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.pattern.search(statement):
            self.queries.append((statement, parameters, time.perf_counter() - self._started))

    @contextmanager
    def on(self, engine) -> Iterator[Capture]:
        event.listen(engine, "before_cursor_execute", self.before)
        event.listen(engine, "after_cursor_execute", self.after)
        try:
            yield self
        finally:
            event.remove(engine, "before_cursor_execute", self.before)
            event.remove(engine, "after_cursor_execute", self.after)


def explain(statement: str, parameters: Any) -> list[str]:
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        if db.engine.dialect.name == "postgresql":
            cur.execute("EXPLAIN " + statement, parameters)
            lines = [r[0] for r in cur.fetchall()]
        else:
            cur.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            lines = [r[3] for r in cur.fetchall()]
        raw.rollback()
        return lines
    finally:
        raw.close()


def reads_through_index(plan: list[str], table: str) -> bool:
    """True when the driving table is read through an index range (a condition on the
    index), not a full scan: not "SCAN t" (SQLite), not a Seq Scan nor an index scan that
    only filters (PostgreSQL)."""
    if db.engine.dialect.name != "postgresql":
        return not any(re.search(rf"\bSCAN {table}\b", line) for line in plan)
    for i, line in enumerate(plan):
        if re.search(rf"Scan.* on {table}\b", line):
            if "Seq Scan" in line:
                return False
            detail = []
            for following in plan[i + 1:]:
                if "->" in following:
                    break
                detail.append(following)
            return any("Index Cond" in d for d in detail)
    return False


def run_sweep(job_name: str, table: str, now: datetime) -> dict[str, Any]:
    from marketplace.jobs import JOBS, run_job

    job = next(j for j in JOBS if j.name == job_name)
    capture = Capture(table)
    started = time.perf_counter()
    with capture.on(db.engine):
        handled = run_job(job, now)
    seconds = time.perf_counter() - started
    first = capture.queries[0] if capture.queries else ("", None, 0.0)
    plan = explain(first[0], first[1]) if first[0] else []
    return {"handled": handled, "seconds": round(seconds, 3),
            "per_item_ms": round(1000 * seconds / handled, 2) if handled else None,
            "pages": len(capture.queries),
            "query_ms": round(1000 * sum(q[2] for q in capture.queries) /
                              max(len(capture.queries), 1), 2),
            "index": reads_through_index(plan, table), "plan": plan}


SWEEPS = (
    # (benchmark name, job, driving table, how to make only `n` of the due items due)
    ("sweeps.checkins", "checkins", "check_in"),
    ("sweeps.checkin_escalation", "checkin_escalation", "check_in"),
    ("sweeps.endings", "arrangement_ending", "arrangement"),
    ("sweeps.reciprocity_invitations", "reciprocity_invitations", "arrangement"),
    ("sweeps.reciprocity_reminders", "reciprocity_reminders", "reciprocity_invitation"),
)


def set_due(name: str, history: History, n: int) -> None:
    """Make exactly the first `n` of the generated due items due, the others done."""
    stamp = (history.now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
    if name == "sweeps.checkins":
        ids = history.due_checkin_arr
        _update_in("UPDATE check_in SET sent_at = NULL, done_at = NULL, resident_answer = NULL,"
                   " volunteer_answer = NULL WHERE kind = 'did_it_help' "
                   "AND arrangement_id IN ({ids})", ids[:n])
        # The others: asked (yesterday) and answered, so no other sweep picks them up.
        _update_in("UPDATE check_in SET sent_at = '{sent}', done_at = '{sent}', "
                   "resident_answer = 'going_well', volunteer_answer = 'going_well' "
                   "WHERE kind = 'did_it_help' AND arrangement_id IN ({ids})", ids[n:],
                   sent=stamp)
    elif name == "sweeps.checkin_escalation":
        ids = history.due_silent_arr
        _update_in("UPDATE check_in SET escalated_at = NULL, done_at = NULL, resident_answer = "
                   "NULL, volunteer_answer = NULL WHERE kind = 'did_it_help' "
                   "AND arrangement_id IN ({ids})", ids[:n])
        _update_in("UPDATE check_in SET done_at = sent_at, resident_answer = 'going_well', "
                   "volunteer_answer = 'going_well' WHERE kind = 'did_it_help' "
                   "AND arrangement_id IN ({ids})", ids[n:])
    elif name == "sweeps.endings":
        ids = history.due_ending_arr
        _update_in("UPDATE arrangement SET status = 'active' WHERE id IN ({ids})", ids[:n])
        _update_in("UPDATE arrangement SET status = 'ending' WHERE id IN ({ids})", ids[n:])
    elif name == "sweeps.reciprocity_invitations":
        ids = history.due_invite_arr
        # (what an earlier round invited: back to not taken up, or taken up long ago)
        _update_in("DELETE FROM reciprocity_invitation WHERE arrangement_id IN ({ids})", ids)
        _update_in("UPDATE arrangement SET reciprocity_checked_at = NULL "
                   "WHERE id IN ({ids})", ids[:n])
        _update_in("UPDATE arrangement SET reciprocity_checked_at = '{stamp}' "
                   "WHERE id IN ({ids})", ids[n:], stamp=stamp)
    else:
        ids = history.due_remind_arr
        _update_in("UPDATE reciprocity_invitation SET reminded_at = NULL "
                   "WHERE arrangement_id IN ({ids})", ids[:n])
        _update_in("UPDATE reciprocity_invitation SET reminded_at = '{stamp}' "
                   "WHERE arrangement_id IN ({ids})", ids[n:], stamp=stamp)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM outbox_message"))
    analyse()


def _update_in(sql: str, ids: list[int], **fmt: str) -> None:
    with db.engine.begin() as conn:
        for start in range(0, len(ids), 5000):
            chunk = ",".join(str(i) for i in ids[start:start + 5000])
            if chunk:
                conn.execute(text(sql.format(ids=chunk, **fmt)))


def run(emit: Emit) -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_SWEEP_SIZES", "1000000").split(",") if s]
    dues = [int(s) for s in os.environ.get("BENCH_SWEEP_DUE", "1000,10000").split(",") if s]
    wanted = os.environ.get("BENCH_SWEEP_ENGINES", "sqlite,postgresql").split(",")
    engines: list[tuple[str, str | None]] = [("sqlite", None)] if "sqlite" in wanted else []
    url = normalise_database_url(os.environ.get("DATABASE_URL", ""))
    if url.startswith("postgresql") and "postgresql" in wanted:
        engines.append(("postgresql", url))
    now = datetime.now(UTC).replace(microsecond=0)
    for size in sizes:
        history = History(size, max(dues), today(now), now)
        for engine, pg_url in engines:
            with bench_app(engine, pg_url):
                load_s = load(history)
                for name, job, table in SWEEPS:
                    for due in [*sorted(dues), 0]:
                        set_due(name, history, due)
                        metrics = run_sweep(job, table, now)
                        metrics["load_s"] = round(load_s, 1)
                        emit(name, {"arrangements": size, "checkins": 4 * size,
                                    "due": due, "engine": engine}, metrics)
