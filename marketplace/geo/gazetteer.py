"""The offline PC4 gazetteer: centroid, place and province for every Dutch 4-digit postcode.

The data is ``data/pc4.csv`` (built by ``scripts/build_gazetteer.py`` from GeoNames,
© GeoNames, CC BY 4.0). It is read lazily through importlib.resources so it works from a
wheel or a zip, and only once per process via ``default_gazetteer()``.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

from .postcode import InvalidPostcode, UnknownPostcode, parse_postcode

_PC4 = re.compile(r"[1-9][0-9]{3}", re.ASCII)
_HEADER = ["pc4", "lat", "lon", "place", "province"]


@dataclass(frozen=True, slots=True)
class Place:
    """One PC4 area; lat/lon are its centroid, which is all we disclose of a location."""

    pc4: str
    lat: float
    lon: float
    place: str
    province: str


def load_places() -> list[Place]:
    """Read the packaged CSV; a wrong header means a broken build, so fail loudly."""
    source = resources.files("marketplace.geo.data").joinpath("pc4.csv")
    with source.open("r", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != _HEADER:
            raise RuntimeError(f"pc4.csv has header {header!r}, expected {_HEADER!r}")
        return [
            Place(pc4=pc4, lat=float(lat), lon=float(lon), place=place, province=province)
            for pc4, lat, lon, place, province in reader
        ]


class Gazetteer:
    """Look up PC4 areas by code, by place name or by position.

    ``Gazetteer()`` reads the packaged CSV on first use; ``Gazetteer(places)`` takes any
    iterable of Place so tests can use a handful of rows.
    """

    def __init__(self, places: Iterable[Place] | None = None) -> None:
        self._by_pc4: dict[str, Place] | None = None
        if places is not None:
            self._by_pc4 = self._index(places)

    @staticmethod
    def _index(places: Iterable[Place]) -> dict[str, Place]:
        by_pc4: dict[str, Place] = {}
        for place in sorted(places, key=lambda p: p.pc4):
            if place.pc4 in by_pc4:
                raise ValueError(f"duplicate PC4 {place.pc4} in gazetteer data")
            by_pc4[place.pc4] = place
        return by_pc4

    @property
    def _places(self) -> dict[str, Place]:
        # Lazy: importing marketplace.geo must stay cheap for commands that never geocode.
        if self._by_pc4 is None:
            self._by_pc4 = self._index(load_places())
        return self._by_pc4

    def __len__(self) -> int:
        return len(self._places)

    def __iter__(self) -> Iterator[Place]:
        """Places in PC4 order."""
        return iter(self._places.values())

    def __contains__(self, pc4: object) -> bool:
        return pc4 in self._places

    def get(self, pc4: str) -> Place | None:
        """The Place for a PC4 code such as "5531", or None when absent."""
        return self._places.get(pc4)

    def require(self, pc4: str) -> Place:
        """Like ``get`` but raises, so callers can report *why* a postcode was refused."""
        if not isinstance(pc4, str) or not _PC4.fullmatch(pc4):
            raise InvalidPostcode(f"{pc4!r} is not a 4-digit PC4 code", text=str(pc4))
        place = self._places.get(pc4)
        if place is None:
            raise UnknownPostcode(f"postcode area {pc4} does not exist", text=pc4)
        return place

    def locate(self, postcode_text: str) -> Place:
        """Parse user input ("5531 AB", "5531ab", "5531") and return its PC4 area."""
        return self.require(parse_postcode(postcode_text).pc4)

    def nearest(self, lat: float, lon: float) -> Place:
        """The PC4 whose centroid is closest (great circle) to the point; ties go to lower PC4.

        A linear scan over ~4k rows takes a few milliseconds; it serves reverse geocoding, not
        candidate search, which has its own spatial index.
        """
        if not self._places:
            raise LookupError("the gazetteer is empty")
        phi = math.radians(lat)
        cos_phi = math.cos(phi)

        # The haversine term grows monotonically with great-circle distance, so minimising it
        # finds the same place as minimising distance_km without the asin/sqrt per row.
        def haversine(place: Place) -> float:
            d_phi = math.radians(place.lat) - phi
            d_lambda = math.radians(place.lon - lon)
            return (
                math.sin(d_phi / 2) ** 2
                + cos_phi * math.cos(math.radians(place.lat)) * math.sin(d_lambda / 2) ** 2
            )

        return min(self._places.values(), key=haversine)

    def pc4s_for_place(self, name: str) -> list[str]:
        """The PC4 codes of a place name, case-insensitively ("bladel" -> ["5531", ...])."""
        wanted = name.strip().casefold()
        return [p.pc4 for p in self._places.values() if p.place.casefold() == wanted]


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The process-wide gazetteer over the packaged CSV (read once, on first use)."""
    return Gazetteer()
