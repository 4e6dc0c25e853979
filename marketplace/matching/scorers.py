"""Soft factors: each scorer gives a value in [0, 1] and the reasons behind it.

Scorers live in a registry so a deployment can weigh them differently (``MATCHING_WEIGHTS``
in the app's configuration, passed to ``rank`` as a dict) and a new factor is one decorated
function. The overall score is the weighted mean, scaled to 0-100.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

from marketplace.geo import round_half_km

from .profiles import DAY_PART_ORDER, MatchRequest, VolunteerCandidate
from .reasons import Reason


class Factor(NamedTuple):
    value: float  # 0 (worst) .. 1 (best)
    reasons: tuple[Reason, ...] = ()


Scorer = Callable[[MatchRequest, VolunteerCandidate, float], Factor]

SCORERS: dict[str, Scorer] = {}

# Closeness counts most: informal help is neighbourly. Continuity next: a familiar face is
# worth a longer trip. Then fit in time, spare capacity (spread the load), language.
DEFAULT_WEIGHTS: dict[str, float] = {
    "distance": 0.35,
    "continuity": 0.20,
    "availability": 0.20,
    "load": 0.15,
    "language": 0.10,
}


def scorer(name: str) -> Callable[[Scorer], Scorer]:
    """Register a scorer under ``name`` (its weight key)."""

    def register(function: Scorer) -> Scorer:
        if name in SCORERS:
            raise ValueError(f"a scorer named {name!r} is already registered")
        SCORERS[name] = function
        return function

    return register


def resolve_weights(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """Defaults overridden by ``weights``; unknown names and negative weights are errors.

    A weight of 0 switches a factor off (its reasons are still shown: they explain, even
    when they do not rank).
    """
    resolved = dict(DEFAULT_WEIGHTS)
    for name in SCORERS:
        resolved.setdefault(name, 0.0)
    for name, weight in (weights or {}).items():
        if name not in SCORERS:
            raise ValueError(f"unknown matching factor {name!r}; known: {sorted(SCORERS)}")
        if not weight >= 0:
            raise ValueError(f"weight of {name!r} must be >= 0, got {weight!r}")
        resolved[name] = float(weight)
    if sum(resolved.values()) <= 0:
        raise ValueError("at least one matching factor needs a positive weight")
    return resolved


@scorer("distance")
def distance_factor(request: MatchRequest, volunteer: VolunteerCandidate, km: float) -> Factor:
    """1 next door, falling linearly to 0 at the nearer of the two limits."""
    limit = min(request.reach_km, volunteer.radius_km)
    value = 1.0 - km / limit if limit > 0 else 1.0
    reason = Reason.of("distance", km=round_half_km(km), pronoun=volunteer.pronoun)
    return Factor(min(1.0, max(0.0, value)), (reason,))


@scorer("continuity")
def continuity_factor(request: MatchRequest, volunteer: VolunteerCandidate, km: float) -> Factor:
    if request.resident_id is not None and request.resident_id in volunteer.helped_residents:
        return Factor(1.0, (Reason.of("continuity"),))
    return Factor(0.0)


@scorer("availability")
def availability_factor(
    request: MatchRequest, volunteer: VolunteerCandidate, km: float
) -> Factor:
    """Share of the wanted day parts the volunteer is free; a flexible request fits anyone."""
    if not request.slots:
        return Factor(1.0)
    overlap = request.slots & volunteer.availability
    if not overlap:
        return Factor(0.0, (Reason.of("not_available"),))
    reason = Reason.of("available", slots=tuple(sorted(overlap, key=DAY_PART_ORDER.__getitem__)))
    return Factor(len(overlap) / len(request.slots), (reason,))


@scorer("load")
def load_factor(request: MatchRequest, volunteer: VolunteerCandidate, km: float) -> Factor:
    """Spare capacity: someone helping nobody yet scores 1."""
    reason = Reason.of("load", active=volunteer.active_commitments, max=volunteer.max_commitments)
    if volunteer.max_commitments <= 0:
        return Factor(0.0, (reason,))
    value = 1.0 - volunteer.active_commitments / volunteer.max_commitments
    return Factor(min(1.0, max(0.0, value)), (reason,))


@scorer("language")
def language_factor(request: MatchRequest, volunteer: VolunteerCandidate, km: float) -> Factor:
    if request.language is None:
        return Factor(1.0)
    if request.language in volunteer.languages:
        return Factor(1.0, (Reason.of("speaks", language=request.language),))
    return Factor(0.0, (Reason.of("does_not_speak", language=request.language),))
