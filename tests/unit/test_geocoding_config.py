import pytest
from geopy.geocoders import Nominatim

from marketplace.geo import OfflineGeocoder
from marketplace.geocoding import build_geocoder


def test_offline_is_the_default():
    assert isinstance(build_geocoder("offline"), OfflineGeocoder)
    location = build_geocoder("").geocode("5531 AB 12")
    assert location.raw["pc4"] == "5531"


def test_a_geopy_geocoder_can_be_configured_without_calling_it():
    assert isinstance(build_geocoder("geopy.geocoders:Nominatim"), Nominatim)


@pytest.mark.parametrize("setting", ["geopy.geocoders", "collections:OrderedDict"])
def test_bad_settings_are_refused(setting):
    with pytest.raises(ValueError):
        build_geocoder(setting)
