"""A second, offline opinion on the gazetteer: does each PC4 sit where Dutch postcodes say?

GeoNames, our source, is right nearly everywhere, but not everywhere: it placed PC4 1234
(Loosdrecht) in Lemiers, Limburg. Three independent rules, all from well-known facts:

1. **Numbering is regional.** PC4 codes were handed out region by region (1000-1299 Amsterdam
   and the Gooi, 2200-3399 Zuid-Holland, ... 9900-9999 north-east Groningen). `PC4_PROVINCES`
   lists, per range, the provinces it reaches into (borders mix, so often more than one).
2. **Each province has a bounding box** (`PROVINCE_BOXES`, rounded outward): a centroid
   outside the box of its own province is wrong.
3. **Neighbours in numbering are neighbours on the map**: a centroid more than
   `NEIGHBOUR_KM` from each of the two codes before and after it is out of place (the Wadden
   islands, the furthest genuine case, stay within 25 km).

`problems(places)` lists what breaks a rule; tests/robustness/test_gazetteer.py keeps the
committed CSV free of them, and scripts/build_gazetteer.py corrects them on a rebuild.
Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from marketplace.geo.distance import distance_km

NEIGHBOUR_KM = 30.0

NH, ZH, UT, FL = "Noord-Holland", "Zuid-Holland", "Utrecht", "Flevoland"
GE, NB, ZE, LI = "Gelderland", "Noord-Brabant", "Zeeland", "Limburg"
OV, DR, FR, GR = "Overijssel", "Drenthe", "Fryslân", "Groningen"

# (first, last, provinces the range reaches into)
PC4_PROVINCES: tuple[tuple[int, int, frozenset[str]], ...] = tuple(
    (first, last, frozenset(provinces)) for first, last, provinces in (
        (1000, 1299, {NH}),
        (1300, 1399, {FL, NH, UT}),  # Almere; Weesp, Muiden; the Vinkeveen lakes
        (1400, 1499, {NH, UT, ZH}),  # Bussum ... Purmerend; De Ronde Venen; Vrouwenakker
        (1500, 2099, {NH}),
        (2100, 2199, {NH, ZH}),  # Haarlemmermeer and the Bollenstreek
        (2200, 3399, {ZH}),
        (3400, 3699, {UT, ZH, NH}),  # Utrecht; Oudewater's and Wijdemeren's borders
        (3700, 3999, {UT, GE, FL}),  # Zeist ... Veenendaal; Barneveld, Nijkerk; Zeewolde
        (4000, 4199, {GE, UT}),  # Tiel, Culemborg; Vijfheerenlanden
        (4200, 4299, {ZH, GE, UT, NB}),  # Gorinchem, Zaltbommel's west, Altena
        (4300, 4599, {ZE}),
        (4600, 4699, {NB, ZE}),  # Bergen op Zoom; Tholen
        (4700, 5299, {NB}),
        (5300, 5399, {GE, NB}),  # Bommelerwaard; Oss
        (5400, 5699, {NB}),
        (5700, 6099, {NB, LI}),  # Helmond, Peel; Venray, Weert
        (6100, 6499, {LI}),
        (6500, 6599, {GE, LI}),  # Nijmegen; Mook
        (6600, 7399, {GE}),
        (7400, 7699, {OV, GE}),  # Deventer, Twente; the IJssel's west bank
        (7700, 7999, {OV, DR}),  # Hardenberg; Coevorden, Emmen, Meppel
        (8000, 8199, {OV, GE}),  # Zwolle; Hattem, Heerde, Epe
        (8200, 8399, {FL, OV, DR, FR}),  # Lelystad, Kampen, Noordoostpolder, Steenwijk
        (8400, 8499, {FR, DR}),
        (8500, 9299, {FR}),
        (9300, 9799, {DR, GR}),
        (9800, 9899, {GR, FR}),
        (9900, 9999, {GR}),
    ))

# (south, west, north, east) in degrees, rounded outward by a few km.
PROVINCE_BOXES: dict[str, tuple[float, float, float, float]] = {
    GR: (52.83, 6.15, 53.57, 7.24),
    FR: (52.78, 4.83, 53.52, 6.45),
    DR: (52.60, 6.10, 53.22, 7.11),
    OV: (52.12, 5.76, 52.88, 7.10),
    FL: (52.24, 5.00, 52.89, 6.02),
    GE: (51.72, 4.98, 52.53, 6.84),  # west: Vuren, Brakel in the Bommelerwaard
    UT: (51.83, 4.77, 52.32, 5.65),
    NH: (52.15, 4.47, 53.20, 5.37),
    ZH: (51.64, 3.82, 52.34, 5.17),
    ZE: (51.19, 3.34, 51.76, 4.31),
    NB: (51.21, 4.18, 51.84, 6.06),
    LI: (50.74, 5.55, 51.79, 6.24),
}


class Located(Protocol):
    pc4: str
    lat: float
    lon: float
    place: str
    province: str


def provinces_for(pc4: str) -> frozenset[str]:
    number = int(pc4)
    for first, last, provinces in PC4_PROVINCES:
        if first <= number <= last:
            return provinces
    return frozenset()


def in_box(province: str, lat: float, lon: float) -> bool:
    box = PROVINCE_BOXES.get(province)
    if box is None:
        return False
    south, west, north, east = box
    return south <= lat <= north and west <= lon <= east


def problems(places: Sequence[Located]) -> list[tuple[str, str]]:
    """(pc4, what is wrong) for each place that breaks a rule; places sorted by pc4."""
    found: list[tuple[str, str]] = []
    for i, place in enumerate(places):
        if place.province not in provinces_for(place.pc4):
            found.append((place.pc4, f"{place.place}: PC4 {place.pc4} is not numbered in "
                                     f"{place.province}"))
        if not in_box(place.province, place.lat, place.lon):
            found.append((place.pc4, f"{place.place}: ({place.lat}, {place.lon}) lies outside "
                                     f"{place.province}"))
        neighbours = [places[j] for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < len(places)]
        nearest = min((distance_km(place.lat, place.lon, n.lat, n.lon) for n in neighbours),
                      default=0.0)
        if nearest > NEIGHBOUR_KM:
            found.append((place.pc4, f"{place.place}: {nearest:.0f} km from every PC4 "
                                     f"numbered next to it"))
    return found
