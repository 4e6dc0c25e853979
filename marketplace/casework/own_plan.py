"""The resident's own plan as they read it on their request page: "Wat we samen hebben
afgesproken" (beacon 7: the goals must be clear, concrete and achievable for the citizen).

Read-only, for the resident themselves (the request page asks this for its owner only), and
only what is written for them: a goal's text, its target date and whether it was attained;
who does what, what they do themselves first, and whether it was done. Left out because it
is written for the worker or about the resident: the plan's summary, a goal's measure
("hoe ziet u dat het doel gehaald is?", which workers write about the resident) and term,
the partner organisation of an action and what the partner reported, and everything else in
the file (intake, life-domain scores, referrals, case notes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Boolean, cast, literal, null, select, union_all

from marketplace.accounts.models import User
from marketplace.casework.models import ACTORS, Goal, PlanAction, SupportPlan
from marketplace.extensions import db


@dataclass(frozen=True)
class OwnGoal:
    description: str
    target_on: date | None
    status: str  # GOAL_STATUSES


@dataclass(frozen=True)
class OwnAction:
    actor: str  # ACTORS
    description: str
    done: bool
    due_on: date | None = None  # by when


@dataclass(frozen=True)
class OwnPlan:
    goals: list[OwnGoal]
    own_actions: list[OwnAction]  # what the resident does themselves
    other_actions: list[OwnAction]  # the others, the own network first (ACTORS' order)


def own_plan(resident: User) -> OwnPlan | None:
    """The resident's goals and actions in one statement; None when the plan holds neither
    (or there is no plan)."""
    of_resident = SupportPlan.resident_id == resident.id
    goal_rows = (select(literal("goal").label("kind"), Goal.id.label("id"),
                        Goal.description.label("text"), Goal.target_on.label("target_on"),
                        Goal.status.label("code"), cast(null(), Boolean).label("done"))
                 .join(SupportPlan, SupportPlan.id == Goal.plan_id).where(of_resident))
    action_rows = (select(literal("action"), PlanAction.id, PlanAction.description,
                          PlanAction.due_on, PlanAction.actor, PlanAction.done)
                   .join(SupportPlan, SupportPlan.id == PlanAction.plan_id).where(of_resident))
    rows = sorted(db.session.execute(union_all(goal_rows, action_rows)).all(),
                  key=lambda row: row.id)  # in the order they were written
    if not rows:
        return None
    actions = [OwnAction(actor=row.code, description=row.text, done=bool(row.done),
                         due_on=row.target_on)  # the action's column in the goals' place
               for row in rows if row.kind == "action"]
    return OwnPlan(
        goals=[OwnGoal(description=row.text, target_on=row.target_on, status=row.code)
               for row in rows if row.kind == "goal"],
        own_actions=[a for a in actions if a.actor == "resident"],
        # sorted is stable: one actor's actions stay in the order they were written
        other_actions=sorted((a for a in actions if a.actor != "resident"),
                             key=lambda a: ACTORS.index(a.actor)))
