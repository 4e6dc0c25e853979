"""Great-circle distance, bit-for-bit the same as ``geopy.distance.great_circle``.

Candidate search computes a distance for every row the index hands back, so the per-row cost
matters: geopy builds two ``Point`` objects per call (a few microseconds each). These functions
repeat geopy's arithmetic step by step on plain floats, so the results are *identical* to
``marketplace.geo.distance_km`` (a unit test checks that on random points), which keeps the
engine, the brute-force check and the naive baseline in exact agreement, also on the edge
"exactly at the radius".
"""

from __future__ import annotations

from collections.abc import Callable
from math import atan2, cos, radians, sin, sqrt

from geopy.distance import EARTH_RADIUS


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points in degrees (geopy's formula)."""
    return distance_from(lat1, lon1)(lat2, lon2)


def distance_from(lat: float, lon: float) -> Callable[[float, float], float]:
    """A function of (lat, lon) giving the distance in km from this origin.

    The origin's sine and cosine are computed once; that is most of the saving when one
    request is compared with hundreds of volunteers.
    """
    lat1, lng1 = radians(lat), radians(lon)
    sin_lat1, cos_lat1 = sin(lat1), cos(lat1)

    def distance(lat2_deg: float, lon2_deg: float) -> float:
        lat2, lng2 = radians(lat2_deg), radians(lon2_deg)
        sin_lat2, cos_lat2 = sin(lat2), cos(lat2)
        delta_lng = lng2 - lng1
        cos_delta_lng, sin_delta_lng = cos(delta_lng), sin(delta_lng)
        d = atan2(
            sqrt(
                (cos_lat2 * sin_delta_lng) ** 2
                + (cos_lat1 * sin_lat2 - sin_lat1 * cos_lat2 * cos_delta_lng) ** 2
            ),
            sin_lat1 * sin_lat2 + cos_lat1 * cos_lat2 * cos_delta_lng,
        )
        return EARTH_RADIUS * d

    return distance
