"""Distance searches keep every other filter, and cost the same few queries however many venues match."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commonweal.directory import selectors
from commonweal.directory.constants import Publication
from commonweal.directory.tests.factories import (
    LocationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db

GRAYS = (51.4760, 0.3250)


def _venue(name, lat, lon, **service_fields):
    location = LocationFactory(latitude=Decimal(str(lat)), longitude=Decimal(str(lon)))
    return ServiceAtLocationFactory(
        service=ServiceFactory(name=name, description=f"{name} (example).", **service_fields),
        location=location,
    )


def _near(metres=3000, **filters):
    venues = selectors.service_at_location_list(**filters)
    return selectors.service_at_locations_near(
        venues, latitude=GRAYS[0], longitude=GRAYS[1], metres=metres
    )


def test_near_keeps_the_other_filters_and_orders_by_distance():
    coffee_near = _venue("Coffee morning", 51.4770, 0.3260)
    coffee_nearer = _venue("Coffee club", 51.4762, 0.3252)
    _venue("Walking group", 51.4765, 0.3255)
    _venue("Coffee draft", 51.4761, 0.3251, publication=Publication.DRAFT)
    _venue("Coffee far away", 51.60, 0.60)
    found = _near(search="coffee")
    assert [pk for pk, _ in found] == [coffee_nearer.pk, coffee_near.pk]
    assert found[0][1] < found[1][1] < 3000
    assert len(_near()) == 3


def test_near_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    for number in range(30):
        _venue(f"Lunch club {number}", GRAYS[0] + number * 0.0003, GRAYS[1])
    with django_assert_max_num_queries(3):
        found = _near()
    assert len(found) == 30
    distances = [distance for _, distance in found]
    assert distances == sorted(distances)
