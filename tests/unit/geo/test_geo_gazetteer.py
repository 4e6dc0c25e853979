"""The packaged PC4 gazetteer: real values, unknown areas, nearest and place lookups."""

import pytest

from marketplace.geo.gazetteer import Gazetteer, Place, default_gazetteer
from marketplace.geo.postcode import InvalidPostcode, UnknownPostcode

PROVINCES = {
    "Drenthe",
    "Flevoland",
    "Fryslân",
    "Gelderland",
    "Groningen",
    "Limburg",
    "Noord-Brabant",
    "Noord-Holland",
    "Overijssel",
    "Utrecht",
    "Zeeland",
    "Zuid-Holland",
}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


def test_loads_every_pc4_once(gazetteer: Gazetteer) -> None:
    places = list(gazetteer)
    assert len(gazetteer) == len(places) > 4000
    codes = [p.pc4 for p in places]
    assert codes == sorted(set(codes))
    assert {p.province for p in places} == PROVINCES


def test_all_centroids_lie_in_the_netherlands(gazetteer: Gazetteer) -> None:
    for place in gazetteer:
        assert 50.7 < place.lat < 53.6 and 3.3 < place.lon < 7.3, place


@pytest.mark.parametrize(
    ("pc4", "place", "province"),
    [
        ("5531", "Bladel", "Noord-Brabant"),
        ("1012", "Amsterdam", "Noord-Holland"),
        ("9401", "Assen", "Drenthe"),
        ("3511", "Utrecht", "Utrecht"),
        ("8911", "Leeuwarden", "Fryslân"),
        ("6811", "Arnhem", "Gelderland"),
        # Listed six times by GeoNames; two with top accuracy, first one wins.
        ("9999", "Stitswerd", "Groningen"),
    ],
)
def test_known_places(gazetteer: Gazetteer, pc4: str, place: str, province: str) -> None:
    found = gazetteer.require(pc4)
    assert (found.pc4, found.place, found.province) == (pc4, place, province)
    assert gazetteer.get(pc4) == found
    assert pc4 in gazetteer


def test_bladel_centroid(gazetteer: Gazetteer) -> None:
    place = gazetteer.require("5531")
    assert (place.lat, place.lon) == pytest.approx((51.3678, 5.2170))


def test_unknown_pc4(gazetteer: Gazetteer) -> None:
    # 1000-1010 are Amsterdam PO-box ranges: well-formed but no area on the map.
    assert gazetteer.get("1000") is None
    with pytest.raises(UnknownPostcode) as caught:
        gazetteer.require("1000")
    assert caught.value.code == "unknown"
    with pytest.raises(UnknownPostcode):
        gazetteer.locate("1000 AB")


@pytest.mark.parametrize("text", ["0000", "abcd", "123", "12345", ""])
def test_require_malformed(gazetteer: Gazetteer, text: str) -> None:
    with pytest.raises(InvalidPostcode) as caught:
        gazetteer.require(text)
    assert caught.value.code == "malformed"


@pytest.mark.parametrize("text", ["5531 AB", "5531ab", " 5531 "])
def test_locate_parses(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.locate(text).place == "Bladel"


def test_locate_malformed(gazetteer: Gazetteer) -> None:
    with pytest.raises(InvalidPostcode) as caught:
        gazetteer.locate("0000")
    assert caught.value.code == "malformed"


def test_nearest_returns_each_pc4_at_its_own_centroid(gazetteer: Gazetteer) -> None:
    for place in list(gazetteer)[::97]:
        assert gazetteer.nearest(place.lat, place.lon) == place


def test_pc4s_for_place(gazetteer: Gazetteer) -> None:
    assert "5531" in gazetteer.pc4s_for_place("bladel")
    amsterdam = gazetteer.pc4s_for_place("  AMSTERDAM ")
    assert {"1011", "1012"} <= set(amsterdam)
    assert amsterdam == sorted(amsterdam)
    assert gazetteer.pc4s_for_place("Atlantis") == []


def test_default_gazetteer_is_cached() -> None:
    assert default_gazetteer() is default_gazetteer()


def test_constructible_from_places() -> None:
    small = Gazetteer(
        [
            Place("2000", 52.0, 5.0, "Zuid", "Utrecht"),
            Place("1000", 53.0, 5.0, "Noord", "Fryslân"),
        ]
    )
    assert [p.pc4 for p in small] == ["1000", "2000"]
    assert len(small) == 2
    assert small.nearest(52.9, 5.1).place == "Noord"
    assert small.pc4s_for_place("zuid") == ["2000"]


def test_duplicate_pc4_is_refused() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        Gazetteer([Place("1000", 52.0, 5.0, "A", "Utrecht")] * 2)


def test_empty_gazetteer_has_no_nearest() -> None:
    with pytest.raises(LookupError):
        Gazetteer([]).nearest(52.0, 5.0)
