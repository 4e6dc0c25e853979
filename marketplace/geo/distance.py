"""Distances for matching and display, all great-circle (the ranking metric in DESIGN.md).

Great-circle on geopy's mean Earth radius is well within a percent of the ellipsoidal distance
at Dutch scale and much cheaper, and a bounding box derived from the same sphere can be proved
to contain every candidate (see tests), so index pre-filtering never loses a match.
"""

from __future__ import annotations

import math

from geopy.distance import EARTH_RADIUS, great_circle

# Slack added to the box so floating-point rounding can never push a point that distance_km
# calls "within" outside it; 1e-9 degrees is about 0.1 mm.
_MARGIN_DEG = 1e-9
_MARGIN_REL = 1e-9


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees.

    geopy's ``great_circle`` formula, operation for operation (so the same float), without
    its Point objects (~30 µs a call; a volunteer's nearby list measures thousands). Anything
    geopy would normalise or refuse (a longitude of 180 or more, a latitude beyond 90, NaN,
    not a number) goes to geopy itself.
    """
    if not (_plain(lat1, lon1) and _plain(lat2, lon2)):
        return great_circle((lat1, lon1), (lat2, lon2)).km
    rlat1, rlng1 = math.radians(lat1), math.radians(lon1)
    rlat2, rlng2 = math.radians(lat2), math.radians(lon2)
    sin_lat1, cos_lat1 = math.sin(rlat1), math.cos(rlat1)
    sin_lat2, cos_lat2 = math.sin(rlat2), math.cos(rlat2)
    delta_lng = rlng2 - rlng1
    cos_delta_lng, sin_delta_lng = math.cos(delta_lng), math.sin(delta_lng)
    d = math.atan2(math.sqrt((cos_lat2 * sin_delta_lng) ** 2
                             + (cos_lat1 * sin_lat2 - sin_lat1 * cos_lat2 * cos_delta_lng) ** 2),
                   sin_lat1 * sin_lat2 + cos_lat1 * cos_lat2 * cos_delta_lng)
    return EARTH_RADIUS * d


def _plain(lat: object, lon: object) -> bool:
    """A point geopy takes as it is: floats, |lat| <= 90, -180 <= lon < 180."""
    return (type(lat) is float and type(lon) is float
            and -90.0 <= lat <= 90.0 and -180.0 <= lon < 180.0)


def round_half_km(km: float) -> float:
    """Round to the nearest 0.5 km (halves round up), but never below 0.5 km.

    Shown to others instead of the exact distance, so an address cannot be triangulated; the
    floor keeps a next-door neighbour from reading "0 km", which looks like an error.
    """
    if not math.isfinite(km) or km < 0:
        raise ValueError(f"distance must be a finite, non-negative number of km, got {km!r}")
    return max(0.5, math.floor(km * 2 + 0.5) / 2)


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) containing every point within ``km`` great-circle km.

    Used to pre-filter candidates with plain range conditions before exact distances. It is
    conservative rather than tight: when the circle reaches a pole or crosses the antimeridian
    the longitude range becomes the full [-180, 180] instead of wrapping.
    """
    if not math.isfinite(km) or km < 0:
        raise ValueError(f"radius must be a finite, non-negative number of km, got {km!r}")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"not a coordinate in degrees: ({lat!r}, {lon!r})")
    delta = km * (1 + _MARGIN_REL) / EARTH_RADIUS  # angular radius, radians
    d_lat = math.degrees(delta) + _MARGIN_DEG
    min_lat, max_lat = lat - d_lat, lat + d_lat
    if min_lat <= -90 or max_lat >= 90:
        # The circle contains a pole, so every meridian passes through it.
        return max(min_lat, -90.0), min(max_lat, 90.0), -180.0, 180.0
    # Widest longitude offset reached by a circle of angular radius delta around latitude phi:
    # asin(sin(delta) / cos(phi)), which is < 90 degrees because the circle misses the poles.
    ratio = min(1.0, math.sin(delta) / math.cos(math.radians(lat)))
    d_lon = math.degrees(math.asin(ratio)) + _MARGIN_DEG
    min_lon, max_lon = lon - d_lon, lon + d_lon
    if min_lon < -180 or max_lon > 180:
        return min_lat, max_lat, -180.0, 180.0
    return min_lat, max_lat, min_lon, max_lon
