"""A vacancy as the matching engine sees a request, and its ranked candidates.

The same engine, index and hard rules as for help requests (``matching.service``): only
the input is adapted. See docs/vacancies.md.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from marketplace.associations.occurrences import next_occurrence
from marketplace.associations.vacancy_models import Vacancy, VacancyMatch
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.matching.core import Ranking
from marketplace.matching.profiles import MatchRequest
from marketplace.matching.service import SearchOptions, find_candidates
from marketplace.matching.sources import DEFAULT_REACH_KM, marketplace_sources

ACTIVITY_REACH_KM = DEFAULT_REACH_KM  # how far volunteers come to the venue, as for requests


def match_request_for(vacancy: Vacancy, *, now: datetime | None = None) -> MatchRequest:
    """The vacancy as the matching engine sees a request: where, what, when, VOG, day parts.

    The day the rules apply to (a VOG still valid) is the next occurrence, else today.
    """
    activity = vacancy.activity
    day = today(now)
    upcoming = next_occurrence(activity, now=now)
    when: date = max(day, today(upcoming.starts_at)) if upcoming is not None else day
    return MatchRequest(id=vacancy.id, category=vacancy.skill, lat=activity.lat,
                        lon=activity.lon, reach_km=ACTIVITY_REACH_KM, when=when,
                        needs_vog=vacancy.needs_vog, slots=frozenset(vacancy.day_parts or ()),
                        resident_id=None)


def candidates(vacancy: Vacancy, *, limit: int = 20, now: datetime | None = None) -> Ranking:
    """Ranked, explained volunteers for the vacancy; those already asked are left out."""
    asked = set(db.session.scalars(select(VacancyMatch.volunteer_id).where(
        VacancyMatch.vacancy_id == vacancy.id,
        VacancyMatch.status.in_(("proposed", "accepted", "declined")))))
    ranking = find_candidates(match_request_for(vacancy, now=now), marketplace_sources(),
                              SearchOptions(limit=limit + len(asked)))
    chosen = tuple(c for c in ranking.candidates if c.user_id not in asked)[:limit]
    return Ranking(network=(), candidates=chosen, excluded=ranking.excluded)
