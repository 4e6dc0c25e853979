"""Help requests: post (for self, for someone else, or by a worker), edit, withdraw, renew.

Status changes go through ``marketplace.support.lifecycle`` (the one home of the request's
life), which records who, when and why."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload

from marketplace.accounts.models import User
from marketplace.areas import coverage
from marketplace.areas import settings as area_settings
from marketplace.areas.services import area_for_pc4
from marketplace.brokering.models import Arrangement
from marketplace.categories.models import Category
from marketplace.cleaning import too_short
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.errors import N_, Conflict, DomainError, NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.geo import InvalidPostcode, UnknownPostcode, default_gazetteer, parse_postcode
from marketplace.help_requests.access import is_area_worker
from marketplace.help_requests.models import ACTIVE, TIMINGS, URGENCIES, HelpRequest, RequestEvent
from marketplace.matching.profiles import DAY_PARTS
from marketplace.support import lifecycle
from marketplace.support.lifecycle import record_status  # moved there; still importable here

# Free text of a request and the length of its column.
TEXT_LIMITS = {"recurrence": 120, "network_note": 1000, "for_person_name": 120,
               "for_person_relation": 60}
HOUSE_NUMBER_RE = re.compile(r"^[1-9]\d{0,4}(?:[ -]?[A-Za-z]{1,2}|[-/ ]\d{1,4}[A-Za-z]?)?$")

@dataclass
class RequestInput:
    category: str
    description: str
    postcode: str
    house_number: str
    urgency: str = "normal"
    timing: str = "flexible"
    wanted_on: date | None = None
    wanted_until: date | None = None
    recurrence: str | None = None
    network_note: str | None = None
    for_person_name: str | None = None
    for_person_relation: str | None = None
    for_person_consent: bool | None = None
    # Day parts that suit ("tue_morning", the codes of volunteer availability); none = any.
    day_parts: tuple[str, ...] = ()


def day_parts_in_week_order(codes) -> list[str] | None:
    """Known day-part codes in week order without repeats; None when there are none."""
    chosen = set(codes or ())
    return [code for code in DAY_PARTS if code in chosen] or None


def validate(data: RequestInput, *, today_: date) -> tuple[str, float, float]:
    """Check every field at once; returns (pc4, lat, lon). Raises ValidationFailed."""
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    category = db.session.get(Category, data.category or "")
    if category is None or not category.active:
        err("category", N_("Kies waar u hulp bij zoekt."))
    description = (data.description or "").strip()
    if too_short(description):
        err("description", N_("Vertel in een paar woorden wat u zoekt (minstens 3 tekens)."))
    elif len(description) > 2000:
        err("description", N_("Houd het korter: hoogstens 2000 tekens."))
    pc4, lat, lon = "", 0.0, 0.0
    try:
        place = default_gazetteer().require(parse_postcode(data.postcode or "").pc4)
        pc4, lat, lon = place.pc4, place.lat, place.lon
        if (outside := coverage.refusal(pc4)) is not None:  # no area: it would reach nobody
            err("postcode", outside)
    except UnknownPostcode:
        err("postcode", N_("Deze postcode kennen wij niet. Kijk of de cijfers kloppen."))
    except InvalidPostcode:
        err("postcode", N_("Vul een postcode in zoals 5531 AB."))
    if not HOUSE_NUMBER_RE.match((data.house_number or "").strip()):
        err("house_number", N_("Vul een huisnummer in, zoals 17, 17a of 17-2."))
    if data.urgency not in URGENCIES:
        err("urgency", N_("Kies hoe snel u hulp nodig heeft."))
    if data.timing not in TIMINGS:
        err("timing", N_("Kies wanneer u hulp nodig heeft."))
    if data.timing in ("date", "period") and data.wanted_on is None:
        err("wanted_on", N_("Vul een datum in."))
    if data.wanted_on and data.wanted_on < today_:
        err("wanted_on", N_("Deze datum is al voorbij."))
    if data.wanted_until and data.wanted_on and data.wanted_until < data.wanted_on:
        err("wanted_until", N_("De einddatum ligt voor de begindatum."))
    if data.timing == "recurring" and not (data.recurrence or "").strip():
        err("recurrence", N_("Schrijf op hoe vaak, bijvoorbeeld: elke dinsdagochtend."))
    for field, limit in TEXT_LIMITS.items():  # the columns' lengths (PostgreSQL holds no more)
        if len((getattr(data, field) or "").strip()) > limit:
            err(field, N_("Houd het korter: hoogstens %(max)s tekens.", max=limit))
    if set(data.day_parts) - set(DAY_PARTS):
        err("day_parts", N_("Kies dagdelen uit de tabel."))
    if data.for_person_name and data.for_person_consent is False:
        err("for_person_consent",
            N_("Vraag eerst of de ander het goed vindt dat u hulp vraagt."))
    if errors:
        raise ValidationFailed(errors)
    return pc4, lat, lon


def create_request(actor: User, data: RequestInput, *, owner: User | None = None,
                   initial_status: str = "open", now: datetime | None = None) -> HelpRequest:
    """A resident posts for themselves or someone else; a worker posts on a resident's behalf.

    A request is open to volunteers at once; a worker may start it as "new" instead, when an
    intake comes first, or keep it as a "draft" until the resident agrees.
    """
    if initial_status not in ("open", "new", "draft"):
        raise DomainError(N_("Een nieuwe hulpvraag begint open, nieuw of als concept."),
                          field="status")
    now = now or clock_now()
    pc4, lat, lon = validate(data, today_=today(now))
    area = area_for_pc4(pc4)
    acting_as_worker = actor.has_role("worker") and (owner is None or owner.id != actor.id)
    if acting_as_worker:
        from marketplace.help_requests.access import worker_area_ids

        if area is None or area.id not in worker_area_ids(actor):
            raise ValidationFailed({"postcode": [N_("Deze postcode ligt niet in uw werkgebied.")]})
    elif not actor.has_role("resident"):
        raise DomainError(N_("Alleen inwoners en welzijnswerkers kunnen een hulpvraag plaatsen."))
    expiry_days = int(area_settings.effective(area, "request_expiry_days"))
    request = HelpRequest(
        owner_id=(owner.id if owner else (None if acting_as_worker else actor.id)),
        created_by_id=actor.id,
        for_person_name=(data.for_person_name or "").strip() or None,
        for_person_relation=(data.for_person_relation or "").strip() or None,
        category=data.category, description=data.description.strip(), pc4=pc4,
        house_number=data.house_number.strip(), lat=lat, lon=lon,
        area_id=area.id if area else None, timing=data.timing, wanted_on=data.wanted_on,
        wanted_until=data.wanted_until, recurrence=(data.recurrence or "").strip() or None,
        urgency=data.urgency, network_note=(data.network_note or "").strip() or None,
        day_parts=day_parts_in_week_order(data.day_parts),
        status="draft", expires_on=today(now) + timedelta(days=expiry_days), created_at=now,
    )
    if request.for_person_name:
        request.consent_recorded_at = now
        request.consent_method = "worker_recorded" if acting_as_worker else "declared_by_asker"
    db.session.add(request)
    reason = "geplaatst door welzijnswerker" if acting_as_worker else "geplaatst"
    if initial_status == "draft":
        request.events.append(RequestEvent(from_status=None, to_status="draft", at=now,
                                           actor_id=actor.id, reason="concept"))
    else:
        record_status(request, initial_status, actor=actor, reason=reason, now=now)
    db.session.flush()
    return request


def get_request(request_id: int) -> HelpRequest:
    # The owner comes along (every page of a request names them), without their roles and
    # areas, which only a check of their own rights needs (then loaded when asked).
    request = db.session.get(HelpRequest, request_id, options=[
        joinedload(HelpRequest.owner).options(lazyload(User.role_rows), lazyload(User.areas))])
    if request is None:
        raise NotFound(N_("Deze hulpvraag bestaat niet."))
    return request


# The request page shows the latest TIMELINE_SHOWN events of its timeline (with "show all"):
# a request that many proposals went through would otherwise grow its page without bound
# (the load test made one of 386 KB that took 0.5 s; docs/performance.md, fifth round).
TIMELINE_SHOWN = 25


def timeline(request: HelpRequest, *, everything: bool = False) -> tuple[list[RequestEvent], int]:
    """The request's events, oldest first: the latest TIMELINE_SHOWN of them, or all; and
    how many there are. One statement (the total as a window count)."""
    stmt = (select(RequestEvent, func.count().over())
            .where(RequestEvent.request_id == request.id)
            .order_by(RequestEvent.at.desc(), RequestEvent.id.desc()))
    if not everything:
        stmt = stmt.limit(TIMELINE_SHOWN)
    rows = db.session.execute(stmt).all()
    return [event for event, _total in reversed(rows)], (rows[0][1] if rows else 0)


def can_manage(user: User, request: HelpRequest) -> bool:
    """The resident it belongs to, and workers of its area, may change it."""
    return request.owner_id == user.id or is_area_worker(user, request)


def update_request(user: User, request: HelpRequest, data: RequestInput,
                   now: datetime | None = None) -> None:
    now = now or clock_now()
    if not can_manage(user, request):
        raise NotFound(N_("Deze hulpvraag bestaat niet."))
    if request.status not in ("draft", "new", "clarifying", "open"):
        raise DomainError(N_("Deze hulpvraag kan niet meer worden veranderd."))
    pc4, lat, lon = validate(data, today_=today(now))
    request.category, request.description = data.category, data.description.strip()
    request.pc4, request.lat, request.lon = pc4, lat, lon
    request.house_number = data.house_number.strip()
    area = area_for_pc4(pc4)
    request.area_id = area.id if area else None
    request.urgency, request.timing = data.urgency, data.timing
    request.wanted_on, request.wanted_until = data.wanted_on, data.wanted_until
    request.recurrence = (data.recurrence or "").strip() or None
    request.network_note = (data.network_note or "").strip() or None
    request.day_parts = day_parts_in_week_order(data.day_parts)
    db.session.flush()


def withdraw(user: User, request: HelpRequest, reason: str | None = None,
             now: datetime | None = None) -> None:
    if not can_manage(user, request):
        raise NotFound(N_("Deze hulpvraag bestaat niet."))
    if request.status not in ACTIVE:
        raise DomainError(N_("Deze hulpvraag is al afgesloten."))
    # Brokering cancels the proposed matches and ends the arrangement (and with it the
    # volunteer's view of the name and house number); follow-up closes the check-ins.
    lifecycle.withdraw_request(request, actor=user, reason=reason, now=now)
    db.session.flush()


# How a worker may close a request that had no arrangement (support by a volunteer ends
# through the evaluation instead; a referral through casework.referrals).
CLOSE_WITHOUT_ARRANGEMENT = ("own_network", "worker", "not_solved")


def close_without_arrangement(worker: User, request: HelpRequest, *, solved_by: str,
                              note: str | None = None, now: datetime | None = None) -> None:
    """A worker of the area closes a request solved (or not) without a volunteer.

    NotFound for other areas; ValidationFailed for another ``solved_by``; Conflict while an
    arrangement runs (that ends with its evaluation) or when the request ended already.
    """
    if not is_area_worker(worker, request):
        raise NotFound(N_("Deze hulpvraag bestaat niet."))
    if solved_by not in CLOSE_WITHOUT_ARRANGEMENT:
        raise ValidationFailed({"solved_by": [
            N_("Kies: opgelost door het eigen netwerk, door u, of niet opgelost.")]})
    running = db.session.scalar(select(Arrangement.id).where(
        Arrangement.request_id == request.id, Arrangement.status.in_(("active", "ending"))))
    if running is not None:
        raise Conflict(N_("Er loopt nog een afspraak met een vrijwilliger. Sluit die af met de "
                       "evaluatie."))
    lifecycle.close_request(request, solved_by=solved_by, actor=worker, note=note, now=now)
    db.session.flush()


def renew(user: User, request: HelpRequest, now: datetime | None = None) -> None:
    """Extend an expiring or expired request by the area's expiry period."""
    now = now or clock_now()
    if not can_manage(user, request):
        raise NotFound(N_("Deze hulpvraag bestaat niet."))
    if request.status not in ("new", "clarifying", "open", "expired"):
        raise DomainError(N_("Alleen een open of verlopen hulpvraag kan worden verlengd."))
    days = int(area_settings.effective(request.area, "request_expiry_days")
               if request.area_id else area_settings.SETTINGS["request_expiry_days"].default)
    request.expires_on = today(now) + timedelta(days=days)
    if request.status == "expired":
        record_status(request, "open", actor=user, reason="verlengd", now=now)
    db.session.flush()


def requests_of(user: User) -> list[HelpRequest]:
    stmt = (select(HelpRequest).where(HelpRequest.owner_id == user.id)
            .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc()))
    return list(db.session.scalars(stmt))
