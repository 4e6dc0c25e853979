"""Matches and arrangements: offers of help, proposals, accept/decline, the start of support.

Who answers a proposed match depends on how it came about: a worker's proposal waits for the
volunteer; a volunteer's offer waits for the resident (peer-to-peer area) or the area's worker
(brokered area). An accepted match starts an arrangement with a planned end: support is
temporary by default.

Request statuses move through ``marketplace.support.lifecycle``. Brokering tells the others
that an arrangement started or ended (``support.events``: follow-up plans and closes the
check-ins) and listens for a request that closed or was withdrawn: its proposed matches are
cancelled and its arrangement ends.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import User
from marketplace.areas import settings as area_settings
from marketplace.brokering import on_behalf
from marketplace.brokering.models import Arrangement, Match
from marketplace.categories.models import Category
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.errors import N_, Conflict, DomainError, NotFound
from marketplace.extensions import db
from marketplace.help_requests.access import is_area_worker
from marketplace.help_requests.models import HelpRequest
from marketplace.support import events, lifecycle
from marketplace.support.lifecycle import record_status
from marketplace.volunteers.models import VolunteerProfile


def brokering_mode(request: HelpRequest) -> str:
    return area_settings.effective(request.area, "brokering_mode") if request.area_id else (
        "peer_to_peer")


def _open_match(request: HelpRequest, volunteer_id: int) -> Match | None:
    return db.session.scalar(select(Match).where(
        Match.request_id == request.id, Match.volunteer_id == volunteer_id,
        Match.status.in_(("proposed", "accepted"))))


def offer_help(volunteer: User, request: HelpRequest, message: str | None = None,
               now: datetime | None = None) -> Match:
    """'I can help': to the resident in a peer-to-peer area, to the area's worker otherwise."""
    now = now or clock_now()
    profile = db.session.get(VolunteerProfile, volunteer.id)
    if profile is None:
        raise DomainError(N_("Maak eerst uw vrijwilligersprofiel."))
    if request.status != "open":
        raise Conflict(N_("Deze hulpvraag staat niet meer open."))
    if request.owner_id == volunteer.id:
        raise DomainError(N_("U kunt uw eigen hulpvraag niet aannemen."))
    if _open_match(request, volunteer.id) is not None:
        raise Conflict(N_("U heeft al aangeboden om hierbij te helpen."))
    category = db.session.get(Category, request.category)
    if category is not None and category.vog_required and not profile.vog_valid_on(today(now)):
        raise DomainError(N_("Voor deze hulp is een geldige VOG nodig."))
    awaiting = "resident" if brokering_mode(request) == "peer_to_peer" and request.owner_id \
        else "worker"
    match = Match(request_id=request.id, volunteer_id=volunteer.id, status="proposed",
                  origin="offer", awaiting=awaiting, proposed_by_id=volunteer.id,
                  message=(message or "").strip()[:1000] or None, created_at=now)
    db.session.add(match)
    db.session.flush()
    from marketplace.brokering.notify import offer_made

    offer_made(match, now=now)
    return match


def propose_match(worker: User, request: HelpRequest, volunteer: User,
                  now: datetime | None = None) -> Match:
    """A worker proposes a volunteer; the volunteer accepts or declines."""
    now = now or clock_now()
    if not is_area_worker(worker, request):
        raise NotFound(N_("Deze hulpvraag bestaat niet."))
    if request.status not in ("new", "clarifying", "open"):
        raise Conflict(N_("Deze hulpvraag heeft al hulp of is afgesloten."))
    if db.session.get(VolunteerProfile, volunteer.id) is None:
        raise DomainError(N_("Deze persoon is (nog) geen vrijwilliger."), field="volunteer_id")
    existing = _open_match(request, volunteer.id)
    if existing is not None:
        return existing
    match = Match(request_id=request.id, volunteer_id=volunteer.id, status="proposed",
                  origin="worker", awaiting="volunteer", proposed_by_id=worker.id,
                  created_at=now)
    db.session.add(match)
    db.session.flush()
    from marketplace.brokering.worklist import take_on

    take_on(worker, request, what="vrijwilliger voorgesteld", now=now)
    from marketplace.brokering.notify import match_proposed

    match_proposed(match, now=now)
    return match


def may_answer(user: User, match: Match, *, for_resident: bool = False) -> bool:
    """Whose answer it is; ``for_resident``: a worker of the area giving the answer of the
    resident it waits for (``brokering.on_behalf``)."""
    if for_resident:
        return match.awaiting == "resident" and is_area_worker(user, match.request)
    if match.awaiting == "volunteer":
        return user.id == match.volunteer_id
    if match.awaiting == "resident":
        return user.id == match.request.owner_id
    if match.awaiting == "worker":
        return is_area_worker(user, match.request)
    return False


def accept(user: User, match: Match, now: datetime | None = None, *,
           for_resident: str | None = None) -> Arrangement:
    """Accept a proposed match; the first accept wins, a later one gets Conflict (409).

    ``for_resident``: how the resident gave a worker their yes (``on_behalf.HOW``); the
    worker of the area then accepts for the resident, recorded as such."""
    now = now or clock_now()
    if not may_answer(user, match, for_resident=for_resident is not None):
        raise NotFound(N_("Dit voorstel bestaat niet."))
    if for_resident is not None:
        on_behalf.check_how(for_resident)
    # Accepts of one request queue on its row (PostgreSQL; SQLite's BEGIN IMMEDIATE already
    # serialises writers), so the first wins and the others see it instead of deadlocking.
    db.session.execute(select(HelpRequest.id).where(HelpRequest.id == match.request_id)
                       .with_for_update())
    db.session.refresh(match)
    if match.status != "proposed":
        raise Conflict(N_("Op dit voorstel is al geantwoord."))
    request = match.request
    # A conditional update: of two concurrent accepts only one finds the row still proposed,
    # and the partial unique index allows one accepted match per request. The entry point
    # rolls back after a Conflict.
    try:
        result = db.session.execute(
            update(Match).where(Match.id == match.id, Match.status == "proposed")
            .values(status="accepted", decided_at=now, decided_by_id=user.id)
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise Conflict(N_("Op dit voorstel is al geantwoord."))
        db.session.refresh(match)
        db.session.refresh(request)
        if request.status not in ("new", "clarifying", "open"):
            raise Conflict(N_("Iemand anders helpt al bij deze hulpvraag."))
        category = db.session.get(Category, request.category)
        weeks = category.default_support_weeks if category else 12
        arrangement = Arrangement(request_id=request.id, match_id=match.id,
                                  volunteer_id=match.volunteer_id, status="active",
                                  started_on=today(now),
                                  planned_end_on=today(now) + timedelta(weeks=weeks),
                                  created_at=now)
        db.session.add(arrangement)
        if request.status in ("new", "clarifying"):
            # Accepting ends the clarification: the request is open, then matched.
            record_status(request, "open", actor=user, reason="vraag is helder", now=now)
        record_status(request, "matched", actor=user, now=now, reason="hulp gevonden"
                      if for_resident is None else on_behalf.accepted_reason(for_resident))
        db.session.flush()
        events.arrangement_started.send(arrangement, actor=user, now=now)
    except IntegrityError:
        raise Conflict(N_("Iemand anders helpt al bij deze hulpvraag.")) from None
    cancel_open_matches(request, reason="iemand anders helpt al", now=now, keep=match.id)
    if for_resident is not None:
        on_behalf.record(user, match, accepted=True, how=for_resident, now=now)
    from marketplace.brokering.notify import match_accepted
    from marketplace.volunteers.services import get_profile, sync_matching_index

    profile = get_profile(match.volunteer)
    if profile is not None:
        sync_matching_index(profile, now=now)
    match_accepted(match, arrangement, now=now)
    return arrangement


def decline(user: User, match: Match, reason: str | None = None,
            now: datetime | None = None, *, for_resident: str | None = None) -> Match:
    """Say no; ``for_resident`` as in ``accept``."""
    now = now or clock_now()
    if not may_answer(user, match, for_resident=for_resident is not None):
        raise NotFound(N_("Dit voorstel bestaat niet."))
    if for_resident is not None:
        on_behalf.check_how(for_resident)
    if match.status != "proposed":
        raise Conflict(N_("Op dit voorstel is al geantwoord."))
    match.status, match.decided_at, match.decided_by_id = "declined", now, user.id
    match.reason = (reason or "").strip()[:500] or None
    db.session.flush()
    if for_resident is not None:
        on_behalf.record(user, match, accepted=False, how=for_resident, now=now)
    from marketplace.brokering.notify import match_declined

    match_declined(match, now=now)
    return match


def cancel_open_matches(request: HelpRequest, *, reason: str, now: datetime | None = None,
                        keep: int | None = None) -> int:
    stmt = select(Match).where(Match.request_id == request.id, Match.status == "proposed")
    count = 0
    for match in db.session.scalars(stmt):
        if match.id == keep:
            continue
        match.status, match.reason = "cancelled", reason
        match.decided_at = now or clock_now()
        count += 1
    db.session.flush()
    return count


def get_match(match_id: int) -> Match:
    match = db.session.get(Match, match_id)
    if match is None:
        raise NotFound(N_("Dit voorstel bestaat niet."))
    return match


def matches_for_volunteer(user: User) -> list[Match]:
    stmt = select(Match).where(Match.volunteer_id == user.id).order_by(Match.created_at.desc())
    return list(db.session.scalars(stmt))


def matches_for_request(request: HelpRequest) -> list[Match]:
    stmt = select(Match).where(Match.request_id == request.id).order_by(Match.created_at)
    return list(db.session.scalars(stmt))


def active_arrangement(request: HelpRequest) -> Arrangement | None:
    return db.session.scalar(select(Arrangement).where(
        Arrangement.request_id == request.id, Arrangement.status.in_(("active", "ending"))))


def end_arrangement(actor: User, arrangement: Arrangement, *, solved_by: str = "volunteer",
                    now: datetime | None = None) -> None:
    """End the support; the request closes and records how it was solved."""
    now = now or clock_now()
    if arrangement.status == "ended":
        return
    stop_arrangement(arrangement, actor=actor, now=now)
    request = arrangement.request
    if request.status in ("matched", "in_progress"):
        lifecycle.close_request(request, solved_by=solved_by, actor=actor, note="hulp afgerond",
                                now=now)
    db.session.flush()


def stop_arrangement(arrangement: Arrangement, *, actor: User | None, now: datetime) -> None:
    """The arrangement ends: follow-up closes its check-ins, the volunteer has room again."""
    arrangement.status, arrangement.ended_on = "ended", today(now)
    events.arrangement_ended.send(arrangement, actor=actor, now=now)
    db.session.flush()
    from marketplace.volunteers.services import get_profile, sync_matching_index

    profile = get_profile(arrangement.match.volunteer)
    if profile is not None:
        sync_matching_index(profile, now=now)


def _request_ended(reason: str):
    def receiver(request: HelpRequest, *, actor: User | None = None,
                 now: datetime | None = None, **_: object) -> None:
        now = now or clock_now()
        cancel_open_matches(request, reason=reason, now=now)
        # No more help needed: the arrangement ends, and with it the volunteer's view of
        # the name and house number.
        arrangement = active_arrangement(request)
        if arrangement is not None:
            stop_arrangement(arrangement, actor=actor, now=now)
    return receiver


on_request_closed = _request_ended("hulpvraag afgesloten")
on_request_withdrawn = _request_ended("hulpvraag ingetrokken")
events.request_closed.connect(on_request_closed)
events.request_withdrawn.connect(on_request_withdrawn)
