"""The end evaluation of an arrangement, as the worker fills it in on one page: goals
attained, the life domains now, who carries on, and how the request was solved.

``followup.services.evaluate`` records who carries on (and extends or ends the support);
this adds what belongs to the resident's file around it, in one transaction. What the
reports count: ``evaluation.goals_attained`` of ``goals_total`` (the goal statuses of the
plan stay on the goals), life-domain scores at moment "evaluation" beside those of the
intake (``life_domain_score``), and the request's ``solved_by``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.brokering.models import Arrangement
from marketplace.brokering.services import end_arrangement
from marketplace.casework.file import goals_for_evaluation, has_special_consent
from marketplace.casework.labels import SOLVED_BY_FOR_CONTINUATION
from marketplace.casework.models import LIFE_DOMAINS
from marketplace.casework.services import record_scores, set_goal_status
from marketplace.clock import now as clock_now
from marketplace.errors import N_, NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.followup.models import CONTINUATIONS, Evaluation
from marketplace.followup.services import evaluate
from marketplace.help_requests.access import is_area_worker
from marketplace.support.lifecycle import SOLVED_BY


@dataclass
class EvaluationInput:
    continuation: str
    goal_statuses: dict[int, str] = field(default_factory=dict)
    scores: dict[str, int] = field(default_factory=dict)
    solved_by: str | None = None  # None: read from who carries on
    extension_reason: str | None = None
    extend_weeks: int | None = None
    note: str | None = None
    # Counts as a partner system sends them (API); None: counted from goal_statuses.
    goals_attained: int | None = None
    goals_total: int | None = None


def arrangement_for_worker(worker: User, arrangement_id: int) -> Arrangement:
    arrangement = db.session.get(Arrangement, arrangement_id)
    if arrangement is None or not is_area_worker(worker, arrangement.request):
        raise NotFound(N_("Deze afspraak bestaat niet."))
    return arrangement


def evaluation_of(arrangement: Arrangement) -> Evaluation | None:
    return db.session.scalar(select(Evaluation).where(
        Evaluation.arrangement_id == arrangement.id))


def solved_by_for(data: EvaluationInput) -> str:
    return data.solved_by or SOLVED_BY_FOR_CONTINUATION.get(data.continuation, "volunteer")


def goal_counts(data: EvaluationInput) -> tuple[int | None, int | None]:
    """(attained, total): as sent, or counted from the goals evaluated on the page."""
    if data.goals_total is not None:
        return data.goals_attained, data.goals_total
    evaluated = [s for s in data.goal_statuses.values() if s != "open"]
    if not evaluated:
        return None, None
    return sum(1 for s in evaluated if s == "achieved"), len(evaluated)


def _check_counts_and_scores(data: EvaluationInput, errors: dict[str, list[str]]) -> None:
    attained, total = data.goals_attained, data.goals_total
    if (attained is None) != (total is None):
        errors["goals_total"] = [N_("Vul in hoeveel doelen er waren en hoeveel zijn gehaald.")]
    elif attained is not None and total is not None:
        if total < 0:
            errors["goals_total"] = [N_("Vul een getal in van 0 of meer.")]
        if attained < 0:
            errors["goals_attained"] = [N_("Vul een getal in van 0 of meer.")]
        elif total >= 0 and attained > total:
            errors["goals_attained"] = [N_("Er zijn niet meer doelen gehaald dan er waren.")]
    if set(data.scores) - set(LIFE_DOMAINS):
        errors["scores"] = [N_("Kies leefgebieden uit de lijst.")]
    elif any(not 1 <= score <= 5 for score in data.scores.values()):
        errors["scores"] = [N_("Geef elk leefgebied een cijfer van 1 tot 5.")]


def evaluate_arrangement(worker: User, arrangement: Arrangement, data: EvaluationInput,
                         now: datetime | None = None) -> Evaluation:
    now = now or clock_now()
    request = arrangement.request
    resident = request.owner
    errors: dict[str, list[str]] = {}
    if arrangement.status == "ended":
        errors["continuation"] = [N_("Deze afspraak is al afgesloten.")]
    if data.continuation not in CONTINUATIONS:
        errors["continuation"] = [N_("Kies wie de hulp voortzet.")]
    if data.solved_by is not None and data.solved_by not in SOLVED_BY:
        errors["solved_by"] = [N_("Kies hoe de vraag is opgelost.")]
    _check_counts_and_scores(data, errors)
    if data.scores and (resident is None or not has_special_consent(resident)):
        errors["scores"] = [N_("De inwoner gaf geen toestemming om dit vast te leggen.")]
    goals = {g.id: g for g in goals_for_evaluation(resident, arrangement)} if resident else {}
    if set(data.goal_statuses) - set(goals):
        errors["goals"] = [N_("Kies alleen doelen uit het plan van deze inwoner.")]
    if errors:
        raise ValidationFailed(errors)
    for goal_id, status in data.goal_statuses.items():
        set_goal_status(goals[goal_id], status, now=now)
    if data.scores and resident is not None:
        record_scores(worker, resident, "evaluation", data.scores,
                      arrangement_id=arrangement.id, now=now)
    if data.continuation != "extension":
        # End first with how it was solved; evaluate() then finds it ended and keeps that.
        end_arrangement(worker, arrangement, solved_by=solved_by_for(data), now=now)
    attained, total = goal_counts(data)
    return evaluate(worker, arrangement, continuation=data.continuation,
                    extension_reason=data.extension_reason, extend_weeks=data.extend_weeks,
                    note=data.note, goals_attained=attained, goals_total=total, now=now)
