"""Demo history: fifteen months of informal help in Bladel before today, so that the
municipality's results page has figures to show (docs/indicators.md: the region's empty
areas are left out of the table, and a sparse year is published with less detail).

About 230 requests of some 65 residents (most in Hapert and Bladel), helped by twelve
volunteers who join over time, with the demo worker (Sanne de Vries) doing intakes,
proposals, evaluations, referrals and signals. Everything is played through the services
with `now=` in the past, in the order it happened, together with the sweeps that would have
run meanwhile (check-ins, "who carries on?", reciprocity invitations and reminders), so every
figure is made the way the real ones are. Deterministic (a fixed random seed) and played
once: any account of the history (e-mail historie.…) is the marker.

Nothing of it is left open: every request ended, every arrangement was evaluated or ended,
every signal handled, every referral moved past "sent". Support ends at least
SUPPORT_DONE_DAYS before today and the sweeps are played until TICKS_STOP_DAYS before
today, so the demo's own present (its check-ins and invitations) is left to the real
scheduler. The mail the history wrote went out back then: it is marked sent.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from datetime import datetime, timedelta
from random import Random
from typing import Any

from sqlalchemy import func, select, update

from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.associations.services import create_activity
from marketplace.associations.validation import ActivityInput
from marketplace.casework import referrals
from marketplace.casework.services import set_resident_pc4
from marketplace.clock import DOMAIN_TZ, today
from marketplace.clock import now as clock_now
from marketplace.demo.data import DEMO_DOMAIN
from marketplace.demo.history_data import (
    ACTIVITY_TITLE,
    ALREADY_VOLUNTEERING,
    CORES,
    FIRST_NAMES,
    LAST_NAMES,
    RECIPROCITY_ANSWERS,
    REFERRAL_PARTNERS,
    RESIDENT_EMAIL,
    SIGNAL_CONCERNS,
    SIGNAL_OUTCOMES,
    VOLUNTEER_EMAIL,
    VOLUNTEERS,
)
from marketplace.extensions import db
from marketplace.followup.models import CheckIn
from marketplace.followup.services import record_answer
from marketplace.followup.sweeps import announce_endings, send_checkins
from marketplace.notifications.models import OutboxMessage
from marketplace.reciprocity import offers
from marketplace.reciprocity import services as reciprocity
from marketplace.reciprocity.models import FOLLOW_UPS, ReciprocityInvitation
from marketplace.signals import services as signals
from marketplace.volunteers.services import ProfileInput, save_profile

SEED = 1728
WINDOW_DAYS = 456  # about fifteen months
CASES = 230
RESIDENTS = 66
SIGNALS = 30
TICK_DAYS = 3
SUPPORT_DONE_DAYS = 50  # all support by volunteers ended this long before now
TICKS_STOP_DAYS = 8  # the sweeps are played until this long before now
CLOSE_BY_DAYS = 2  # every step of the history happens before this


def email(pattern: str, n: int) -> str:
    return f"{pattern.format(n=n)}@{DEMO_DOMAIN}"


def weighted(rng: Random, choices: tuple[tuple[Any, int | float], ...]) -> Any:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def seed_history(now: datetime | None = None) -> int:
    """Play the history once; returns the number of requests it made (0 on a re-run, or
    when the demo's worker and partner organisations are not there)."""
    now = now or clock_now()
    if db.session.scalar(select(User.id).where(User.email.like(f"historie.%@{DEMO_DOMAIN}"))
                         .limit(1)) is not None:
        return 0
    worker = accounts.find_by_email(f"welzijnswerker@{DEMO_DOMAIN}")
    partners = {p.name: p for p in referrals.partners()}
    if worker is None or any(name not in partners for name, _ in REFERRAL_PARTNERS):
        return 0
    first_mail = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
    story = Story(worker, partners, now)
    made = story.play()
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id > first_mail).values(
        status="sent", sent_at=OutboxMessage.created_at, attempts=1))
    db.session.flush()
    return made


class Story:
    """The history as a queue of dated steps, played in order."""

    def __init__(self, worker: User, partners: dict[str, Any], now: datetime) -> None:
        self.rng = Random(SEED)
        self.worker, self.partners, self.now = worker, partners, now
        self.start = now - timedelta(days=WINDOW_DAYS)
        self.close_by = now - timedelta(days=CLOSE_BY_DAYS)
        self.support_by = now - timedelta(days=SUPPORT_DONE_DAYS)
        self.queue: list[tuple[datetime, int, Callable[..., None], tuple]] = []
        self.seq = 0
        self.people: dict[int, tuple[str, str, str]] = {}  # n -> name, PC4, house number
        self.residents: dict[int, User] = {}
        self.volunteers: list[tuple[User, tuple]] = []
        self.consent: set[int] = set()  # residents whose intake recorded consent
        self.intake_scores: dict[int, dict[str, int]] = {}
        self.activity_id: int | None = None
        self.requests = 0
        self.supported = 0  # cases with support by a volunteer, in the order planned
        self.seen_reminders: set[int] = set()

    def at(self, when: datetime, step: Callable[..., None], *args: Any) -> None:
        heapq.heappush(self.queue, (when, self.seq, step, args))
        self.seq += 1

    def days(self, low: float, high: float) -> timedelta:
        return timedelta(days=self.rng.uniform(low, high))

    def play(self) -> int:
        from marketplace.demo.history_cases import plan_cases

        self._plan_people()
        self.at(self.start, self._start_activity)
        plan_cases(self, CASES)
        self._plan_signals()
        tick = self.start + timedelta(days=1)
        while tick <= self.now - timedelta(days=TICKS_STOP_DAYS):
            self.at(tick, self._tick)
            tick += timedelta(days=TICK_DAYS)
        while self.queue:
            when, _seq, step, args = heapq.heappop(self.queue)
            step(when, *args)
        db.session.flush()
        return self.requests

    # People ------------------------------------------------------------------------------

    def _names(self, count: int) -> list[str]:
        pairs = [f"{f} {s}" for f in FIRST_NAMES for s in LAST_NAMES]
        return self.rng.sample(pairs, count)

    def _plan_people(self) -> None:
        names = self._names(RESIDENTS + len(VOLUNTEERS))
        for n in range(1, RESIDENTS + 1):
            pc4 = weighted(self.rng, CORES)
            self.people[n] = (names[n - 1], pc4, str(self.rng.randint(1, 80)))
        joining = len(VOLUNTEERS) - ALREADY_VOLUNTEERING
        for i, spec in enumerate(VOLUNTEERS):
            if i < ALREADY_VOLUNTEERING:
                joined = self.start - self.days(40, 400)
            else:  # spread over the first two thirds of the history
                share = (i - ALREADY_VOLUNTEERING + self.rng.random()) / joining
                joined = self.start + timedelta(days=share * WINDOW_DAYS * 0.66)
            self.at(joined, self._join, i + 1, names[RESIDENTS + i], spec)

    def _join(self, when: datetime, n: int, name: str, spec: tuple) -> None:
        pc4, skills, radius, vog, slots = spec
        user = accounts.create_user(email(VOLUNTEER_EMAIL, n), name, roles=("volunteer",),
                                    confirmed=True, now=when)
        profile = save_profile(user, ProfileInput(
            skills=list(skills), postcode=pc4, radius_km=radius, availability=list(slots),
            has_vog=vog, vog_valid_until=(when + timedelta(days=3 * 365)).date() if vog
            else None, max_commitments=3), now=when)
        # The profile keeps the day the volunteer joined (the new-volunteer figure).
        profile.created_at = profile.updated_at = when
        self.volunteers.append((user, spec))

    def resident(self, n: int, when: datetime) -> User:
        if n not in self.residents:
            name, pc4, _house = self.people[n]
            user = accounts.create_user(email(RESIDENT_EMAIL, n), name, roles=("resident",),
                                        confirmed=True, now=when - timedelta(hours=2))
            set_resident_pc4(user, pc4)
            self.residents[n] = user
        return self.residents[n]

    def _start_activity(self, when: datetime) -> None:
        """A weekly walk the welfare organisation started in Hapert: some requests for
        company are solved by joining it."""
        local = (when + timedelta(days=3)).astimezone(DOMAIN_TZ)
        starts = local.replace(hour=10, minute=0, second=0, microsecond=0)
        activity = create_activity(self.worker, ActivityInput(
            title=ACTIVITY_TITLE, category="companionship", postcode="5527",
            venue="Dorpshuis De Pan, Hapert", starts_at=starts,
            ends_at=starts + timedelta(hours=1, minutes=30), recurrence="weekly",
            accessible=True, audience="Iedereen die graag samen een rondje loopt",
            description="Elke week een rustige wandeling door Hapert, met koffie na "
                        "afloop."), now=when)
        self.activity_id = activity.id

    # Signals -----------------------------------------------------------------------------

    def _plan_signals(self) -> None:
        span = WINDOW_DAYS - 14
        for j in range(SIGNALS):
            when = self.start + timedelta(days=span * (j + self.rng.random()) / SIGNALS)
            self.at(when, self._signal, weighted(self.rng, CORES), j)

    def _signal(self, when: datetime, pc4: str, j: int) -> None:
        known = [u for u, _spec in self.volunteers] + list(self.residents.values())
        reporter = self.rng.choice(known) if known and self.rng.random() < 0.7 else None
        signal = signals.report(
            reporter, postcode=pc4, concern=SIGNAL_CONCERNS[j % len(SIGNAL_CONCERNS)],
            about=f"Huisnummer {self.rng.randint(1, 60)}",
            contact=None if reporter else "Bel de buurvrouw van nummer 4", now=when)
        self.at(when + self.days(0.1, 1.5), self._take_signal, signal)

    def _take_signal(self, when: datetime, signal: Any) -> None:
        signals.assign(self.worker, signal, self.worker, now=when)
        respond_by = datetime.combine(signal.respond_by, datetime.min.time(), DOMAIN_TZ)
        if self.rng.random() < 0.88:  # most on time, some a few days late
            done = when + (respond_by + timedelta(hours=16) - when) * self.rng.uniform(0.2, 1)
        else:
            done = respond_by + self.days(1.5, 5)
        done = max(when + timedelta(hours=1), min(done, self.close_by))
        self.at(done, self._handle_signal, signal)

    def _handle_signal(self, when: datetime, signal: Any) -> None:
        outcome = weighted(self.rng, SIGNAL_OUTCOMES)
        if outcome == "not_reached":  # "not reached" only after a try that did not reach
            signals.log_attempt(self.worker, signal, on=today(when), method="visit",
                                reached=False, note="Niemand thuis.", now=when)
        signals.record_outcome(self.worker, signal, outcome, now=when,
                               note="Niet bereikt; de buren houden een oogje in het zeil."
                               if outcome == "not_reached" else "Langs geweest en gesproken.")

    # The sweeps, as the scheduler would have run them --------------------------------------

    def _tick(self, when: datetime) -> None:
        due = list(db.session.scalars(select(CheckIn.id).where(
            CheckIn.sent_at.is_(None), CheckIn.closed_at.is_(None))))
        send_checkins(when)
        if due:
            for checkin in db.session.scalars(select(CheckIn).where(
                    CheckIn.id.in_(due), CheckIn.sent_at.is_not(None))):
                self._plan_checkin_answers(when, checkin.id)
        announce_endings(when)
        last = db.session.scalar(select(func.max(ReciprocityInvitation.id))) or 0
        reciprocity.send_invitations(when)
        for invitation_id in db.session.scalars(select(ReciprocityInvitation.id).where(
                ReciprocityInvitation.id > last).order_by(ReciprocityInvitation.id)):
            if self.rng.random() < 0.45:
                self._plan_invitation_answer(when + self.days(1, 10), invitation_id)
        reciprocity.send_reminders(when)
        for invitation_id in db.session.scalars(select(ReciprocityInvitation.id).where(
                ReciprocityInvitation.reminded_at.is_not(None),
                ReciprocityInvitation.answered_at.is_(None)).order_by(
                ReciprocityInvitation.id)):
            if invitation_id not in self.seen_reminders:
                self.seen_reminders.add(invitation_id)
                if self.rng.random() < 0.25:
                    self._plan_invitation_answer(when + self.days(1, 7), invitation_id)

    def _plan_checkin_answers(self, when: datetime, checkin_id: int) -> None:
        for role in ("resident", "volunteer"):
            if self.rng.random() < 0.85:
                answer = "needs_attention" if self.rng.random() < 0.07 else "going_well"
                self.at(when + self.days(0.1, 3), self._answer_checkin, checkin_id, role,
                        answer)

    def _answer_checkin(self, when: datetime, checkin_id: int, role: str, answer: str) -> None:
        checkin = db.session.get(CheckIn, checkin_id)
        if checkin is not None and checkin.closed_at is None \
                and checkin.arrangement.status != "ended":
            record_answer(checkin, role, answer, now=when)

    def _plan_invitation_answer(self, when: datetime, invitation_id: int) -> None:
        if when < self.close_by:
            self.at(when, self._answer_invitation, invitation_id,
                    weighted(self.rng, RECIPROCITY_ANSWERS))

    def _answer_invitation(self, when: datetime, invitation_id: int, choice: str) -> None:
        invitation = db.session.get(ReciprocityInvitation, invitation_id)
        if invitation is not None and invitation.answered_at is None:
            reciprocity.answer(invitation, choice, "Ik help graag een buur." if
                               choice != "not_now" else None, now=when)
            if choice != "not_now":  # a worker follows the offer up (no draw: same story)
                done = when + timedelta(days=3 + invitation_id % 10)
                self.at(max(when + timedelta(hours=1), min(done, self.close_by)),
                        self._follow_up_offer, invitation_id)

    def _follow_up_offer(self, when: datetime, invitation_id: int) -> None:
        offers.follow_up(self.worker, invitation_id,
                         FOLLOW_UPS[invitation_id % len(FOLLOW_UPS)], now=when)
