"""The offline geocoder speaks geopy: Location in, Location out, and never the network."""

import pytest
from geopy.exc import GeocoderServiceError
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from marketplace.geo.gazetteer import Gazetteer, Place
from marketplace.geo.geocoder import OfflineGeocoder


@pytest.fixture(scope="module")
def geocoder() -> OfflineGeocoder:
    return OfflineGeocoder()


def test_is_a_geopy_geocoder(geocoder: OfflineGeocoder) -> None:
    assert isinstance(geocoder, Geocoder)


@pytest.mark.parametrize(
    "query", ["5531 AB 12", "5531AB", "5531ab", "5531", " 5531 AB", "5531 Bladel"]
)
def test_geocode_returns_the_pc4_centroid(geocoder: OfflineGeocoder, query: str) -> None:
    location = geocoder.geocode(query)
    assert isinstance(location, Location)
    assert location.address == "5531 Bladel, Noord-Brabant"
    assert (location.latitude, location.longitude) == pytest.approx((51.3678, 5.2170))
    assert location.point == Point(51.3678, 5.2170)
    assert location.raw["pc4"] == "5531"
    assert location.raw["place"] == "Bladel"
    assert location.raw["province"] == "Noord-Brabant"


def test_geocode_keeps_the_full_postcode_in_raw(geocoder: OfflineGeocoder) -> None:
    assert geocoder.geocode("5531ab 12").raw["postcode"] == "5531 AB"
    assert geocoder.geocode("5531").raw["postcode"] == "5531"


def test_geocode_exactly_one_false_gives_a_list(geocoder: OfflineGeocoder) -> None:
    locations = geocoder.geocode("1012 AB", exactly_one=False, timeout=1)
    assert isinstance(locations, list) and len(locations) == 1
    assert locations[0].address == "1012 Amsterdam, Noord-Holland"


@pytest.mark.parametrize(
    "query", ["1000", "1000 AB 5", "0000", "5531 SS", "Bladel", "", "55311", "553 AB"]
)
def test_geocode_unknown_or_malformed_is_none(geocoder: OfflineGeocoder, query: str) -> None:
    assert geocoder.geocode(query) is None


def test_reverse_finds_the_pc4_at_its_own_centroid(geocoder: OfflineGeocoder) -> None:
    location = geocoder.reverse((51.3678, 5.2170))
    assert isinstance(location, Location)
    assert location.raw["pc4"] == "5531"
    assert location.address == "5531 Bladel, Noord-Brabant"
    assert geocoder.reverse("52.9939, 6.5625").raw["pc4"] == "9401"
    assert geocoder.reverse(Point(52.3735, 4.8951), exactly_one=False)[0].raw["pc4"] == "1012"


def test_reverse_on_an_empty_gazetteer_is_none() -> None:
    assert OfflineGeocoder(Gazetteer([])).reverse((52.0, 5.0)) is None


def test_uses_the_given_gazetteer() -> None:
    geocoder = OfflineGeocoder(Gazetteer([Place("1234", 52.0, 5.0, "Testdorp", "Utrecht")]))
    assert geocoder.geocode("1234 AB").address == "1234 Testdorp, Utrecht"
    assert geocoder.geocode("5531") is None


def test_never_touches_the_network(geocoder: OfflineGeocoder) -> None:
    with pytest.raises(GeocoderServiceError, match="never uses the network"):
        geocoder.adapter.get_json("https://example.org", timeout=1, headers={})
    with pytest.raises(GeocoderServiceError):
        geocoder.adapter.get_text("https://example.org", timeout=1, headers={})
