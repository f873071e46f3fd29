from __future__ import annotations

from decimal import Decimal

import pytest

from commonweal.geo.exceptions import InvalidPostcodeError, UnknownPostcodeError
from commonweal.geo.models import LocatedModel
from commonweal.geo.services import located_model_fill_from_postcode

pytestmark = pytest.mark.django_db


class Place(LocatedModel):
    class Meta:
        app_label = "geo"
        managed = False


def test_fills_point_ward_and_lsoa(thurrock):
    place = located_model_fill_from_postcode(instance=Place(), postcode="rm17 6sl")
    assert place.postcode == "RM176SL"
    assert place.latitude == Decimal("51.475550")
    assert place.longitude == Decimal("0.323813")
    assert place.ward.code == "E05002235" and place.ward.name == "Grays Riverside"
    assert place.lsoa.code == "E01015954"


@pytest.mark.parametrize(
    ("postcode", "error"), [("nonsense", InvalidPostcodeError), ("RM17 6ZZ", UnknownPostcodeError)]
)
def test_errors_leave_the_instance_unchanged(thurrock, postcode, error):
    place = Place(postcode="RM176SL", latitude=Decimal("51.1"), longitude=Decimal("0.1"))
    with pytest.raises(error):
        located_model_fill_from_postcode(instance=place, postcode=postcode)
    assert (place.postcode, place.latitude, place.ward) == ("RM176SL", Decimal("51.1"), None)
