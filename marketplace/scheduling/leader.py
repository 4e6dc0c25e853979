"""Only one active scheduler per database.

PostgreSQL: a session-level advisory lock held on a dedicated connection for the life of the
process (the server frees it when the process dies). SQLite: a lease row with an expiry that
the active scheduler renews; a crashed scheduler's lease runs out and another may take over
(at once when the crashed one ran on this host: its process is gone).
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.engine import Connection, Engine

from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.scheduling.models import SchedulerLease

ADVISORY_LOCK_KEY = 0x42_4D_53_43  # "BMSC"
LEASE_NAME = "scheduler"
LOCAL_GRACE_LEASES = 10


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def holder_on_this_host(holder: str) -> bool:
    host, _, pid = holder.rpartition(":")
    return host == socket.gethostname() and pid.isdigit()


def holder_is_dead(holder: str) -> bool:
    """A lease held by a process of this host that no longer exists (killed, crashed) may be
    taken at once instead of after it expires; other hosts' leases must run out."""
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class LeaderGuard:
    """acquire() → bool; renew() → bool (False: leadership lost); release()."""

    def __init__(self, engine: Engine, lease_seconds: int = 30, holder: str | None = None) -> None:
        self.engine = engine
        self.lease = timedelta(seconds=lease_seconds)
        self.holder = holder or holder_id()
        self._conn: Connection | None = None
        self.is_postgresql = engine.dialect.name == "postgresql"

    # PostgreSQL -------------------------------------------------------------------------
    def _pg_acquire(self) -> bool:
        self._conn = self.engine.connect()
        got = self._conn.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
        ).scalar()
        if got:  # the lock's connection carries the holder's name (current_holder)
            self._conn.execute(text("SELECT set_config('application_name', :name, false)"),
                               {"name": self.holder[-63:]})  # PostgreSQL keeps 63
        self._conn.commit()
        if not got:
            self._conn.close()
            self._conn = None
        return bool(got)

    # SQLite lease -----------------------------------------------------------------------
    def _lease_take(self, now: datetime) -> bool:
        """Take or renew the lease if it is free, expired, or already ours (one transaction)."""
        lease = db.session.get(SchedulerLease, LEASE_NAME)
        if lease is None:
            db.session.add(SchedulerLease(name=LEASE_NAME, holder=self.holder, acquired_at=now,
                                          expires_at=now + self.lease))
        elif (lease.holder == self.holder or holder_is_dead(lease.holder)
              or lease.expires_at + self._grace(lease.holder) <= now):
            if lease.holder != self.holder:
                lease.acquired_at = now
            lease.holder = self.holder
            lease.expires_at = now + self.lease
        else:
            db.session.rollback()
            return False
        db.session.commit()
        return True

    def _grace(self, holder: str) -> timedelta:
        """A live scheduler on this host keeps its lease when it renews late: on SQLite the
        renewal waits for the one write lock like every writer, and a busy machine can make
        it late. (Like PostgreSQL's advisory lock, which is held as long as the process
        lives.) Only if it stays silent for LOCAL_GRACE_LEASES leases (hung, or its pid was
        reused) is it replaced. A holder on another host must renew in time."""
        if holder_on_this_host(holder):
            return self.lease * LOCAL_GRACE_LEASES
        return timedelta(0)

    def acquire(self, now: datetime | None = None) -> bool:
        if self.is_postgresql:
            return self._pg_acquire()
        return self._lease_take(now or clock_now())

    def renew(self, now: datetime | None = None) -> bool:
        if self.is_postgresql:
            if self._conn is None:
                return False
            try:
                self._conn.execute(text("SELECT 1")).scalar()
                self._conn.commit()
            except Exception:
                return False
            return True
        return self._lease_take(now or clock_now())

    def _pg_holder(self) -> str | None:
        with self.engine.connect() as conn:
            row = conn.execute(text(
                "SELECT l.pid, a.application_name FROM pg_locks l"
                " LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
                " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
                " AND l.database = (SELECT oid FROM pg_database"
                "                   WHERE datname = current_database())"
                " AND l.classid::bigint = :high AND l.objid::bigint = :low"),
                {"high": ADVISORY_LOCK_KEY >> 32, "low": ADVISORY_LOCK_KEY & 0xFFFFFFFF}).first()
        if row is None:
            return None
        return row.application_name or f"database session {row.pid}"

    def current_holder(self) -> str | None:
        """Who is active now (``host:pid``), read without taking the lock or lease."""
        if self.is_postgresql:
            return self._pg_holder()
        # Plain values, read before the rollback: an attribute of the (then expired) row
        # would load it again and leave a new transaction, holding SQLite's write lock, open.
        row = db.session.execute(
            select(SchedulerLease.holder, SchedulerLease.expires_at)
            .where(SchedulerLease.name == LEASE_NAME)
        ).first()
        db.session.rollback()
        return row.holder if row is not None and row.expires_at > clock_now() else None

    def release(self) -> None:
        if self.is_postgresql:
            if self._conn is not None:
                try:
                    self._conn.execute(text("SELECT pg_advisory_unlock(:key)"),
                                       {"key": ADVISORY_LOCK_KEY})
                    # Back to the pool without the holder's name (it names the lock's owner).
                    self._conn.execute(text("RESET application_name"))
                    self._conn.commit()
                finally:
                    self._conn.close()
                    self._conn = None
            return
        lease = db.session.get(SchedulerLease, LEASE_NAME)
        if lease is not None and lease.holder == self.holder:
            db.session.delete(lease)
        db.session.commit()
