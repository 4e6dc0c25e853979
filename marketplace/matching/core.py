"""Rank candidates for a help request and explain every score. Pure: no Flask, no SQLAlchemy.

``rank`` is the whole engine for one request: the resident's own network first (the 0th
line), then volunteers who pass every hard rule (``rules``), best first by the weighted soft
factors (``scorers``), each with reasons as ``(code, params)`` pairs that ``reasons.explain``
turns into plain Dutch. Ties are broken by distance, then user id, so the same input always
gives the same order. ``nearby_requests`` is the same engine the other way round: the open
requests a volunteer may take.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from marketplace.geo import round_half_km

from .geometry import distance_from, great_circle_km
from .profiles import (
    DAY_PARTS,
    MAX_RADIUS_KM,
    MatchRequest,
    NetworkMember,
    VolunteerCandidate,
)
from .reasons import Reason, explain
from .rules import exclusions, is_eligible
from .scorers import DEFAULT_WEIGHTS, SCORERS, resolve_weights

__all__ = [
    "DAY_PARTS",
    "DEFAULT_WEIGHTS",
    "MAX_RADIUS_KM",
    "SCORERS",
    "Excluded",
    "MatchRequest",
    "NetworkMember",
    "RankedCandidate",
    "Ranking",
    "Reason",
    "VolunteerCandidate",
    "explain",
    "exclusions",
    "nearby_requests",
    "rank",
]

# The order reasons are shown in: where, checks, load, history, time, language.
_REASON_ORDER = ("distance", "vog", "load", "continuity", "availability", "language")


@dataclass(frozen=True, slots=True)
class RankedCandidate:
    """A volunteer who passes the hard rules, with a 0-100 score and the reasons for it."""

    user_id: int
    score: float  # rounded to one decimal for display; the order uses the exact value
    distance_km: float  # exact; show ``display_km`` to anyone else
    reasons: tuple[Reason, ...]
    factors: Mapping[str, float]  # each factor's value in [0, 1]

    @property
    def display_km(self) -> float:
        return round_half_km(self.distance_km)

    def reason_texts(self) -> list[str]:
        return [explain(reason) for reason in self.reasons]


@dataclass(frozen=True, slots=True)
class Excluded:
    """A volunteer who was offered but breaks a hard rule, and which ones."""

    user_id: int
    distance_km: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Ranking:
    network: tuple[NetworkMember, ...]  # own network who can help, in the order given
    candidates: tuple[RankedCandidate, ...]  # best first, at most ``limit``
    excluded: tuple[Excluded, ...]  # by user id


def rank(
    request: MatchRequest,
    volunteers: Iterable[VolunteerCandidate],
    network: Iterable[NetworkMember] = (),
    weights: Mapping[str, float] | None = None,
    limit: int | None = 20,
) -> Ranking:
    """Own network first, then the best ``limit`` volunteers (None: all), each explained."""
    resolved = resolve_weights(weights)
    total_weight = sum(resolved.values())
    distance = distance_from(request.lat, request.lon)
    scored: list[tuple[float, float, int, RankedCandidate]] = []
    excluded: list[Excluded] = []
    seen: set[int] = set()
    for volunteer in volunteers:
        if volunteer.user_id in seen:
            raise ValueError(f"volunteer {volunteer.user_id} offered twice")
        seen.add(volunteer.user_id)
        km = distance(volunteer.lat, volunteer.lon)
        broken = exclusions(request, volunteer, km)
        if broken:
            excluded.append(Excluded(volunteer.user_id, km, broken))
            continue
        exact, candidate = _score(request, volunteer, km, resolved, total_weight)
        scored.append((-exact, km, volunteer.user_id, candidate))
    scored.sort(key=lambda row: row[:3])
    chosen = scored if limit is None else scored[: max(0, limit)]
    helpers = tuple(m for m in network if m.can_help_with(request.category))
    return Ranking(
        network=helpers,
        candidates=tuple(row[3] for row in chosen),
        excluded=tuple(sorted(excluded, key=lambda e: e.user_id)),
    )


def _score(
    request: MatchRequest,
    volunteer: VolunteerCandidate,
    km: float,
    weights: Mapping[str, float],
    total_weight: float,
) -> tuple[float, RankedCandidate]:
    """The exact score (for ordering) and the candidate with its display score."""
    factors: dict[str, float] = {}
    by_factor: dict[str, tuple[Reason, ...]] = {}
    weighted = 0.0
    for name, scorer in SCORERS.items():
        value, reasons = scorer(request, volunteer, km)
        factors[name] = value
        by_factor[name] = reasons
        weighted += weights.get(name, 0.0) * value
    if volunteer.vog_valid_on(request.when):
        by_factor["vog"] = (Reason.of("has_vog"),)
    ordered = [name for name in _REASON_ORDER if name in by_factor]
    ordered += [name for name in by_factor if name not in _REASON_ORDER]
    reasons = tuple(r for name in ordered for r in by_factor[name])
    exact = 100.0 * weighted / total_weight
    return exact, RankedCandidate(volunteer.user_id, round(exact, 1), km, reasons, factors)


def nearby_requests(
    volunteer: VolunteerCandidate, requests: Sequence[MatchRequest], limit: int | None = None
) -> list[tuple[MatchRequest, float]]:
    """The requests this volunteer may take under the hard rules, nearest first (then id).

    The other direction of the same engine, for the volunteer's "nearby" list: the caller
    narrows the requests by a bounding box of the volunteer's radius first.
    """
    found = []
    for request in requests:
        # Measured from the request, as ``rank`` does, so both directions agree to the bit.
        km = great_circle_km(request.lat, request.lon, volunteer.lat, volunteer.lon)
        if is_eligible(request, volunteer, km):
            found.append((km, request.id, request))
    found.sort(key=lambda row: row[:2])
    chosen = found if limit is None else found[:limit]
    return [(request, km) for km, _, request in chosen]
