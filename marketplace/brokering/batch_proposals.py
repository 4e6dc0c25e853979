"""Batch proposals for an area: one optimal volunteer per open, unassigned request.

``plan`` reads the open requests of an area (and the areas below it) that nobody holds and
that have no open proposal yet, lets ``matching.batch`` find the optimal assignment (most
requests helped, then least travel, within every volunteer's capacity, under the same hard
rules as a single proposal) and explains it: the reasons of each pair (the single-request
engine's wording), why a request stays without a candidate, the resident's own network that
could help (the 0th line: never "proposed", shown as a note), and one-by-one greedy choice
as the comparison.

``send`` turns the pairs the worker kept into proposals: each volunteer gets ONE mail for
all of theirs (the outbox, deduplicated). Nothing is sent without that call. Services add
and flush; the entry point (view, command) commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import exists, select

from marketplace.accounts.models import User
from marketplace.areas.models import Area
from marketplace.areas.services import subtree_ids
from marketplace.brokering.models import Match
from marketplace.brokering.worklist import take_on
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.geo import round_half_km
from marketplace.help_requests.models import HelpRequest
from marketplace.matching.batch import Assignment, assign_greedy, assign_optimal, feasible_pairs
from marketplace.matching.core import MatchRequest, VolunteerCandidate, rank
from marketplace.matching.geometry import great_circle_km
from marketplace.matching.reasons import Reason, explain
from marketplace.matching.rules import exclusions
from marketplace.matching.service import batch_volunteers
from marketplace.matching.sources import marketplace_sources, match_request_for

# Why a request stays without a candidate, most telling first.
NO_SKILL_NEARBY = "no_skill_nearby"  # nobody with this skill within both radii
NO_VOG = "no_vog"  # someone near with the skill, but without the VOG this help needs
NO_CAPACITY = "no_capacity"  # near, skilled, VOG fine: but paused, full, or taken in this batch
WHY = (NO_SKILL_NEARBY, NO_VOG, NO_CAPACITY)


@dataclass
class Pair:
    request: HelpRequest
    volunteer: User
    distance_km: float  # exact; show ``display_km``
    reasons: list[str]
    network: list[str] = field(default_factory=list)  # own network who can help (a note)

    @property
    def display_km(self) -> float:
        return round_half_km(self.distance_km)

    @property
    def key(self) -> str:
        return f"{self.request.id}-{self.volunteer.id}"


@dataclass
class Unmatched:
    request: HelpRequest
    why: str
    network: list[str] = field(default_factory=list)


@dataclass
class BatchPlan:
    area: Area
    requests: list[HelpRequest]
    pairs: list[Pair]
    unmatched: list[Unmatched]
    total_km: float
    greedy_total_km: float
    greedy_proposed: int

    @property
    def why_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(WHY, 0)
        for item in self.unmatched:
            counts[item.why] += 1
        return counts

    def summary(self) -> dict:
        """The JSON of ``flask matching propose`` (CONTRACT.md §4), plus the reasons."""
        return {
            "area": self.area.code,
            "requests": len(self.requests),
            "proposed": len(self.pairs),
            "without_candidate": len(self.unmatched),
            "total_km": round(float(self.total_km), 1),
            "greedy_total_km": round(float(self.greedy_total_km), 1),
            "greedy_proposed": self.greedy_proposed,
            "without_candidate_why": self.why_counts,
            "network_can_help": sum(1 for p in self.pairs if p.network)
            + sum(1 for u in self.unmatched if u.network),
        }


def open_requests(area: Area) -> list[HelpRequest]:
    """Open requests of the area and below that nobody holds and that have no open
    proposal or offer (so a second run proposes nothing for them)."""
    has_open = exists().where(Match.request_id == HelpRequest.id, Match.status == "proposed")
    return list(db.session.scalars(
        select(HelpRequest).where(HelpRequest.area_id.in_(subtree_ids([area])),
                                  HelpRequest.status == "open",
                                  HelpRequest.assigned_worker_id.is_(None), ~has_open)
        .order_by(HelpRequest.id)))


def _network_notes(resident_ids: Collection[int]) -> dict[int, list[tuple[str, str, set]]]:
    from marketplace.residents.models import NetworkMember as Row

    found: dict[int, list[tuple[str, str, set]]] = defaultdict(list)
    if not resident_ids:
        return found
    for row in db.session.scalars(select(Row).where(Row.resident_id.in_(sorted(resident_ids)))
                                  .order_by(Row.id)):
        found[row.resident_id].append((row.name, row.relation, set(row.can_help or ())))
    return found


def _why(request: MatchRequest, volunteers: Iterable[VolunteerCandidate]) -> str:
    """The most telling reason nobody was proposed (see WHY)."""
    near = False
    for volunteer in volunteers:
        km = great_circle_km(request.lat, request.lon, volunteer.lat, volunteer.lon)
        codes = {r.code for r in exclusions(request, volunteer, km)}
        if codes & {"skill_absent", "outside_reach", "outside_radius"}:
            continue
        near = True
        if "vog_missing" not in codes:
            return NO_CAPACITY
    return NO_VOG if near else NO_SKILL_NEARBY


def plan(area: Area, now: datetime | None = None) -> BatchPlan:
    """The optimal batch for the area's open, unassigned requests (writes nothing)."""
    now = now or clock_now()
    day = today(now)
    rows = open_requests(area)
    from marketplace.categories.models import Category

    # One read of the categories, held here so the conversion below finds them in the
    # session's (weak) identity map instead of one SELECT per request.
    kept = list(db.session.scalars(select(Category).where(  # noqa: F841
        Category.code.in_(sorted({r.category for r in rows})))))
    requests = [match_request_for(r, today=day) for r in rows]
    volunteers = batch_volunteers(requests)
    active = set(db.session.scalars(select(User.id).where(
        User.id.in_(sorted({v.user_id for v in volunteers})), User.is_active.is_(True),
        User.erased_at.is_(None)))) if volunteers else set()
    volunteers = [v for v in volunteers if v.user_id in active]  # a blocked account: nobody
    pairs = feasible_pairs(requests, volunteers)
    optimal: Assignment = assign_optimal(requests, volunteers, pairs)
    greedy: Assignment = assign_greedy(requests, volunteers, pairs)
    by_id = {r.id: r for r in rows}
    wanted = {m.request_id: m for m in optimal.matches}
    as_match = {r.id: r for r in requests}
    candidates = {v.user_id: v for v in volunteers}
    users = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_(sorted({m.user_id for m in optimal.matches}))))}
    sources = marketplace_sources()
    ids = sorted(users)
    availability = sources.availability(ids) if ids else {}
    languages = sources.languages(ids) if ids else {}
    network = _network_notes({r.owner_id for r in rows if r.owner_id})

    def notes(row: HelpRequest) -> list[str]:
        return [explain(Reason.of("network_can_help", relation=relation)) + f" ({name})"
                for name, relation, can in network.get(row.owner_id or 0, ())
                if row.category in can]

    chosen: list[Pair] = []
    for request_id, found in sorted(wanted.items()):
        volunteer = replace(candidates[found.user_id],
                            availability=frozenset(availability.get(found.user_id, ())),
                            languages=frozenset(languages.get(found.user_id, ())))
        ranking = rank(as_match[request_id], [volunteer], limit=1)
        reasons = ranking.candidates[0].reason_texts() if ranking.candidates else []
        chosen.append(Pair(by_id[request_id], users[found.user_id], found.distance_km,
                           reasons, notes(by_id[request_id])))
    unmatched = [Unmatched(by_id[i], _why(as_match[i], volunteers), notes(by_id[i]))
                 for i in optimal.unmatched]
    return BatchPlan(area, rows, chosen, unmatched, optimal.total_km, greedy.total_km,
                     greedy.matched)


def send(plan_: BatchPlan, keys: Collection[str], *, worker: User | None = None,
         now: datetime | None = None) -> list[Match]:
    """Propose the kept pairs (``Pair.key`` values); one mail per volunteer.

    A worker who sends takes the requests on (assigned to them, in the timeline), as a
    worker who proposes one match does. Keys not in the plan are ignored.
    """
    now = now or clock_now()
    kept = [p for p in plan_.pairs if p.key in set(keys)]
    created: list[Match] = []
    per_volunteer: dict[int, list[Match]] = defaultdict(list)
    for pair in kept:
        match = Match(request_id=pair.request.id, volunteer_id=pair.volunteer.id,
                      status="proposed", origin="worker", awaiting="volunteer",
                      proposed_by_id=worker.id if worker else None, created_at=now)
        db.session.add(match)
        created.append(match)
        per_volunteer[pair.volunteer.id].append(match)
        if worker is not None:
            take_on(worker, pair.request, what="voorstel verstuurd", now=now)
    db.session.flush()
    from marketplace.brokering.batch_notify import proposals_sent

    for matches in per_volunteer.values():
        proposals_sent(matches, now=now)
    return created
