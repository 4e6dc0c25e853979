"""Hard rules: a volunteer who breaks one is not a candidate, however good the rest.

The same rules run in three places: here (the reference), in the index's SQL filter plus its
distance check (``index.search``), and vectorised in ``batch``. Tests hold the other two to
this one. Edges are inclusive: a volunteer exactly at the radius is inside it, and a VOG
valid until the request's date is still valid that day.
"""

from __future__ import annotations

from marketplace.geo import round_half_km

from .profiles import MatchRequest, VolunteerCandidate
from .reasons import Reason


def exclusions(
    request: MatchRequest, volunteer: VolunteerCandidate, distance_km: float
) -> tuple[Reason, ...]:
    """Every hard rule the volunteer breaks for this request (empty: a candidate)."""
    found: list[Reason] = []
    if request.category not in volunteer.skills:
        found.append(Reason.of("skill_absent", category=request.category))
    if volunteer.paused:
        found.append(Reason.of("paused"))
    if volunteer.active_commitments >= volunteer.max_commitments:
        found.append(Reason.of("at_capacity", active=volunteer.active_commitments,
                               max=volunteer.max_commitments))
    if request.needs_vog and not volunteer.vog_valid_on(request.when):
        found.append(Reason.of("vog_missing"))
    km = round_half_km(distance_km)
    if distance_km > request.reach_km:
        found.append(Reason.of("outside_reach", km=km, reach_km=request.reach_km))
    if distance_km > volunteer.radius_km:
        found.append(Reason.of("outside_radius", km=km, radius_km=volunteer.radius_km,
                               pronoun=volunteer.pronoun))
    return tuple(found)


def is_eligible(request: MatchRequest, volunteer: VolunteerCandidate, distance_km: float) -> bool:
    """Short-circuit form of ``not exclusions(...)`` for hot loops."""
    return (
        request.category in volunteer.skills
        and not volunteer.paused
        and volunteer.active_commitments < volunteer.max_commitments
        and (not request.needs_vog or volunteer.vog_valid_on(request.when))
        and distance_km <= request.reach_km
        and distance_km <= volunteer.radius_km
    )
