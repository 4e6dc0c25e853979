"""Offline geography: postcodes, the PC4 gazetteer, a geopy geocoder, distances.

Pure by design (standard library and geopy only; no Flask, no SQLAlchemy) so matching and
services can use it in unit tests and the import-linter contract can hold it to that.
"""

from .distance import bounding_box, distance_km, round_half_km
from .gazetteer import Gazetteer, Place, default_gazetteer
from .geocoder import OfflineGeocoder
from .postcode import InvalidPostcode, Postcode, UnknownPostcode, parse_postcode

__all__ = [
    "Gazetteer",
    "InvalidPostcode",
    "OfflineGeocoder",
    "Place",
    "Postcode",
    "UnknownPostcode",
    "bounding_box",
    "default_gazetteer",
    "distance_km",
    "parse_postcode",
    "round_half_km",
]
