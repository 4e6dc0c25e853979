"""The one adapter between the database and the pure matching core.

``find_candidates`` loads a bounded, indexed set of volunteers (``index.search``) plus anyone
who helped this resident before, turns them into ``VolunteerCandidate`` values with the extra
facts that live in other features' tables (availability, languages, history, network) via
``CandidateSources`` loaders, and lets ``core.rank`` order and explain them.
``propose_assignments`` does the same for batch mode. ``candidates_payload`` renders a ranking
as the JSON of ``GET /api/v1/requests/{id}/candidates`` (CONTRACT.md §5).

Services add and flush; the caller (view, job, command) owns the transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, has_app_context

from marketplace.geo import bounding_box

from . import index
from .batch import Assignment, assign_greedy, assign_optimal, feasible_pairs
from .core import MatchRequest, NetworkMember, Ranking, VolunteerCandidate, rank
from .profiles import MAX_RADIUS_KM

IdsLoader = Callable[[Collection[int]], Mapping[int, Collection[str]]]


def _nothing_per_id(user_ids: Collection[int]) -> Mapping[int, Collection[str]]:
    return {}


def _no_pronouns(user_ids: Collection[int]) -> Mapping[int, str]:
    return {}


def _nobody(resident_id: int | None) -> Collection[int]:
    return ()


def _no_network(resident_id: int | None) -> Sequence[NetworkMember]:
    return ()


@dataclass(frozen=True)
class CandidateSources:
    """Where the facts outside the matching index come from; every loader is batched.

    The defaults know nothing (flexible availability, no languages, no history, no
    network); ``marketplace.matching.sources.marketplace_sources()`` reads the marketplace's
    tables.
    """

    availability: IdsLoader = _nothing_per_id  # user id -> day-part codes
    languages: IdsLoader = _nothing_per_id  # user id -> ISO 639 codes
    pronouns: Callable[[Collection[int]], Mapping[int, str]] = _no_pronouns  # "haar"/"zijn"
    previous_helpers: Callable[[int | None], Collection[int]] = _nobody  # resident -> users
    network: Callable[[int | None], Sequence[NetworkMember]] = _no_network


@dataclass(frozen=True)
class SearchOptions:
    limit: int = 20
    # How many nearest eligible volunteers rank() chooses from. Soft factors other than
    # distance can lift a volunteer only within this pool (plus previous helpers, always
    # looked up by id), which keeps every request's cost bounded.
    pool: int = 200
    weights: Mapping[str, float] | None = field(default=None)


def configured_weights() -> Mapping[str, float] | None:
    """``MATCHING_WEIGHTS`` from the app configuration (None: the defaults in code)."""
    return current_app.config.get("MATCHING_WEIGHTS") if has_app_context() else None


def find_candidates(
    request: MatchRequest,
    sources: CandidateSources | None = None,
    options: SearchOptions | None = None,
) -> Ranking:
    """Own network first, then the best volunteers for the request, explained."""
    sources = sources or CandidateSources()
    options = options or SearchOptions()
    hits = index.search(request.category, request.lat, request.lon, request.reach_km,
                        request.needs_vog, request.when, limit_rows=max(options.limit,
                                                                        options.pool))
    helpers = set(sources.previous_helpers(request.resident_id))
    missing = helpers - {hit.user_id for hit in hits}
    if missing:
        hits += index.lookup(request.category, missing, request.lat, request.lon,
                             request.reach_km, request.needs_vog, request.when)
    ids = [hit.user_id for hit in hits]
    availability = sources.availability(ids) if ids else {}
    languages = sources.languages(ids) if ids else {}
    pronouns = sources.pronouns(ids) if ids else {}
    helped = frozenset({request.resident_id}) if request.resident_id is not None else frozenset()
    volunteers = [
        VolunteerCandidate(
            user_id=hit.user_id, lat=hit.lat, lon=hit.lon, radius_km=hit.radius_km,
            skills=frozenset({request.category}),  # the index row is for this category
            has_vog=hit.has_vog, vog_valid_until=hit.vog_valid_until, paused=False,
            active_commitments=hit.active_commitments, max_commitments=hit.max_commitments,
            availability=frozenset(availability.get(hit.user_id, ())),
            languages=frozenset(languages.get(hit.user_id, ())),
            helped_residents=helped if hit.user_id in helpers else frozenset(),
            pronoun=pronouns.get(hit.user_id),
        )
        for hit in hits
    ]
    weights = options.weights if options.weights is not None else configured_weights()
    return rank(request, volunteers, sources.network(request.resident_id), weights,
                options.limit)


def candidates_payload(ranking: Ranking) -> dict[str, Any]:
    """The JSON body of ``GET /api/v1/requests/{id}/candidates`` (CONTRACT.md §5).

    Distances are rounded to 0.5 km. ``reason_codes`` (an extension of the contract) carries
    the same reasons as data, for clients that word them themselves.
    """
    return {
        "network": [
            {"name": m.name, "relation": m.relation, "can_help": sorted(m.can_help)}
            for m in ranking.network
        ],
        "candidates": [
            {
                "volunteer_id": c.user_id,
                "score": c.score,
                "distance_km": c.display_km,
                "reasons": c.reason_texts(),
                "reason_codes": [
                    {"code": r.code, "params": _jsonable(r.params)} for r in c.reasons
                ],
            }
            for c in ranking.candidates
        ],
    }


def _jsonable(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple | frozenset) else v for k, v in params.items()}


def batch_volunteers(requests: Sequence[MatchRequest]) -> list[VolunteerCandidate]:
    """Every indexed volunteer who could serve at least one of the requests' categories near
    them, as candidates (skills = their indexed categories among those asked for)."""
    if not requests:
        return []
    reach = min(MAX_RADIUS_KM, max(r.reach_km for r in requests))
    boxes = [bounding_box(r.lat, r.lon, reach) for r in requests]
    rows = index.entries_in_box(
        sorted({r.category for r in requests}),
        min(b[0] for b in boxes), max(b[1] for b in boxes),
        min(b[2] for b in boxes), max(b[3] for b in boxes),
    )
    skills: dict[int, set[str]] = defaultdict(set)
    first: dict[int, tuple] = {}
    for row in rows:
        skills[row[0]].add(row[1])
        first.setdefault(row[0], row)
    return [
        VolunteerCandidate(
            user_id=uid, lat=row[2], lon=row[3], radius_km=row[4], skills=frozenset(skills[uid]),
            paused=row[5], active_commitments=row[6], max_commitments=row[7], has_vog=row[8],
            vog_valid_until=row[9],
        )
        for uid, row in first.items()
    ]


def propose_assignments(
    requests: Sequence[MatchRequest], *, method: str = "optimal"
) -> Assignment:
    """Batch mode: a proposal for all these requests at once (the worker confirms each)."""
    volunteers = batch_volunteers(requests)
    pairs = feasible_pairs(requests, volunteers)
    if method == "optimal":
        return assign_optimal(requests, volunteers, pairs)
    if method == "greedy":
        return assign_greedy(requests, volunteers, pairs)
    raise ValueError(f"unknown batch method {method!r}; use 'optimal' or 'greedy'")
