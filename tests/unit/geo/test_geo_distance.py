"""Distances: rounding for display and a bounding box that provably loses no candidate."""

import math

import pytest
from geopy.distance import great_circle
from hypothesis import given, settings
from hypothesis import strategies as st

from marketplace.geo.distance import bounding_box, distance_km, round_half_km

# No example database: it would write .hypothesis/ into the repository.
PROPERTY = settings(database=None, deadline=None, max_examples=500)

latitudes = st.floats(min_value=-90, max_value=90, allow_nan=False)
longitudes = st.floats(min_value=-180, max_value=180, allow_nan=False)
radii = st.floats(min_value=0, max_value=25_000, allow_nan=False)


def test_distance_km_known_value() -> None:
    # Bladel (5531) to Amsterdam (1012): about 114 km as the crow flies.
    assert distance_km(51.3678, 5.2170, 52.3735, 4.8951) == pytest.approx(114.1, abs=0.5)
    assert distance_km(52.0, 5.0, 52.0, 5.0) == 0


@PROPERTY
@given(latitudes, longitudes, latitudes, longitudes)
def test_distance_km_is_geopys_great_circle_to_the_bit(
        lat1: float, lon1: float, lat2: float, lon2: float) -> None:
    assert distance_km(lat1, lon1, lat2, lon2) == great_circle((lat1, lon1), (lat2, lon2)).km


@pytest.mark.parametrize("point", [(52, 5), (52.0, 180.0), (52.0, -180.0), (-90.0, 179.9)])
def test_distance_km_edges_match_geopy(point: tuple[float, float]) -> None:
    assert distance_km(*point, 51.5, 4.9) == great_circle(point, (51.5, 4.9)).km
    with pytest.raises(ValueError):
        distance_km(math.nan, 5.0, 51.5, 4.9)


@pytest.mark.parametrize(
    ("km", "shown"),
    [
        (0, 0.5),
        (0.01, 0.5),
        (0.74, 0.5),
        (0.75, 1.0),
        (1.2, 1.0),
        (1.25, 1.5),
        (2.5, 2.5),
        (2.74, 2.5),
        (10.26, 10.5),
        (123.4, 123.5),
    ],
)
def test_round_half_km_examples(km: float, shown: float) -> None:
    assert round_half_km(km) == shown


@pytest.mark.parametrize("km", [-0.1, math.nan, math.inf])
def test_round_half_km_refuses_nonsense(km: float) -> None:
    with pytest.raises(ValueError):
        round_half_km(km)


@PROPERTY
@given(st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_round_half_km_properties(km: float) -> None:
    shown = round_half_km(km)
    assert shown >= 0.5
    assert (shown * 2).is_integer()
    assert abs(shown - km) <= 0.25 or (km < 0.25 and shown == 0.5)


@PROPERTY
@given(st.floats(min_value=0, max_value=1e4), st.floats(min_value=0, max_value=1e4))
def test_round_half_km_is_monotonic(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert round_half_km(low) <= round_half_km(high)


def _inside(box: tuple[float, float, float, float], lat: float, lon: float) -> bool:
    min_lat, max_lat, min_lon, max_lon = box
    return min_lat <= lat <= max_lat and min_lon <= lon <= max_lon


@PROPERTY
@given(
    latitudes,
    longitudes,
    radii,
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=360),
)
def test_bounding_box_contains_points_on_and_inside_the_circle(
    lat: float, lon: float, km: float, fraction: float, bearing: float
) -> None:
    # Points built by walking from the centre hit the circle's edge, the hard case.
    point = great_circle(kilometers=km * fraction).destination((lat, lon), bearing)
    if distance_km(lat, lon, point.latitude, point.longitude) <= km:
        assert _inside(bounding_box(lat, lon, km), point.latitude, point.longitude)


@PROPERTY
@given(latitudes, longitudes, radii, latitudes, longitudes)
def test_bounding_box_contains_every_point_within_range(
    lat: float, lon: float, km: float, other_lat: float, other_lon: float
) -> None:
    if distance_km(lat, lon, other_lat, other_lon) <= km:
        assert _inside(bounding_box(lat, lon, km), other_lat, other_lon)


@PROPERTY
@given(
    st.floats(min_value=50.7, max_value=53.6),
    st.floats(min_value=3.3, max_value=7.3),
    st.floats(min_value=0.1, max_value=100),
)
def test_bounding_box_is_tight_enough_in_the_netherlands(lat: float, lon: float, km: float) -> None:
    # Conservative must not mean useless: at Dutch latitudes the box stays near 2r x 2r.
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, km)
    height = distance_km(min_lat, lon, max_lat, lon)
    width = distance_km(lat, min_lon, lat, max_lon)
    assert height == pytest.approx(2 * km, rel=1e-3, abs=1e-3)
    assert 2 * km <= width + 1e-3 and width < 2.1 * km


def test_bounding_box_over_a_pole_spans_all_longitudes() -> None:
    assert bounding_box(89.9, 10.0, 50)[2:] == (-180.0, 180.0)
    assert bounding_box(-90.0, 0.0, 1)[2:] == (-180.0, 180.0)


def test_bounding_box_across_the_antimeridian_spans_all_longitudes() -> None:
    assert bounding_box(0.0, 179.99, 10)[2:] == (-180.0, 180.0)


def test_bounding_box_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        bounding_box(52.0, 5.0, -1)
    with pytest.raises(ValueError):
        bounding_box(91.0, 5.0, 1)
