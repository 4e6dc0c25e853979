"""The fast great-circle distance is geopy's, to the last bit (so edges agree everywhere)."""

from hypothesis import given
from hypothesis import strategies as st

from marketplace.geo import distance_km
from marketplace.matching.geometry import distance_from, great_circle_km

lats = st.floats(min_value=-90, max_value=90, allow_nan=False)
lons = st.floats(min_value=-180, max_value=180, allow_nan=False)
# Dutch scale, where it matters most: points a few km apart.
nl_lat = st.floats(min_value=50.7, max_value=53.6, allow_nan=False)
nl_lon = st.floats(min_value=3.3, max_value=7.3, allow_nan=False)


@given(lats, lons, lats, lons)
def test_identical_to_geopy_anywhere(lat1, lon1, lat2, lon2):
    assert great_circle_km(lat1, lon1, lat2, lon2) == distance_km(lat1, lon1, lat2, lon2)


@given(nl_lat, nl_lon, st.lists(st.tuples(nl_lat, nl_lon), min_size=1, max_size=10))
def test_distance_from_an_origin_is_identical_too(lat, lon, points):
    from_origin = distance_from(lat, lon)
    for lat2, lon2 in points:
        assert from_origin(lat2, lon2) == distance_km(lat, lon, lat2, lon2)


def test_known_distance():
    # Amsterdam Centraal to Utrecht Centraal, about 35 km as the crow flies.
    assert 34 < great_circle_km(52.3791, 4.9003, 52.0894, 5.1100) < 36
