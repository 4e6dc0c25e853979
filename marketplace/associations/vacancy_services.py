"""Volunteer vacancies: create, find candidates (the matching engine), propose, answer.

Candidates come from ``marketplace.matching.service.find_candidates``, the engine help
requests use: a vacancy becomes a ``MatchRequest`` (``match_request_for``) at the activity's
PC4 centroid with the vacancy's skill, day parts and VOG, and the activity's reach. So the
hard rules (skill, both radii, VOG on the day, capacity, pause) and the reasons are exactly
those of requests; there is no second engine.

An accepted place is one commitment of the volunteer, like an arrangement: it counts
against their capacity (``commitments``) until the volunteer stops, the vacancy is closed
or the activity ends. Services add and flush; the entry point commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.associations.access import can_manage
from marketplace.associations.models import Activity
from marketplace.associations.vacancy_matching import (  # noqa: F401  (part of this API)
    ACTIVITY_REACH_KM,
    candidates,
    match_request_for,
)
from marketplace.associations.vacancy_models import Vacancy, VacancyMatch
from marketplace.categories.models import Category
from marketplace.cleaning import whole_number
from marketplace.clock import now as clock_now
from marketplace.errors import N_, Conflict, DomainError, NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.matching.profiles import DAY_PARTS
from marketplace.volunteers.models import VolunteerProfile

MAX_COUNT = 50


@dataclass
class VacancyInput:
    skill: str
    count: object  # an int; anything else is a field error
    day_parts: list[str] = field(default_factory=list)
    needs_vog: bool | None = None  # None: as the category says


def _validate(data: VacancyInput) -> tuple[Category, int, list[str]]:
    errors: dict[str, list[str]] = {}
    category = db.session.get(Category, data.skill) if isinstance(data.skill, str) else None
    if category is None or not category.active:
        errors["skill"] = [N_("Kies een soort hulp uit de lijst.")]
    count = data.count
    if isinstance(count, str) and (typed := whole_number(count, MAX_COUNT)) is not None:
        count = typed
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_COUNT:
        errors["count"] = [N_("Vul in hoeveel vrijwilligers u zoekt: 1 tot %(max)s.",
                              max=MAX_COUNT)]
    parts = data.day_parts
    if not isinstance(parts, list | tuple) or not all(isinstance(p, str) for p in parts) \
            or set(parts) - set(DAY_PARTS):
        errors["day_parts"] = [N_("Gebruik dagdelen zoals mon_morning of tue_evening.")]
    if data.needs_vog is not None and not isinstance(data.needs_vog, bool):
        errors["needs_vog"] = [N_("Geef aan of een VOG nodig is (ja of nee).")]
    if errors:
        raise ValidationFailed(errors)
    assert category is not None and isinstance(count, int)
    return category, count, sorted(set(parts))


def create_vacancy(actor: User, activity: Activity, data: VacancyInput,
                   now: datetime | None = None) -> Vacancy:
    """A member of the association (or a worker of the area) asks for volunteers."""
    if not can_manage(actor, activity):
        raise NotFound(N_("Deze activiteit bestaat niet."))
    category, count, parts = _validate(data)
    if activity.status != "active":
        raise Conflict(N_("Deze activiteit gaat niet meer door."))
    needs_vog = category.vog_required if data.needs_vog is None else data.needs_vog
    vacancy = Vacancy(activity_id=activity.id, skill=category.code, count=count,
                      day_parts=parts, needs_vog=bool(needs_vog or category.vog_required),
                      status="open", created_by_id=actor.id, created_at=now or clock_now())
    db.session.add(vacancy)
    db.session.flush()
    return vacancy


def get_vacancy(vacancy_id: object) -> Vacancy:
    try:
        vacancy = db.session.get(Vacancy, int(vacancy_id))  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        vacancy = None
    if vacancy is None:
        raise NotFound(N_("Deze vacature bestaat niet."))
    return vacancy


def may_manage(user: User | None, vacancy: Vacancy) -> bool:
    return can_manage(user, vacancy.activity)


def managed_vacancy(user: User, vacancy_id: object) -> Vacancy:
    """The vacancy if the user manages its activity; 404 exactly like a missing one."""
    vacancy = get_vacancy(vacancy_id)
    if not may_manage(user, vacancy):
        raise NotFound(N_("Deze vacature bestaat niet."))
    return vacancy


def vacancies_of(activity: Activity) -> list[Vacancy]:
    return list(db.session.scalars(select(Vacancy).where(Vacancy.activity_id == activity.id)
                                   .order_by(Vacancy.id)))


def commitments(user_id: int) -> int:
    """Accepted places on vacancies still running: each counts as one commitment."""
    return db.session.scalar(
        select(func.count()).select_from(VacancyMatch)
        .join(Vacancy, Vacancy.id == VacancyMatch.vacancy_id)
        .join(Activity, Activity.id == Vacancy.activity_id)
        .where(VacancyMatch.volunteer_id == user_id, VacancyMatch.status == "accepted",
               Vacancy.status != "closed", Activity.status == "active")) or 0


def _resync(user_id: int, now: datetime | None) -> None:
    """The volunteer's load changed: keep the matching index in step."""
    from marketplace.volunteers.services import sync_matching_index

    profile = db.session.get(VolunteerProfile, user_id)
    if profile is not None:
        sync_matching_index(profile, now=now)


# Proposals ---------------------------------------------------------------------------------

def propose(actor: User, vacancy: Vacancy, volunteer: User | None,
            now: datetime | None = None) -> VacancyMatch:
    """Ask a volunteer; proposing the same person again returns the open proposal."""
    now = now or clock_now()
    if not may_manage(actor, vacancy):
        raise NotFound(N_("Deze vacature bestaat niet."))
    profile = db.session.get(VolunteerProfile, volunteer.id) if volunteer is not None else None
    if volunteer is None or profile is None or not volunteer.is_active:
        raise DomainError(N_("Deze persoon is (nog) geen vrijwilliger."), field="volunteer_id")
    if vacancy.status != "open":
        raise Conflict(N_("Deze vacature staat niet meer open."))
    existing = db.session.scalar(select(VacancyMatch).where(
        VacancyMatch.vacancy_id == vacancy.id, VacancyMatch.volunteer_id == volunteer.id,
        VacancyMatch.status.in_(("proposed", "accepted"))))
    if existing is not None:
        return existing
    if vacancy.needs_vog and not profile.vog_valid_on(match_request_for(vacancy, now=now).when):
        raise DomainError(N_("Voor deze taak is een geldige VOG nodig."), field="volunteer_id")
    match = VacancyMatch(vacancy_id=vacancy.id, volunteer_id=volunteer.id, status="proposed",
                         proposed_by_id=actor.id, created_at=now)
    db.session.add(match)
    db.session.flush()
    from marketplace.associations.vacancy_notify import proposed

    proposed(match, now=now)
    return match


def get_match(match_id: object) -> VacancyMatch:
    try:
        match = db.session.get(VacancyMatch, int(match_id))  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        match = None
    if match is None:
        raise NotFound(N_("Dit voorstel bestaat niet."))
    return match


def own_match(user: User, match_id: object) -> VacancyMatch:
    """The volunteer's own proposal; anyone else's is 404, like a missing one."""
    match = get_match(match_id)
    if match.volunteer_id != user.id:
        raise NotFound(N_("Dit voorstel bestaat niet."))
    return match


def _lock(vacancy: Vacancy) -> None:
    """Answers to one vacancy queue on its row (PostgreSQL; SQLite's BEGIN IMMEDIATE already
    serialises writers), so the last place goes to one volunteer only."""
    db.session.execute(select(Vacancy.id).where(Vacancy.id == vacancy.id).with_for_update())
    db.session.refresh(vacancy)


def accept(user: User, match: VacancyMatch, now: datetime | None = None) -> VacancyMatch:
    """The volunteer says yes; the last place fills the vacancy and ends other proposals."""
    now = now or clock_now()
    if match.volunteer_id != user.id:
        raise NotFound(N_("Dit voorstel bestaat niet."))
    vacancy = match.vacancy
    _lock(vacancy)
    db.session.refresh(match)
    if match.status != "proposed":
        raise Conflict(N_("Op dit voorstel is al geantwoord."))
    if vacancy.status != "open" or vacancy.accepted_count >= vacancy.count:
        raise Conflict(N_("Deze plekken zijn al gevuld."))
    match.status, match.decided_at = "accepted", now
    db.session.flush()
    db.session.refresh(vacancy)
    if vacancy.accepted_count >= vacancy.count:
        vacancy.status = "filled"
        for other in vacancy.matches:
            if other.status == "proposed":
                other.status, other.decided_at = "cancelled", now
                other.reason = "alle plekken zijn gevuld"
    db.session.flush()
    _resync(match.volunteer_id, now)
    from marketplace.associations.vacancy_notify import answered

    answered(match, now=now)
    return match


def decline(user: User, match: VacancyMatch, reason: str | None = None,
            now: datetime | None = None) -> VacancyMatch:
    now = now or clock_now()
    if match.volunteer_id != user.id:
        raise NotFound(N_("Dit voorstel bestaat niet."))
    if match.status != "proposed":
        raise Conflict(N_("Op dit voorstel is al geantwoord."))
    match.status, match.decided_at = "declined", now
    match.reason = (reason or "").strip()[:500] or None
    db.session.flush()
    from marketplace.associations.vacancy_notify import answered

    answered(match, now=now)
    return match


def stop(user: User, match: VacancyMatch, now: datetime | None = None) -> VacancyMatch:
    """The volunteer (or a manager) ends a place or a proposal; a filled vacancy reopens."""
    now = now or clock_now()
    vacancy = match.vacancy
    if match.volunteer_id != user.id and not may_manage(user, vacancy):
        raise NotFound(N_("Dit voorstel bestaat niet."))
    _lock(vacancy)
    db.session.refresh(match)
    if match.status not in ("proposed", "accepted"):
        raise Conflict(N_("Dit voorstel loopt al niet meer."))
    was_accepted = match.status == "accepted"
    match.status, match.decided_at = "cancelled", now
    if vacancy.status == "filled":
        vacancy.status = "open"
    db.session.flush()
    if was_accepted:
        _resync(match.volunteer_id, now)
    return match


def close_vacancy(actor: User, vacancy: Vacancy, now: datetime | None = None) -> Vacancy:
    """No more volunteers wanted: open proposals end; accepted places stop counting as load."""
    now = now or clock_now()
    if not may_manage(actor, vacancy):
        raise NotFound(N_("Deze vacature bestaat niet."))
    if vacancy.status == "closed":
        return vacancy
    vacancy.status, vacancy.closed_at = "closed", now
    helpers = []
    for match in vacancy.matches:
        if match.status == "proposed":
            match.status, match.decided_at, match.reason = "cancelled", now, "vacature gesloten"
        elif match.status == "accepted":
            helpers.append(match.volunteer_id)
    db.session.flush()
    for user_id in helpers:
        _resync(user_id, now)
    return vacancy


def matches_of_volunteer(user: User) -> list[VacancyMatch]:
    return list(db.session.scalars(
        select(VacancyMatch).where(VacancyMatch.volunteer_id == user.id)
        .order_by(VacancyMatch.created_at.desc(), VacancyMatch.id.desc())))


def rota(activity: Activity) -> list[User]:
    """Volunteers with an accepted place at the activity (vacancy not closed)."""
    return list(db.session.scalars(
        select(User).join(VacancyMatch, VacancyMatch.volunteer_id == User.id)
        .join(Vacancy, Vacancy.id == VacancyMatch.vacancy_id)
        .where(Vacancy.activity_id == activity.id, Vacancy.status != "closed",
               VacancyMatch.status == "accepted").order_by(User.id).distinct()))
