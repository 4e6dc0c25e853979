"""The cases of the demo history (history.py): each request planned as dated steps, each
step one service call, as the resident, the volunteer or the worker made it (support by a
volunteer: history_support.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from marketplace.areas import settings as area_settings
from marketplace.areas.services import area_for_pc4
from marketplace.associations.collective import solve_collectively
from marketplace.casework import referrals
from marketplace.casework.services import save_intake
from marketplace.categories.models import Category
from marketplace.clock import today
from marketplace.demo.history_data import (
    ASKS,
    CLOSING_NOTES,
    DOMAINS,
    OUTCOMES,
    REFERRAL_PARTNERS,
    REFERRAL_REASONS,
)
from marketplace.demo.history_support import MIN_SUPPORT_DAYS, at_local, plan_support
from marketplace.extensions import db
from marketplace.help_requests.services import (
    RequestInput,
    close_without_arrangement,
    create_request,
    record_status,
    withdraw,
)
from marketplace.residents.services import network_of, save_member

if TYPE_CHECKING:
    from marketplace.demo.history import Story


@dataclass
class Case:
    n: int  # the resident
    category: str
    text: str
    outcome: str
    created: datetime
    by_worker: bool
    intake: bool
    request: Any = None
    arrangement: Any = None
    goals: list[Any] = field(default_factory=list)


def plan_cases(story: Story, count: int) -> None:
    rng = story.rng
    by_core: dict[str, list[int]] = {}
    for n, (_name, pc4, _house) in story.people.items():
        by_core.setdefault(pc4, []).append(n)
    weeks = dict(db.session.query(Category.code, Category.default_support_weeks).all())
    expiry = int(area_settings.effective(area_for_pc4("5531"), "request_expiry_days"))
    span = (story.close_by - timedelta(days=8) - story.start).total_seconds()
    times = sorted(story.start + timedelta(seconds=rng.uniform(86400, span))
                   for _ in range(count))
    # A shuffled deck of outcomes in their proportions: the mix is exact, not left to luck.
    total = sum(w for _, w in OUTCOMES)
    deck = [o for o, w in OUTCOMES for _ in range(round(count * w / total))]
    rng.shuffle(deck)
    for created in times:
        room = (story.support_by - created).days
        fits = [o for o in deck if not (
            (o == "volunteer" and room < MIN_SUPPORT_DAYS + 10)
            or (o == "expired" and created + timedelta(days=expiry + 1) > story.close_by))]
        outcome = fits[0] if fits else rng.choice(("own_network", "worker", "not_solved"))
        if outcome in deck:
            deck.remove(outcome)
        pc4 = rng.choices(list(by_core), weights=[len(v) for v in by_core.values()])[0]
        category, _weight, texts = rng.choices(ASKS, weights=[a[1] for a in ASKS])[0]
        if outcome == "activity":
            category, texts = "companionship", ("Ik wil graag meer onder de mensen komen.",)
        quiet = outcome in ("withdrawn", "expired")  # nobody needed to talk first
        by_worker = not quiet and rng.random() < (0.4 if outcome in ("worker", "referred")
                                                  else 0.15)
        intake = not quiet and (by_worker or outcome in ("worker", "referred") or rng.random()
                                < (0.45 if outcome in ("volunteer", "not_solved") else 0.25))
        case = Case(rng.choice(by_core[pc4]), category, rng.choice(texts), outcome, created,
                    by_worker, intake)
        _plan(story, case, weeks.get(category, 12), expiry)


def _plan(story: Story, case: Case, weeks: int, expiry: int) -> None:
    """The dated steps of one case, each after the one before."""
    when = case.created
    story.at(when, _create, story, case)

    def then(low: float, high: float, step, *args: Any) -> datetime:
        nonlocal when
        when = max(when + timedelta(hours=1), min(when + story.days(low, high),
                                                  story.close_by))
        story.at(when, step, story, case, *args)
        return when

    if case.intake:
        then(0.5, 4, _intake)
    outcome = case.outcome
    if outcome in ("own_network", "worker", "not_solved"):
        if outcome == "own_network":
            then(0.2, 2, _network)
        then(*{"own_network": (2, 12), "worker": (5, 30), "not_solved": (14, 45)}[outcome],
             _close, outcome)
    elif outcome == "activity":
        then(3, 15, _join_activity)
    elif outcome == "withdrawn":
        then(2, 20, _withdraw)
    elif outcome == "expired":
        expires = at_local(today(case.created) + timedelta(days=expiry), 3)
        story.at(expires, _expire, story, case)
    elif outcome == "referred":
        then(1, 8, _refer)
    else:
        plan_support(story, case, weeks, then)


def _create(when: datetime, story: Story, case: Case) -> None:
    resident = story.resident(case.n, when)
    _name, pc4, house = story.people[case.n]
    data = RequestInput(category=case.category, description=case.text, postcode=pc4,
                        house_number=house)
    if case.by_worker:  # the worker wrote it down after a phone call; an intake comes first
        case.request = create_request(story.worker, data, owner=resident, initial_status="new",
                                      now=when)
    else:
        case.request = create_request(resident, data, now=when)
    story.requests += 1


def _intake(when: datetime, story: Story, case: Case) -> None:
    resident = story.residents[case.n]
    if case.n in story.intake_scores or case.request.status not in ("new", "open"):
        return  # one intake per resident (the life domains are compared with it)
    rng = story.rng
    consent = rng.random() < 0.75
    scores = {d: rng.choice((1, 2, 2, 3, 3)) for d in rng.sample(DOMAINS, rng.randint(2, 3))}
    save_intake(story.worker, resident, question_as_asked=case.text,
                underlying_need="Meer grip op de eigen situatie.",
                own_strength="Wil graag zelf zoveel mogelijk blijven doen.",
                network_strength=rng.choice(("Een dochter in de buurt.", "Weinig familie.",
                                             "Goede buren.")),
                consent_special_data=consent,
                consent_purpose="Om samen te zien wat helpt." if consent else None,
                scores=scores if consent else {}, request=case.request, now=when)
    story.intake_scores[case.n] = scores if consent else {}
    if consent:
        story.consent.add(case.n)


def _network(when: datetime, story: Story, case: Case) -> None:
    resident = story.residents[case.n]
    if not network_of(resident.id):
        save_member(resident, name=story.rng.choice(("Dochter Ans", "Buurman Kees",
                                                     "Zoon Mark", "Vriendin Riet")),
                    relation=story.rng.choice(("family", "neighbour", "friend")),
                    can_help=[case.category])


def _close(when: datetime, story: Story, case: Case, solved_by: str) -> None:
    close_without_arrangement(story.worker, case.request, solved_by=solved_by,
                              note=CLOSING_NOTES[solved_by], now=when)


def _join_activity(when: datetime, story: Story, case: Case) -> None:
    solve_collectively(story.worker, case.request, story.activity_id, now=when)


def _withdraw(when: datetime, story: Story, case: Case) -> None:
    withdraw(story.residents[case.n], case.request, reason="Het is al geregeld met de buren.",
             now=when)


def _expire(when: datetime, story: Story, case: Case) -> None:
    if case.request.status == "open":
        record_status(case.request, "expired", actor=None, reason="verlopen", now=when)


def _refer(when: datetime, story: Story, case: Case) -> None:
    rng = story.rng
    partner = story.partners[rng.choices([p for p, _ in REFERRAL_PARTNERS],
                                         weights=[w for _, w in REFERRAL_PARTNERS])[0]]
    referral = referrals.refer(story.worker, story.residents[case.n], partner_id=partner.id,
                               reason=rng.choice(REFERRAL_REASONS), consent=True,
                               request=case.request, now=when)
    steps = ["declined"] if rng.random() < 0.1 else ["accepted", "in_care"]
    if len(steps) == 2 and rng.random() < 0.4:
        steps += ["completed", "stepped_down"] if rng.random() < 0.6 else ["completed"]
    moment = when
    for i, (status, (low, high)) in enumerate(zip(steps, ((3, 10), (5, 15), (40, 120),
                                                          (1, 10)), strict=False)):
        moment = moment + story.days(low, high)
        if moment > story.close_by:  # the partner answers in any case; the rest may wait
            if i >= 2:
                break
            moment = when + (story.now - when) * (0.4 + 0.3 * i)
        story.at(moment, _move, story, referral, status)


def _move(when: datetime, story: Story, referral: Any, status: str) -> None:
    note = "Weer thuis in de buurt, met een vrijwilliger erbij." if status == "stepped_down" \
        else None
    referrals.move(story.worker, referral, status, note=note, now=when)


