"""Plug the marketplace's tables into matching: ``CandidateSources`` and request conversion.

Kept apart from ``service`` so the engine works (and is tested) without the marketplace
feature; this module is the only place matching knows those tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import date

from sqlalchemy import select

from marketplace.extensions import db

from .profiles import MatchRequest, NetworkMember
from .service import CandidateSources

DEFAULT_REACH_KM = 5.0


def _availability(user_ids: Collection[int]) -> Mapping[int, Collection[str]]:
    from marketplace.volunteers.models import VolunteerAvailability as A

    found: dict[int, set[str]] = defaultdict(set)
    for user_id, slot in db.session.execute(
        select(A.user_id, A.slot).where(A.user_id.in_(sorted(user_ids)))
    ):
        found[user_id].add(slot)
    return found


def _languages(user_ids: Collection[int]) -> Mapping[int, Collection[str]]:
    from marketplace.volunteers.models import VolunteerProfile as P

    rows = db.session.execute(
        select(P.user_id, P.languages).where(P.user_id.in_(sorted(user_ids)))
    )
    return {user_id: tuple(languages or ()) for user_id, languages in rows}


def _previous_helpers(resident_id: int | None) -> Collection[int]:
    """Volunteers with an arrangement (any status) on one of this resident's requests."""
    if resident_id is None:
        return ()
    from marketplace.brokering.models import Arrangement
    from marketplace.help_requests.models import HelpRequest

    return set(db.session.scalars(
        select(Arrangement.volunteer_id).join(HelpRequest, HelpRequest.id == Arrangement.request_id)
        .where(HelpRequest.owner_id == resident_id)
    ))


def _network(resident_id: int | None) -> Sequence[NetworkMember]:
    if resident_id is None:
        return ()
    from marketplace.residents.models import NetworkMember as Row

    rows = db.session.scalars(
        select(Row).where(Row.resident_id == resident_id).order_by(Row.id)
    )
    # cannot_help is free text in the marketplace ("no lifting"), not category codes.
    return [NetworkMember(r.name, r.relation, frozenset(r.can_help or ())) for r in rows]


def marketplace_sources() -> CandidateSources:
    return CandidateSources(
        availability=_availability, languages=_languages,
        previous_helpers=_previous_helpers, network=_network,
    )


def match_request_for(help_request: object, *, today: date,
                      reach_km: float = DEFAULT_REACH_KM) -> MatchRequest:
    """A marketplace ``HelpRequest`` as matching sees it (no house number, no name).

    VOG is needed when the category says so; the date the rules apply to is the wanted
    date when there is one in the future, else today.
    """
    from marketplace.categories.models import Category

    category = db.session.get(Category, help_request.category)  # type: ignore[attr-defined]
    wanted = help_request.wanted_on  # type: ignore[attr-defined]
    return MatchRequest(
        id=help_request.id,  # type: ignore[attr-defined]
        category=help_request.category,  # type: ignore[attr-defined]
        lat=help_request.lat, lon=help_request.lon,  # type: ignore[attr-defined]
        reach_km=reach_km,
        when=wanted if wanted is not None and wanted > today else today,
        needs_vog=bool(category and category.vog_required),
        resident_id=help_request.owner_id,  # type: ignore[attr-defined]
        # Empty when any day part is fine.
        slots=frozenset(help_request.day_parts or ()),  # type: ignore[attr-defined]
    )
