from __future__ import annotations

import pytest

from commonweal.geo.constants import AreaKind
from commonweal.geo.exceptions import UnknownAreaError
from commonweal.geo.selectors import area_get, areas_near, postcode_areas_get, ward_list

pytestmark = pytest.mark.django_db


def test_postcode_areas_of_a_thurrock_postcode(thurrock):
    found = postcode_areas_get("RM17 6SL")
    assert found.point.latitude == pytest.approx(51.4756, abs=1e-3)
    assert found.point.longitude == pytest.approx(0.3238, abs=1e-3)
    assert found.ward.name == "Grays Riverside"
    assert found.district.code == "E06000034"
    assert found.lsoa.code == "E01015954" and found.lsoa.parent == found.msoa
    assert found.msoa.code == "E02003312"


def test_ward_list_by_district(thurrock):
    wards = list(ward_list("E06000034"))
    assert len(wards) == 20
    assert [w.name for w in wards] == sorted(w.name for w in wards)
    assert list(ward_list("E06000033")) == []
    assert len(ward_list()) == 20


def test_area_get(thurrock):
    assert area_get("e05002235").name == "Grays Riverside"
    with pytest.raises(UnknownAreaError, match="E05999999"):
        area_get("E05999999")


def test_areas_near_finds_the_ward_of_the_point_first(thurrock):
    near = areas_near(latitude=51.47555, longitude=0.323813, metres=1_500)
    assert near[0].area.name == "Grays Riverside"
    assert near[0].metres < 50
    assert all(a.metres <= 1_500 for a in near)
    assert [a.metres for a in near] == sorted(a.metres for a in near)
    far = {a.area.code for a in areas_near(latitude=51.47555, longitude=0.323813, metres=8_000)}
    assert len(far) > len(near)


def test_areas_near_lsoas(thurrock):
    near = areas_near(latitude=51.47555, longitude=0.323813, metres=200, kind=AreaKind.LSOA)
    assert near[0].area.code == "E01015954"


def test_areas_near_nothing_in_the_sea(thurrock):
    assert areas_near(latitude=50.0, longitude=-5.0, metres=1_000) == []
