"""Retention (GDPR): closed cases are anonymised after the configured period; accounts
inactive for that long are erased; every other table with personal data ages out as its rule
in the erasure table says (``residents.erasure_rules``: ``Expire``). Four daily sweeps:
``anonymise_expired``, ``expire_rows``, ``notify_inactive`` (a month's notice),
``erase_inactive``; running any of them twice does nothing new.

What stays is what the accountability reports need (category, area, dates, statuses, how it
was solved, life-domain scores without names); what goes is what identifies a person or tells
their story (description, house number, names, messages, notes, the offer's message, the
evaluation's notes, the signal's text and its reporter): for a closed case, the rows named in
``CLOSED_CASE`` get exactly the treatment their table's erasure rule gives them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Select, and_, delete, func, null, or_, select, text, update

from marketplace.brokering.models import Arrangement
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from marketplace.residents.erasure_rules import CLOSED_CASE, NOW, REDACTED, RULES, Rule
from marketplace.signals.models import Signal

__all__ = ["REDACTED", "anonymise_expired", "erase_inactive", "expire_rows", "notify_inactive"]

BATCH = 500
# Accounts about to be erased for inactivity hear it this many days before, once.
NOTICE_DAYS = 30


def case_rows(path: str, ids: list[int]):
    """(table, condition) for one CLOSED_CASE path and a page of case ids."""
    own, *hop = path.split(">")
    table_name, column = own.split(".")
    table = db.metadata.tables[table_name]
    if hop:
        other_name, other_column = hop[0].split(".")
        other = db.metadata.tables[other_name]
        inner = select(other.c.id).where(other.c[other_column].in_(ids))
        return table_name, table.c[column].in_(inner)
    return table_name, table.c[column].in_(ids)


def close_case(kind: str, ids: list[int], now: datetime) -> None:
    """Every row of these closed cases, as the erasure table says (CLOSED_CASE)."""
    from marketplace.residents.erasure import scrub

    for path in CLOSED_CASE[kind]:
        table_name, where = case_rows(path, ids)
        if table_name in db.metadata.tables:
            scrub(table_name, where, now)


def anonymise_expired(now: datetime) -> int:
    cutoff = now - timedelta(days=int(current_app.config["RETENTION_DAYS"]))
    requests = list(db.session.scalars(
        # ix_help_request_unanonymised_closed_at: never the anonymised history. Only a
        # closed request has a closed_at (reopening clears it), so no status term: it would
        # tempt SQLite without statistics into reading every closed request by status.
        select(HelpRequest.id).where(HelpRequest.anonymised_at.is_(None),
                                     HelpRequest.closed_at <= cutoff)
        .order_by(HelpRequest.closed_at, HelpRequest.id).limit(BATCH)))
    if requests:
        close_case("help_request", requests, now)
    signals = list(db.session.scalars(
        # ix_signal_unanonymised_handled_at; only a handled signal has a handled_at.
        select(Signal.id).where(Signal.anonymised_at.is_(None), Signal.handled_at <= cutoff)
        .order_by(Signal.handled_at, Signal.id).limit(BATCH)))
    if signals:
        close_case("signal", signals, now)
    db.session.flush()
    db.session.expire_all()
    return len(requests) + len(signals)


def _cutoff(now: datetime, days: int | str) -> datetime:
    count = int(current_app.config[days]) if isinstance(days, str) else days
    return now - timedelta(days=count)


def expire_rule(rule: Rule, now: datetime) -> int:
    """One page of one table's rows past their retention: deleted, or emptied as on erasure."""
    assert rule.expire is not None
    table = db.metadata.tables[rule.table]
    after = rule.expire.after
    age = (func.coalesce(*[table.c[c] for c in after]) if isinstance(after, tuple)
           else table.c[after])
    due = age <= _cutoff(now, rule.expire.days)
    if rule.expire.where:
        due = and_(due, text(rule.expire.where))
    if rule.delete:
        page = select(table.c.id).where(due).order_by(table.c.id).limit(BATCH)
        return db.session.execute(delete(table).where(table.c.id.in_(page))).rowcount or 0
    values = {name: col.value(0, now) for name, col in rule.columns.items() if col.changes}
    # Rows not yet done: a column still differs from what it becomes (NOW excepted).
    todo = [table.c[name].is_not(None) if value is None else table.c[name] != value
            for name, value in values.items() if rule.columns[name].to is not NOW]
    page = (select(table.c.id).where(due, or_(*todo)).order_by(table.c.id).limit(BATCH))
    values = {name: null() if value is None else value for name, value in values.items()}
    return db.session.execute(update(table).where(table.c.id.in_(page))
                              .values(**values)).rowcount or 0


def expire_rows(now: datetime) -> int:
    """Every table whose rule has an ``Expire``: one page each per call."""
    handled = 0
    for rule in RULES:
        if rule.expire is not None and rule.table in db.metadata.tables:
            handled += expire_rule(rule, now)
    db.session.flush()
    return handled


def inactive_accounts(cutoff: datetime) -> Select:
    """Residents and volunteers with nothing of theirs running or changed since the cutoff."""
    from marketplace.accounts.models import User, UserRole
    from marketplace.casework.models import CaseNote, Intake
    from marketplace.help_requests.models import ACTIVE
    from marketplace.residents.erasure import STAFF_ROLES
    from marketplace.volunteers.models import VolunteerProfile

    staff = select(UserRole.user_id).where(UserRole.role.in_(STAFF_ROLES))
    recent_request = select(HelpRequest.id).where(
        HelpRequest.owner_id == User.id,
        # Not updated_at: anonymising an old request must not make its owner look active.
        or_(HelpRequest.status.in_(ACTIVE), HelpRequest.created_at > cutoff,
            HelpRequest.closed_at > cutoff))
    recent_support = select(Arrangement.id).where(
        Arrangement.volunteer_id == User.id,
        or_(Arrangement.status != "ended", Arrangement.ended_on > cutoff.date()))
    recent_file = select(Intake.id).where(Intake.resident_id == User.id,
                                          Intake.updated_at > cutoff)
    recent_note = select(CaseNote.id).where(CaseNote.resident_id == User.id,
                                            CaseNote.created_at > cutoff)
    recent_profile = select(VolunteerProfile.user_id).where(
        VolunteerProfile.user_id == User.id, VolunteerProfile.updated_at > cutoff)
    recent = [recent_request, recent_support, recent_file, recent_note, recent_profile]
    tables = db.metadata.tables
    if "signup" in tables:  # activities they signed up for (or were signed up for)
        signup, activity = tables["signup"], tables["activity"]
        running = select(activity.c.id).where(activity.c.status == "active")
        recent.append(select(signup.c.id).where(
            signup.c.user_id == User.id,
            or_(and_(signup.c.status != "cancelled", signup.c.activity_id.in_(running)),
                signup.c.created_at > cutoff)))
    if "association_member" in tables:  # they run an association's activities
        member = tables["association_member"]
        recent.append(select(member.c.id).where(member.c.user_id == User.id))
    return (select(User).where(
        User.erased_at.is_(None), User.id.not_in(staff),
        func.coalesce(User.last_login_at, User.created_at) <= cutoff,
        User.updated_at <= cutoff, *[~query.exists() for query in recent])
        .order_by(User.id).limit(BATCH // 10))


def erase_inactive(now: datetime) -> int:
    """Accounts of residents and volunteers inactive past RETENTION_DAYS are erased, with
    their network, messages and everything else the erasure table names."""
    from marketplace.residents.erasure import erase_person

    people = list(db.session.scalars(inactive_accounts(_cutoff(now, "RETENTION_DAYS"))))
    for person in people:
        erase_person(person, actor=None, now=now, reason="retention")
    return len(people)


def notify_inactive(now: datetime) -> int:
    """NOTICE_DAYS before an inactive account is erased, its owner gets one mail: log in to
    keep it. The key holds the last login, so logging in and going quiet again later gives
    a new notice; it goes into the ledger (sent mail, with its dedupe key, is itself deleted
    after 90 days); the whole list is read by id, a page at a time."""
    from marketplace.accounts.models import User
    from marketplace.brokering.notify import public_url
    from marketplace.followup.ledger import claim
    from marketplace.notifications.outbox import enqueue

    cutoff = _cutoff(now, "RETENTION_DAYS") + timedelta(days=NOTICE_DAYS)
    sent, after = 0, 0
    while True:
        page = list(db.session.scalars(inactive_accounts(cutoff).where(User.id > after)))
        if not page:
            break
        after = page[-1].id
        for person in page:
            if not person.email or not person.is_active:
                continue
            since = person.last_login_at or person.created_at
            key = f"retention-notice:{person.id}:{since:%Y%m%d}"
            if claim(key, "retention_notice", now) and enqueue(
                    person.email, "retention_notice", locale=person.locale, now=now,
                    dedupe_key=key, user=person, days=NOTICE_DAYS,
                    url=public_url("auth.login")) is not None:
                sent += 1
    db.session.flush()
    return sent
