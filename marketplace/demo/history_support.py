"""Support by a volunteer in the demo history (history_cases.py): the worker proposes a
volunteer (now and then one says no first), the volunteer accepts, the plan gets a goal or
two, the check-ins run (history.py plays their sweep), and the worker evaluates: mostly on
time, every sixth a little late, every eighth extended once, with who carries on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from marketplace.brokering import services as brokering
from marketplace.casework.evaluation import EvaluationInput, evaluate_arrangement
from marketplace.casework.services import add_goal
from marketplace.clock import DOMAIN_TZ, today
from marketplace.demo.history_data import CLOSING_NOTES, CONTINUATIONS, GOALS, SCORE_CHANGES
from marketplace.help_requests.services import close_without_arrangement, record_status
from marketplace.reciprocity.services import record_contribution
from marketplace.volunteers.services import active_commitments

if TYPE_CHECKING:
    from marketplace.demo.history import Story
    from marketplace.demo.history_cases import Case

# Support by a volunteer needs at least this long before it must have ended.
MIN_SUPPORT_DAYS = 21
# Categories for which the volunteer has a VOG (a certificate of conduct).
VOG_CATEGORIES = ("companionship", "paperwork", "carer_respite")


def at_local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), DOMAIN_TZ)


def plan_support(story: Story, case: Case, weeks: int,
                 then: Callable[..., datetime]) -> None:
    rng = story.rng
    if rng.random() < 0.1:
        then(1, 5, _propose, True)  # the first volunteer says no
    then(1, 5, _propose, False)
    accepted = then(0.5, 3, _accept)
    started = today(accepted)
    then(2, 7, _in_progress)
    planned_end = started + timedelta(weeks=weeks)
    limit = story.support_by
    story.supported += 1  # every eighth is extended once, every sixth evaluated late
    ext_weeks = rng.randint(4, 8)
    extend = story.supported % 8 == 5
    extend = extend and at_local(planned_end + timedelta(weeks=ext_weeks), 17) < limit
    if extend:
        first = at_local(planned_end - timedelta(days=rng.randint(0, 6)), 11)
        story.at(max(first, accepted + timedelta(days=3)), _evaluate, story, case,
                 "extension", ext_weeks)
        planned_end += timedelta(weeks=ext_weeks)
    late = not extend and story.supported % 6 == 2
    final = at_local(planned_end + timedelta(days=rng.randint(3, 20)) if late else
                     planned_end - timedelta(days=rng.randint(0, 10)), 14)
    if final > limit:  # ended early: the help was no longer needed
        final = accepted + (limit - accepted) * rng.uniform(0.6, 1)
    final = max(final, accepted + timedelta(days=MIN_SUPPORT_DAYS - 7))
    continuation = rng.choices([c for c, _ in CONTINUATIONS],
                               weights=[w for _, w in CONTINUATIONS])[0]
    story.at(final, _evaluate, story, case, continuation, None)
    if rng.random() < 0.1 and final + timedelta(days=40) < story.close_by:
        story.at(final + story.days(20, 40), _contribute, story, case)


# Steps ---------------------------------------------------------------------------------


def _volunteer_for(story: Story, case: Case, exclude: set[int]) -> Any:
    vog = case.category in VOG_CATEGORIES
    best, best_key = None, None
    for user, (_pc4, skills, _radius, has_vog, _slots) in story.volunteers:
        busy = active_commitments(user.id)
        if user.id in exclude or busy >= 3 or (vog and not has_vog):
            continue
        key = (case.category in skills, -busy, story.rng.random())
        if best_key is None or key > best_key:
            best, best_key = user, key
    return best


def _propose(when: datetime, story: Story, case: Case, declines: bool) -> None:
    request = case.request
    if request.status not in ("new", "clarifying", "open"):
        return
    tried = {m.volunteer_id for m in brokering.matches_for_request(request)}
    volunteer = _volunteer_for(story, case, tried)
    if volunteer is None:  # nobody free: the network steps in after all
        close_without_arrangement(story.worker, request, solved_by="own_network",
                                  note=CLOSING_NOTES["own_network"], now=when)
        return
    match = brokering.propose_match(story.worker, request, volunteer, now=when)
    if declines:
        brokering.decline(volunteer, match, reason="Ik heb het die weken te druk.",
                          now=when + timedelta(hours=20))


def _accept(when: datetime, story: Story, case: Case) -> None:
    request = case.request
    proposed = [m for m in brokering.matches_for_request(request) if m.status == "proposed"]
    if not proposed:
        return
    match = proposed[-1]
    case.arrangement = brokering.accept(match.volunteer, match, now=when)
    if case.n in story.consent:
        for text in story.rng.sample(GOALS, story.rng.randint(1, 2)):
            case.goals.append(add_goal(
                story.residents[case.n], description=text, measure=None, term="short",
                target_on=case.arrangement.planned_end_on,
                arrangement_id=case.arrangement.id))


def _in_progress(when: datetime, story: Story, case: Case) -> None:
    if case.request.status == "matched" and case.arrangement is not None:
        record_status(case.request, "in_progress", actor=case.arrangement.match.volunteer,
                      reason="eerste bezoek geweest", now=when)


def _evaluate(when: datetime, story: Story, case: Case, continuation: str,
              extend_weeks: int | None) -> None:
    arrangement = case.arrangement
    if arrangement is None or arrangement.status == "ended":
        return
    rng = story.rng
    if continuation == "extension":
        data = EvaluationInput(continuation="extension", extend_weeks=extend_weeks,
                               extension_reason="Het gaat beter, maar nog niet zonder hulp.")
    else:
        statuses = {g.id: rng.choices(("achieved", "partly", "not_achieved"),
                                      weights=(55, 25, 20))[0] for g in case.goals}
        scores = {}
        if case.n in story.consent:
            changes = [c for c, _ in SCORE_CHANGES]
            weights = [w for _, w in SCORE_CHANGES]
            scores = {d: max(1, min(5, s + rng.choices(changes, weights=weights)[0]))
                      for d, s in story.intake_scores.get(case.n, {}).items()}
        data = EvaluationInput(continuation=continuation, goal_statuses=statuses,
                               scores=scores, note="Afgerond in goed overleg.")
    evaluate_arrangement(story.worker, arrangement, data, now=when)


def _contribute(when: datetime, story: Story, case: Case) -> None:
    record_contribution(story.residents[case.n].id, "help_activity",
                        "Schenkt koffie bij de wandelgroep.", recorded_by_id=story.worker.id,
                        request_id=case.request.id, now=when)
