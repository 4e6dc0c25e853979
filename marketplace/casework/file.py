"""Reading a resident's file: the rows its pages show. Callers open the file first
(``services.open_file``, audited); these functions only look things up."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.brokering.models import Arrangement
from marketplace.casework.models import Goal, Intake, PlanAction, Referral
from marketplace.casework.services import plan_of
from marketplace.errors import N_, NotFound
from marketplace.extensions import db
from marketplace.help_requests.models import ACTIVE, HelpRequest


def intakes_of(resident: User) -> list[Intake]:
    """Newest first: each intake is kept, so the file shows how the question changed."""
    stmt = select(Intake).where(Intake.resident_id == resident.id).order_by(
        Intake.created_at.desc(), Intake.id.desc())
    return list(db.session.scalars(stmt))


def latest_intake(resident: User) -> Intake | None:
    found = intakes_of(resident)
    return found[0] if found else None


def has_special_consent(resident: User) -> bool:
    """Did the resident agree (at the latest intake) to recording health and money data?"""
    intake = latest_intake(resident)
    return intake is not None and intake.consent_special_data


def requests_of_resident(resident: User, *, active_only: bool = False) -> list[HelpRequest]:
    stmt = select(HelpRequest).where(HelpRequest.owner_id == resident.id).order_by(
        HelpRequest.created_at.desc(), HelpRequest.id.desc())
    if active_only:
        stmt = stmt.where(HelpRequest.status.in_(ACTIVE))
    return list(db.session.scalars(stmt))


def arrangements_of_resident(resident: User, *, active_only: bool = False
                             ) -> list[Arrangement]:
    stmt = select(Arrangement).join(HelpRequest, HelpRequest.id == Arrangement.request_id).where(
        HelpRequest.owner_id == resident.id).order_by(Arrangement.started_on.desc(),
                                                      Arrangement.id.desc())
    if active_only:
        stmt = stmt.where(Arrangement.status.in_(("active", "ending")))
    return list(db.session.scalars(stmt))


def goal_in_plan(resident: User, goal_id: int) -> Goal:
    plan = plan_of(resident)
    goal = db.session.get(Goal, goal_id) if plan is not None else None
    if goal is None or goal.plan_id != plan.id:
        raise NotFound(N_("Dit doel bestaat niet."))
    return goal


def action_in_plan(resident: User, action_id: int) -> PlanAction:
    plan = plan_of(resident)
    action = db.session.get(PlanAction, action_id) if plan is not None else None
    if action is None or action.plan_id != plan.id:
        raise NotFound(N_("Deze afspraak in het plan bestaat niet."))
    return action


def referral_of(resident: User, referral_id: int) -> Referral:
    referral = db.session.get(Referral, referral_id)
    if referral is None or referral.resident_id != resident.id:
        raise NotFound(N_("Deze verwijzing bestaat niet."))
    return referral


def goals_for_evaluation(resident: User, arrangement: Arrangement) -> list[Goal]:
    """The goals of this arrangement, and the plan's open goals that belong to no other."""
    plan = plan_of(resident)
    if plan is None:
        return []
    return [g for g in plan.goals if g.arrangement_id == arrangement.id
            or (g.arrangement_id is None and g.status == "open")]


def set_action_done(action: PlanAction, done: bool) -> None:
    action.done = done
    db.session.flush()
