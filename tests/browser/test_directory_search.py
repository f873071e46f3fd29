"""Searching the directory in a real browser: a keyword and a postcode, then the map of the results."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.browser.conftest import open_page

pytestmark = pytest.mark.browser


@pytest.fixture
def listings(site):
    from commonweal.directory.tests.factories import (
        LocationFactory,
        ServiceAtLocationFactory,
        ServiceFactory,
    )
    from commonweal.geo.models import Postcode

    Postcode.objects.create(postcode="RM176SL", latitude=51.4760, longitude=0.3250)
    for number, (lat, lon) in enumerate([(51.4765, 0.3255), (51.4790, 0.3300), (51.4700, 0.3200)]):
        location = LocationFactory(
            name=f"Hall {number}", latitude=Decimal(str(lat)), longitude=Decimal(str(lon))
        )
        ServiceAtLocationFactory(
            service=ServiceFactory(name=f"Youth club {number}"), location=location
        )
    far = LocationFactory(name="Far hall", latitude=Decimal("51.70"), longitude=Decimal("0.70"))
    ServiceAtLocationFactory(service=ServiceFactory(name="Youth club far away"), location=far)
    ServiceFactory(name="Lunch club")
    return site


def test_search_by_keyword_and_postcode_then_see_the_same_places_on_the_map(listings, page):
    open_page(page, listings.url + "/directory/")
    page.get_by_label("What are you looking for?").fill("youth")
    page.get_by_label("Postcode").fill("RM17 6SL")
    page.get_by_label("Distance").select_option("3")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_load_state("load")

    assert "3 results near RM17 6SL" in page.locator("#result-count").inner_text()
    listed = page.locator("#results-list > li")
    assert listed.count() == 3
    assert "Youth club far away" not in page.locator("#results-list").inner_text()

    page.get_by_role("link", name="Map", exact=True).click()
    # A selector, not a JavaScript expression: the page's Content Security Policy forbids eval.
    page.locator("[data-cw-map][data-cw-map-ready]").wait_for()
    drawn = int(page.locator("[data-cw-map]").get_attribute("data-cw-map-ready"))
    places = page.locator("#results-map-list > li").count()
    assert drawn == places == 3
    assert page.locator(".leaflet-interactive").count() == 3
