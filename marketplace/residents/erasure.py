"""Erasure of a person (GDPR art. 17), driven by the one table in ``erasure_rules``.

``erase_person`` first ends what is running (the person's open requests are withdrawn, their
proposals cancelled, support they give or get ends), then applies every rule of the table
with set-based UPDATE/DELETE statements, then records the erasure in the audit trail without
the name. The account row stays as a tombstone (``erased_at``): rows the reports count keep
pointing at it. The service flushes; the caller commits.
"""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Table, delete, false, func, null, or_, select, text, update
from sqlalchemy.sql.elements import ColumnElement

from marketplace.accounts import audit
from marketplace.accounts.models import User
from marketplace.brokering.models import Arrangement, Match
from marketplace.clock import now as clock_now
from marketplace.errors import Conflict
from marketplace.extensions import db
from marketplace.help_requests.models import ACTIVE, HelpRequest
from marketplace.residents.erasure_rules import BY_TABLE, RULES, Rule

# Staff accounts are deactivated, never erased: what they did must stay accountable.
STAFF_ROLES = ("worker", "municipality", "admin", "partner")
RUNNING = ("active", "ending")


def can_be_erased(user: User) -> bool:
    return user.erased_at is None and not user.has_role(*STAFF_ROLES)


def _table(name: str) -> Table:
    return db.metadata.tables[name]


def row_filter(table: Table, path: str, user_id: int, email: str | None) -> ColumnElement[bool]:
    """The SQL condition for one ``rows`` path of the erasure table (syntax: erasure_rules)."""
    condition = None
    if path.endswith("]"):
        path, _sep, condition = path[:-1].partition("[")
    if "=@email" in path:
        column = path.split("=", 1)[0]
        # Without an address (a resident at the desk) no row holds it.
        clause = table.c[column] == email if email else false()
    else:
        first, *hops = path.split(">")
        inner = None
        for hop in reversed(hops):
            hop_table, hop_column = hop.split(".")
            target = _table(hop_table)
            match = target.c[hop_column] == user_id if inner is None else (
                target.c[hop_column].in_(inner))
            inner = select(target.c.id).where(match)
        clause = table.c[first] == user_id if inner is None else table.c[first].in_(inner)
    if condition:
        clause = clause & text(condition)
    return clause


def mention_ids(table: Table, columns: tuple[str, ...], words: list[str]) -> list[int]:
    """Rows whose text names the person: LIKE narrows, a whole-word match decides."""
    words = [w for w in words if w and len(w) >= 2]
    if not words:
        return []
    likes = [func.lower(table.c[c]).contains(w.lower(), autoescape=True)
             for c in columns for w in words]
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in words), re.I)
    found = []
    for row in db.session.execute(select(table).where(or_(*likes))).mappings():
        if any(row[c] and pattern.search(str(row[c])) for c in columns):
            found.append(row["id"])
    return found


def apply_rule(rule: Rule, user_id: int, email: str | None, name: str | None,
               now: datetime) -> int:
    """Apply one rule of the table to one person; returns the number of rows touched."""
    table = _table(rule.table)
    clauses = [row_filter(table, path, user_id, email) for path in rule.rows]
    if rule.mentions:
        ids = mention_ids(table, rule.mentions, [name or "", email or ""])
        if ids:
            clauses.append(table.c.id.in_(ids))
    touched = 0
    if rule.delete:
        if clauses:
            touched += db.session.execute(delete(table).where(or_(*clauses))).rowcount or 0
        return touched
    # The table's own rows first: a column that unlinks the person (signal.reporter_id)
    # would otherwise hide those rows from the paths that find them.
    groups: dict[tuple[str, ...], dict[str, object]] = {rule.rows: {}}
    for column, col in rule.columns.items():
        if not col.changes:
            continue
        value = col.value(user_id, now)
        groups.setdefault(col.rows if col.rows is not None else rule.rows, {})[column] = (
            null() if value is None else value)
    for paths, values in groups.items():
        if paths == rule.rows:  # the table's rows, and rows that mention the person
            if not clauses or not values:
                continue
            where = or_(*clauses)
        else:
            where = or_(*[row_filter(table, p, user_id, email) for p in paths])
        touched += db.session.execute(update(table).where(where).values(**values)).rowcount or 0
    return touched


def scrub(table_name: str, where: ColumnElement[bool], now: datetime) -> int:
    """Give these rows their table's erasure treatment, whoever they belong to (retention):
    deleted, or every column the rule does not keep emptied."""
    rule = BY_TABLE[table_name]
    table = _table(table_name)
    if rule.delete:
        return db.session.execute(delete(table).where(where)).rowcount or 0
    values = {}
    for name, col in rule.columns.items():
        if col.changes and not callable(col.to):
            value = col.value(0, now)
            values[name] = null() if value is None else value
    if not values:
        return 0
    return db.session.execute(update(table).where(where).values(**values)).rowcount or 0


def tell_workers(request: HelpRequest, arrangement_id: int, now: datetime) -> None:
    """The case's worker (else the area's) hears that the help stopped; no name in it."""
    from marketplace.brokering.notify import _send, public_url, workers_for
    from marketplace.categories.services import label

    for worker in workers_for(request):
        _send(worker, "helper_erased_worker", f"helper-erased:{arrangement_id}:{worker.id}",
              now, category=label(request.category), pc4=request.pc4,
              url=public_url("help_requests.detail", request_id=request.id))


def end_running(user: User, now: datetime) -> None:
    """Withdraw the person's open requests, cancel open proposals, end support: through the
    request lifecycle and its signals, as a withdrawal by the resident would."""
    from marketplace.support import events, lifecycle

    for help_request in list(db.session.scalars(select(HelpRequest).where(
            HelpRequest.owner_id == user.id, HelpRequest.status.in_(ACTIVE)))):
        # Brokering cancels the proposals and ends the arrangement; follow-up closes the
        # check-ins (receivers of request_withdrawn).
        lifecycle.withdraw_request(help_request, actor=None, reason="gegevens gewist",
                                   now=now)
    db.session.execute(update(Match).where(
        Match.status == "proposed", Match.volunteer_id == user.id)
        .values(status="cancelled", awaiting=None, decided_at=now)
        .execution_options(synchronize_session=False))
    running = list(db.session.scalars(select(Arrangement).where(
        Arrangement.status.in_(RUNNING), Arrangement.volunteer_id == user.id)))
    for arrangement in running:
        # The volunteer stops: the resident still needs help, the request is open again.
        arrangement.status, arrangement.ended_on = "ended", now.date()
        arrangement.reciprocity_checked_at = now  # broke off: no invitation to give back
        events.arrangement_ended.send(arrangement, actor=None, now=now)
        match = db.session.get(Match, arrangement.match_id)
        if match is not None:
            match.status = "cancelled"
        request = db.session.get(HelpRequest, arrangement.request_id)
        if request is not None and request.status in ("matched", "in_progress"):
            lifecycle.record_status(request, "open", actor=None, now=now,
                                    reason="de vrijwilliger is gestopt")
            tell_workers(request, arrangement.id, now)
    db.session.flush()


def end_collective(user: User, now: datetime) -> None:
    """Running sign-ups are cancelled (the first person waiting moves in), open vacancy
    proposals too. Through the associations' own service, when that feature is there."""
    tables = db.metadata.tables
    if "signup" in tables:
        from marketplace.associations.models import ACTIVE_SIGNUP_STATUSES, Activity, Signup
        from marketplace.associations.signups import cancel_signup

        for activity in list(db.session.scalars(select(Activity).join(
                Signup, Signup.activity_id == Activity.id).where(
                Signup.user_id == user.id, Signup.status.in_(ACTIVE_SIGNUP_STATUSES)))):
            cancel_signup(activity, user, actor=user, now=now)
    if "vacancy_match" in tables:
        proposals = tables["vacancy_match"]
        db.session.execute(update(proposals).where(
            proposals.c.volunteer_id == user.id, proposals.c.status == "proposed")
            .values(status="cancelled", decided_at=now))


def erase_person(user: User, *, actor: User | None, now: datetime | None = None,
                 reason: str = "request") -> None:
    """Erase or anonymise everything about this person, at once. Raises Conflict for staff.

    ``actor``: who did it (the person themselves, a worker or administrator at the desk, or
    None for the retention sweep). ``reason``: "request" or "retention", for the audit trail.
    """
    now = now or clock_now()
    if not can_be_erased(user):
        raise Conflict(_("Dit account kan niet gewist worden. Het account van een medewerker "
                         "wordt uitgezet door een beheerder."))
    user_id, email, name = user.id, user.email, user.name
    end_running(user, now)
    end_collective(user, now)
    for rule in RULES:
        if rule.table in db.metadata.tables:
            apply_rule(rule, user_id, email, name, now)
    db.session.expire_all()
    by_self = actor is not None and actor.id == user_id
    audit.record("user.erased", actor_id=None if by_self or actor is None else actor.id,
                 subject_user_id=user_id, object_type="user", object_id=user_id,
                 detail={"by": "self" if by_self else ("staff" if actor else "retention"),
                         "reason": reason}, now=now)
    db.session.flush()
