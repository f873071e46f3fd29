from __future__ import annotations

import pytest

from commonweal.geo.distance import bbox_around, haversine_metres

GRAYS = (51.47555, 0.323813)  # RM17 6SL
TILBURY = (51.4627, 0.3594)
LONDON = (51.5074, -0.1278)
EDINBURGH = (55.9533, -3.1883)


def test_distance_to_itself_is_zero():
    assert haversine_metres(*GRAYS, *GRAYS) == 0


def test_known_distances():
    assert haversine_metres(*LONDON, *EDINBURGH) == pytest.approx(534_000, rel=0.01)
    assert haversine_metres(*GRAYS, *TILBURY) == pytest.approx(2_790, rel=0.03)


def test_distance_is_symmetric():
    assert haversine_metres(*GRAYS, *LONDON) == pytest.approx(haversine_metres(*LONDON, *GRAYS))


def test_one_degree_of_latitude_is_about_111_km():
    assert haversine_metres(51, 0, 52, 0) == pytest.approx(111_195, rel=0.001)


@pytest.mark.parametrize("metres", [100, 1_000, 25_000])
def test_bbox_contains_the_circle(metres):
    min_lat, max_lat, min_lon, max_lon = bbox_around(*GRAYS, metres)
    assert min_lat < GRAYS[0] < max_lat and min_lon < GRAYS[1] < max_lon
    # The box edges are at the radius: north, south, east and west edge points are `metres` away.
    assert haversine_metres(*GRAYS, max_lat, GRAYS[1]) == pytest.approx(metres, rel=0.001)
    assert haversine_metres(*GRAYS, min_lat, GRAYS[1]) == pytest.approx(metres, rel=0.001)
    assert haversine_metres(*GRAYS, GRAYS[0], max_lon) >= metres * 0.999
    assert haversine_metres(*GRAYS, GRAYS[0], min_lon) >= metres * 0.999


def test_bbox_near_the_pole_spans_every_longitude():
    assert bbox_around(89.9999, 0, 50_000)[2:] == (-180.0, 180.0)


def test_bbox_rejects_negative_distances():
    with pytest.raises(ValueError):
        bbox_around(51, 0, -1)
