"""An offline geopy geocoder over the PC4 gazetteer.

Implementing geopy's ``Geocoder`` interface means the rest of the app only ever calls
``geocode``/``reverse`` and receives ``geopy.location.Location``; a deployment that wants
street-level precision can configure geopy's Nominatim or a PDOK Locatieserver geocoder
instead, without touching callers. The default stays offline: no API keys, no rate limits,
no resident postcodes sent to a third party.
"""

from __future__ import annotations

import re
from typing import Any

from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderServiceError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

from .gazetteer import Gazetteer, Place, default_gazetteer
from .postcode import InvalidPostcode, Postcode, parse_postcode

__all__ = ("OfflineGeocoder",)

# A postcode at the start, then anything (house number, street, place), e.g. "5531 AB 12",
# "5531AB", "5531 Bladel". The lookahead stops "5531 Bladel" from reading "BL" as letters.
_LEADING_POSTCODE = re.compile(
    r"\s*([1-9][0-9]{3})(?:\s?([A-Z]{2})(?![A-Z]))?(?![0-9])", re.ASCII | re.IGNORECASE
)


class _OfflineAdapter(BaseSyncAdapter):
    """An HTTP adapter that refuses every request: proof that this geocoder stays offline."""

    def get_json(self, url: str, *, timeout: float, headers: dict) -> Any:
        raise GeocoderServiceError(f"OfflineGeocoder never uses the network (asked for {url})")

    def get_text(self, url: str, *, timeout: float, headers: dict) -> str:
        raise GeocoderServiceError(f"OfflineGeocoder never uses the network (asked for {url})")


def _location(place: Place, postcode: Postcode | None = None) -> Location:
    raw = {
        "pc4": place.pc4,
        "place": place.place,
        "province": place.province,
        "postcode": (postcode.display if postcode else place.pc4),
        "lat": place.lat,
        "lon": place.lon,
    }
    address = f"{place.pc4} {place.place}, {place.province}"
    return Location(address, Point(place.lat, place.lon), raw)


def _leading_postcode(query: str) -> Postcode | None:
    """The postcode a free-text query starts with, or None when it starts with none."""
    match = _LEADING_POSTCODE.match(query)
    if match is None:
        return None
    pc4, letters = match.group(1), match.group(2)
    try:
        return parse_postcode(f"{pc4} {letters}" if letters else pc4)
    except InvalidPostcode:  # e.g. "1234 SS": never issued, so nothing to find
        return None


class OfflineGeocoder(Geocoder):
    """Geocode Dutch postcodes to PC4 centroids from the packaged gazetteer.

    ``geocode("5531 AB 12")`` returns a Location at the centroid of PC4 5531 with address
    "5531 Bladel, Noord-Brabant" and ``raw`` holding pc4, place, province and the postcode;
    unknown or unparseable queries give None, as geopy's online geocoders do.
    ``reverse((lat, lon))`` returns the nearest PC4 area.

    It never touches the network: its adapter refuses every request. To use geopy's
    Nominatim or PDOK Locatieserver geocoder instead, a deployment configures another
    geopy ``Geocoder`` class; callers only rely on the geopy interface.
    """

    def __init__(
        self, gazetteer: Gazetteer | None = None, *, user_agent: str | None = None
    ) -> None:
        super().__init__(
            scheme="https",
            timeout=None,
            proxies={},
            user_agent=user_agent or "buurtmakelaar-offline",
            ssl_context=None,
            adapter_factory=_OfflineAdapter,
        )
        self.gazetteer = gazetteer if gazetteer is not None else default_gazetteer()

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: object = DEFAULT_SENTINEL,
    ) -> Location | list[Location] | None:
        """Look up the postcode that ``query`` starts with; ``timeout`` is accepted and unused."""
        postcode = _leading_postcode(query) if isinstance(query, str) else None
        place = self.gazetteer.get(postcode.pc4) if postcode else None
        if place is None:
            return None
        location = _location(place, postcode)
        return location if exactly_one else [location]

    def reverse(
        self,
        query: Point | tuple[float, float] | str,
        *,
        exactly_one: bool = True,
        timeout: object = DEFAULT_SENTINEL,
    ) -> Location | list[Location] | None:
        """The PC4 area whose centroid is nearest to ``query`` ((lat, lon), Point or "lat,lon")."""
        point = query if isinstance(query, Point) else Point(query)
        if len(self.gazetteer) == 0:
            return None
        location = _location(self.gazetteer.nearest(point.latitude, point.longitude))
        return location if exactly_one else [location]
