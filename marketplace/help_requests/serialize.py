"""Plain dicts of a request for the API (and the templates): what a viewer may see, no more."""

from __future__ import annotations

from typing import Any

from marketplace.categories.services import label
from marketplace.geo import distance_km, round_half_km
from marketplace.help_requests.access import View
from marketplace.help_requests.models import HelpRequest


def request_dict(request: HelpRequest, view: View, *, from_point: tuple[float, float] | None = None
                 ) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": request.id,
        "status": request.status,
        "category": request.category,
        "category_label": label(request.category),
        "description": request.description,
        "pc4": request.pc4,
        "place": None,
        "urgency": request.urgency,
        "timing": request.timing,
        "wanted_on": request.wanted_on.isoformat() if request.wanted_on else None,
        "wanted_until": request.wanted_until.isoformat() if request.wanted_until else None,
        "wanted_by": request.wanted_on.isoformat() if request.wanted_on else None,
        "recurrence": request.recurrence,
        "availability": list(request.day_parts or []),
        "created_at": request.created_at.isoformat(),
        "expires_on": request.expires_on.isoformat() if request.expires_on else None,
    }
    from marketplace.geo import default_gazetteer

    place = default_gazetteer().get(request.pc4)
    data["place"] = place.place if place else None
    if from_point is not None:
        data["distance_km"] = round_half_km(distance_km(from_point[0], from_point[1],
                                                        request.lat, request.lon))
    if view is View.FULL:
        data.update({
            "house_number": request.house_number,
            "resident_id": request.owner_id,
            "resident_name": request.owner.name if request.owner else None,
            "for_person": ({"name": request.for_person_name,
                            "relation": request.for_person_relation,
                            "consent_recorded_at": request.consent_recorded_at.isoformat()
                            if request.consent_recorded_at else None}
                           if request.for_person_name else None),
            "network_note": request.network_note,
            "area": request.area.code if request.area else None,
            "solved_by": request.solved_by,
            "timeline": [
                {"at": e.at.isoformat(), "from": e.from_status, "to": e.to_status,
                 "reason": e.reason}
                for e in request.events
            ],
        })
    return data
