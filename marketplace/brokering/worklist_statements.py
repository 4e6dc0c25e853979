"""The worklist's statements, built once per shape and then run with new values.

Building a statement and working out its cache key costs SQLAlchemy more than SQLite
needs to run most of them: about 0.2-0.5 ms for each of the worklist's statements, while a
statement object that is used again keeps its key. So every value that changes between
views (the worker's areas, the "open too long" limits, today, the keyset of the next page) is
a bound parameter, and the statements are kept per shape: how many areas have their own
`request_stale_days`, and which sections are paged on. There are few shapes, so the
cache stays small.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, case, func, not_, or_, select, union_all
from sqlalchemy.orm import aliased, contains_eager, joinedload

from marketplace.accounts.models import User
from marketplace.brokering.models import Arrangement, Match
from marketplace.casework.models import Referral, ResidentArea
from marketplace.followup.models import Evaluation
from marketplace.help_requests.models import HelpRequest
from marketplace.reciprocity.offers import open_offers_count
from marketplace.signals.models import Signal

# Read one status at a time (a UNION ALL, counted and listed): with statistics of an area
# where nearly all requests are closed, SQLite's planner scans the whole table for "status IN
# (three)" (100k rows, 36 ms), while it seeks (area_id, status, created_at, id) for each
# "status = one" (migration 0014; 0.4 ms for the three).
NEW_STATUSES = ("new", "open", "clarifying")
# Most urgent first (the values sorted as text would put "normal" before "high").
URGENCY_RANK = {"high": 0, "normal": 1, "low": 2}
# The other sections, paged by (their sort column, id): the entity and that column.
KEYSET: dict[str, tuple[Any, Any]] = {
    "offers_waiting": (Match, Match.created_at),
    "signals": (Signal, Signal.respond_by),
    "arrangements_ending": (Arrangement, Arrangement.planned_end_on),
    "evaluations_overdue": (Arrangement, Arrangement.planned_end_on),
    "referrals_waiting": (Referral, Referral.created_at),
}
# Every section a worker can page through (keyset on the last item shown, no OFFSET).
PAGED = ("new_requests", "stale_requests", *KEYSET)

_CREATED = HelpRequest.__table__.c.created_at.type  # bound as the column stores it


def volunteer_name_only() -> tuple[Any, ...]:
    """A list shows the volunteer's name: joined in the same statement, their roles and
    areas (selectin by default: two more statements, only when the list is not empty) are
    left to load if anyone asks."""
    return (joinedload(Match.volunteer).lazyload(User.role_rows),
            joinedload(Match.volunteer).lazyload(User.areas))


def urgency_rank(entity: Any = HelpRequest) -> Any:
    return case(URGENCY_RANK, value=entity.urgency, else_=1)


@dataclass(frozen=True)
class Statements:
    counts: Any  # one row: every section's full count
    sections: dict[str, Any]  # section -> its first page (LIMIT bound as "page_limit")


def _stale_limit(differing: int) -> Any:
    """created_at at or before this is "open too long": `stale_limit` for most areas, and
    `stale_limit_<i>` for the area `stale_area_<i>` with its own number of days."""
    default = bindparam("stale_limit", type_=_CREATED)
    if not differing:
        return default
    return case(*((HelpRequest.area_id == bindparam(f"stale_area_{i}"),
                   bindparam(f"stale_limit_{i}", type_=_CREATED)) for i in range(differing)),
                else_=default)


def _after(section: str, entity: Any) -> Any:
    """Keyset: the rows after the last one the previous page showed (`<section>_created`,
    `<section>_id`, and for new requests `<section>_rank`; for the sections of KEYSET
    `<section>_sort` and `<section>_id`) in the section's order, no OFFSET."""
    if section in KEYSET:
        model, column = KEYSET[section]
        sort = bindparam(f"{section}_sort", type_=column.type)
        last = bindparam(f"{section}_id")
        return or_(column > sort, and_(column == sort, model.id > last))
    created = bindparam(f"{section}_created", type_=_CREATED)
    later = or_(entity.created_at > created,
                and_(entity.created_at == created, entity.id > bindparam(f"{section}_id")))
    if section == "stale_requests":  # oldest first
        return later
    # new_requests: most urgent first, then oldest.
    rank = bindparam(f"{section}_rank")
    return or_(urgency_rank(entity) > rank, and_(urgency_rank(entity) == rank, later))


def _count(query: Any) -> Any:
    return select(func.count()).select_from(query.order_by(None).subquery()).scalar_subquery()


@lru_cache(maxsize=64)
def statements(differing: int, paged: tuple[str, ...] = ()) -> Statements:
    """The worklist's statements for areas of which `differing` have their own stale days,
    with the `paged` sections (of PAGED) continuing after the last item shown."""
    area_ids = bindparam("area_ids", expanding=True)
    in_area = HelpRequest.area_id.in_(area_ids)
    # A request open too long is listed there, not a second time among the new ones.
    stale = and_(HelpRequest.status == "open", HelpRequest.created_at <= _stale_limit(differing))
    # New requests nobody holds: one SELECT per status (see NEW_STATUSES) of only the columns
    # the order needs, joined to the requests.
    waiting = union_all(*(
        select(HelpRequest.id, HelpRequest.urgency, HelpRequest.created_at)
        .where(HelpRequest.status == status, in_area,
               HelpRequest.assigned_worker_id.is_(None), not_(stale))
        for status in NEW_STATUSES
    )).subquery("waiting")
    key = waiting.c
    owner = aliased(User)
    sections = {
        "new_requests": select(HelpRequest).join(waiting, key.id == HelpRequest.id)
        .order_by(urgency_rank(key), key.created_at, key.id),
        "offers_waiting": select(Match).join(HelpRequest).outerjoin(
            owner, owner.id == HelpRequest.owner_id).where(
            in_area, Match.status == "proposed", or_(
                Match.awaiting == "worker",
                # the resident's to answer, but we cannot mail them (brokering.notify)
                and_(Match.awaiting == "resident",
                     or_(owner.email.is_(None), owner.is_active.is_(False)))))
        .options(contains_eager(Match.request), *volunteer_name_only())
        .order_by(Match.created_at, Match.id),
        "stale_requests": select(HelpRequest).where(in_area, stale)
        .order_by(HelpRequest.created_at, HelpRequest.id),
        "signals": select(Signal).where(Signal.area_id.in_(area_ids), Signal.status != "handled")
        .order_by(Signal.respond_by, Signal.id),
    }
    arrangements = select(Arrangement).join(HelpRequest).where(in_area).options(
        contains_eager(Arrangement.request))
    sections["arrangements_ending"] = arrangements.where(
        Arrangement.status == "ending").order_by(Arrangement.planned_end_on, Arrangement.id)
    sections["evaluations_overdue"] = arrangements.outerjoin(
        Evaluation, Evaluation.arrangement_id == Arrangement.id).where(
        Arrangement.status.in_(("active", "ending")),
        Arrangement.planned_end_on < bindparam("today"),
        Evaluation.id.is_(None)).order_by(Arrangement.planned_end_on, Arrangement.id)
    sections["referrals_waiting"] = select(Referral).join(
        ResidentArea, ResidentArea.resident_id == Referral.resident_id).where(
        ResidentArea.area_id.in_(area_ids), Referral.status.in_(("proposed", "sent"))
    ).options(joinedload(Referral.partner)).order_by(Referral.created_at, Referral.id)
    counted = {**sections, "new_requests": select(key.id)}
    # Offers to give back that wait for a worker: only counted here (their own page lists
    # them), in the same one statement.
    counts = select(*(_count(query).label(name) for name, query in counted.items()),
                    open_offers_count(area_ids).label("reciprocity_offers"))
    for name in paged:
        entity = key if name == "new_requests" else HelpRequest
        sections[name] = sections[name].where(_after(name, entity))
    page_limit = bindparam("page_limit")
    return Statements(counts, {name: query.limit(page_limit)
                               for name, query in sections.items()})
