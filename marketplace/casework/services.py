"""A resident's file for workers of their area: intake, life domains, one support plan with
goals and actions, case notes. Every read of the file is audited (who, what, when)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from marketplace.accounts import audit
from marketplace.accounts.models import User
from marketplace.areas.services import area_for_pc4
from marketplace.casework.models import (
    ACTORS,
    GOAL_STATUSES,
    GOAL_TERMS,
    LIFE_DOMAINS,
    NOTE_KINDS,
    SCORE_MOMENTS,
    CaseNote,
    Goal,
    Intake,
    LifeDomainScore,
    PlanAction,
    ResidentArea,
    SupportPlan,
)
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.errors import N_, DomainError, NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.help_requests.access import worker_area_ids
from marketplace.help_requests.models import HelpRequest


def resident_area_id(resident: User) -> int | None:
    """The area of the resident's file: set explicitly, else from their latest request."""
    row = db.session.scalar(select(ResidentArea).where(ResidentArea.resident_id == resident.id))
    if row is not None:
        return row.area_id
    latest = db.session.scalar(select(HelpRequest).where(HelpRequest.owner_id == resident.id)
                               .order_by(HelpRequest.created_at.desc()).limit(1))
    return latest.area_id if latest else None


def set_resident_pc4(resident: User, pc4: str) -> None:
    area = area_for_pc4(pc4)
    row = db.session.scalar(select(ResidentArea).where(ResidentArea.resident_id == resident.id))
    if row is None:
        row = ResidentArea(resident_id=resident.id, pc4=pc4)
        db.session.add(row)
    row.pc4, row.area_id = pc4, area.id if area else None
    db.session.flush()


def can_open_file(worker: User, resident: User) -> bool:
    area_id = resident_area_id(resident)
    return area_id is not None and area_id in worker_area_ids(worker)


def open_file(worker: User, resident_id: int, *, purpose: str, ip: str | None = None,
              now: datetime | None = None) -> User:
    """The resident, if this worker may see their file; the read is audited."""
    # The file shows the person, not their roles and areas: those load only when asked.
    resident = db.session.get(User, resident_id, options=[lazyload(User.role_rows),
                                                           lazyload(User.areas)])
    if resident is None or not can_open_file(worker, resident):
        raise NotFound(N_("Dit dossier bestaat niet."))
    audit.record("file.viewed", actor_id=worker.id, subject_user_id=resident.id,
                 object_type="resident_file", object_id=resident.id,
                 detail={"purpose": purpose}, ip=ip, now=now)
    return resident


def save_intake(worker: User, resident: User, *, question_as_asked: str,
                underlying_need: str | None, own_strength: str | None,
                network_strength: str | None, consent_special_data: bool,
                consent_purpose: str | None, scores: dict[str, int],
                request: HelpRequest | None = None, signal_id: int | None = None,
                now: datetime | None = None) -> Intake:
    now = now or clock_now()
    errors: dict[str, list[str]] = {}
    if len((question_as_asked or "").strip()) < 3:
        errors["question_as_asked"] = [N_("Schrijf de vraag op zoals de inwoner hem stelde.")]
    if consent_special_data and not (consent_purpose or "").strip():
        errors["consent_purpose"] = [N_("Schrijf op waarvoor de gegevens nodig zijn.")]
    if scores and not consent_special_data:
        errors["consent_special_data"] = [
            N_("Vraag eerst toestemming om gegevens over gezondheid en geld vast te leggen.")]
    bad = [d for d, s in scores.items() if d not in LIFE_DOMAINS or not 1 <= int(s) <= 5]
    if bad:
        errors["scores"] = [N_("Geef elk leefgebied een score van 1 tot 5.")]
    if errors:
        raise ValidationFailed(errors)
    intake = Intake(resident_id=resident.id, request_id=request.id if request else None,
                    signal_id=signal_id, worker_id=worker.id,
                    question_as_asked=question_as_asked.strip(),
                    underlying_need=(underlying_need or "").strip() or None,
                    own_strength=(own_strength or "").strip() or None,
                    network_strength=(network_strength or "").strip() or None,
                    consent_special_data=consent_special_data,
                    consent_purpose=(consent_purpose or "").strip() or None,
                    consent_at=now if consent_special_data else None, created_at=now)
    db.session.add(intake)
    db.session.flush()
    record_scores(worker, resident, "intake", scores, intake_id=intake.id, now=now)
    if request is not None and request.status in ("new", "open"):
        from marketplace.help_requests.services import record_status

        record_status(request, "clarifying", actor=worker, reason="vraagverheldering", now=now)
    if request is not None:
        from marketplace.brokering.worklist import take_on

        take_on(worker, request, what="vraagverheldering", now=now)
    return intake


def record_scores(worker: User, resident: User, moment: str, scores: dict[str, int], *,
                  intake_id: int | None = None, arrangement_id: int | None = None,
                  now: datetime | None = None) -> list[LifeDomainScore]:
    if moment not in SCORE_MOMENTS:
        raise DomainError(N_("Onbekend moment."), field="moment")
    rows = [LifeDomainScore(resident_id=resident.id, intake_id=intake_id,
                            arrangement_id=arrangement_id, moment=moment, domain=domain,
                            score=int(score), recorded_at=now or clock_now(),
                            recorded_by_id=worker.id)
            for domain, score in sorted(scores.items())]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def scores_then_now(resident: User) -> dict[str, tuple[int | None, int | None]]:
    """Per life domain: the first intake score and the latest score (to see change)."""
    stmt = select(LifeDomainScore).where(LifeDomainScore.resident_id == resident.id).order_by(
        LifeDomainScore.recorded_at, LifeDomainScore.id)
    then: dict[str, int] = {}
    latest: dict[str, int] = {}
    for row in db.session.scalars(stmt):
        then.setdefault(row.domain, row.score)
        latest[row.domain] = row.score
    return {d: (then.get(d), latest.get(d)) for d in LIFE_DOMAINS}


def plan_of(resident: User, *, create: bool = False) -> SupportPlan | None:
    plan = db.session.scalar(select(SupportPlan).where(SupportPlan.resident_id == resident.id))
    if plan is None and create:
        plan = SupportPlan(resident_id=resident.id)
        db.session.add(plan)
        db.session.flush()
    return plan


def _arrangement_of(resident: User, arrangement_id: int) -> bool:
    from marketplace.brokering.models import Arrangement

    if not 0 < arrangement_id <= 2**31 - 1:
        return False
    arrangement = db.session.get(Arrangement, arrangement_id)
    return arrangement is not None and arrangement.request.owner_id == resident.id


def add_goal(resident: User, *, description: str, measure: str | None, term: str,
             target_on: date | None, arrangement_id: int | None = None) -> Goal:
    errors: dict[str, list[str]] = {}
    if len((description or "").strip()) < 5:
        errors["description"] = [
            N_("Beschrijf het doel concreet, zoals: twee keer per week naar buiten.")]
    if term not in GOAL_TERMS:
        errors["term"] = [N_("Kies korte of lange termijn.")]
    if arrangement_id is not None and not _arrangement_of(resident, arrangement_id):
        errors["arrangement_id"] = [N_("Kies een afspraak van deze inwoner.")]
    if errors:
        raise ValidationFailed(errors)
    plan = plan_of(resident, create=True)
    goal = Goal(description=description.strip(), measure=(measure or "").strip() or None,
                term=term, target_on=target_on, arrangement_id=arrangement_id)
    plan.goals.append(goal)
    db.session.flush()
    return goal


def set_goal_status(goal: Goal, status: str, now: datetime | None = None) -> None:
    if status not in GOAL_STATUSES:
        raise DomainError(N_("Kies of het doel is gehaald."), field="status")
    goal.status = status
    goal.evaluated_at = now or clock_now() if status != "open" else None
    db.session.flush()


def add_action(resident: User, *, actor: str, description: str, goal_id: int | None = None,
               partner_id: int | None = None, due_on: date | None = None,
               now: datetime | None = None) -> PlanAction:
    """Who does what in the resident's plan; `due_on`: by when (optional, not in the past)."""
    if due_on is not None and due_on < today(now or clock_now()):
        raise ValidationFailed({"due_on": [N_("Kies vandaag of een latere datum.")]})
    if actor not in ACTORS:
        raise ValidationFailed({"actor": [N_("Kies wie dit doet.")]})
    if len((description or "").strip()) < 3:
        raise ValidationFailed({"description": [N_("Schrijf op wat er gebeurt.")]})
    plan = plan_of(resident, create=True)
    if goal_id is not None and goal_id not in {g.id for g in plan.goals}:
        raise ValidationFailed({"goal_id": [N_("Kies een doel uit het plan van deze inwoner.")]})
    if partner_id is not None:
        from marketplace.casework.models import PartnerOrganisation

        if not 0 < partner_id <= 2**31 - 1 or db.session.get(PartnerOrganisation,
                                                              partner_id) is None:
            raise ValidationFailed({"partner_id": [N_("Kies een organisatie uit de lijst.")]})
    action = PlanAction(actor=actor, description=description.strip(), goal_id=goal_id,
                        partner_id=partner_id, due_on=due_on)
    plan.actions.append(action)
    db.session.flush()
    return action


def add_note(worker: User, resident: User, *, kind: str, body: str,
             follow_up_on: date | None = None, request_id: int | None = None,
             signal_id: int | None = None, now: datetime | None = None) -> CaseNote:
    if kind not in NOTE_KINDS:
        raise ValidationFailed({"kind": [N_("Kies het soort contact.")]})
    if not (body or "").strip() and kind in ("note", "visit", "call"):
        raise ValidationFailed({"body": [N_("Schrijf kort op wat er besproken is.")]})
    if kind == "follow_up" and follow_up_on is None:
        raise ValidationFailed({"follow_up_on": [N_("Kies wanneer u het opvolgt.")]})
    note = CaseNote(resident_id=resident.id, author_id=worker.id, kind=kind,
                    body=(body or "").strip(), follow_up_on=follow_up_on, request_id=request_id,
                    signal_id=signal_id, created_at=now or clock_now())
    db.session.add(note)
    db.session.flush()
    return note


def notes_of(resident: User) -> list[CaseNote]:
    stmt = select(CaseNote).where(CaseNote.resident_id == resident.id).order_by(
        CaseNote.created_at.desc(), CaseNote.id.desc())
    return list(db.session.scalars(stmt))
