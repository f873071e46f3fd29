"""The asset map in a real chromium: it draws one marker per listed place that has a point, each
marker carries its type's letter, and the populated public pages pass axe-core's WCAG 2.2 AA rules."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from commonweal.directory.tests.assets.factories import place
from commonweal.directory.tests.factories import OrganizationFactory, ServiceFactory
from tests.browser.conftest import WCAG_TAGS, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page, what: str) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    described = "\n".join(
        f"- {v['id']}: {v['help']} at {', '.join(n['target'][0] for n in v['nodes'][:3])}"
        for v in violations
    )
    assert not violations, f"{what} fails WCAG 2.2 AA:\n{described}"


def test_the_asset_map_draws_as_many_points_as_its_list(live_server, page, borough):
    for n in range(4):
        place(
            ward=borough.tilbury,
            name=f"Tilbury hall {n}",
            meeting=True,
            services=(ServiceFactory(name=f"Tilbury lunch club {n}"),),
            # Far enough apart at the map's zoom for each marker to be its own 24px target.
            point=(f"{51.40 + 0.02 * n:.6f}", f"{0.30 + 0.05 * n:.6f}"),
        )

    open_page(page, live_server.url + "/directory/assets/")
    page.wait_for_selector("[data-cw-map-ready]")
    drawn = int(page.locator("#asset-map").get_attribute("data-cw-map-ready"))
    listed = page.locator("[data-cw-place]").count()
    on_map = page.locator("[data-cw-place-on-map]").count()
    assert listed == 7  # three from the borough, four halls; the masked refuge never
    # The club room has no point: it is listed, and the page says it is not on the map.
    assert drawn == on_map == 6
    assert page.locator("#asset-map .cw-map__symbol").count() == drawn
    assert sorted(page.locator("#asset-map .cw-map__symbol").all_inner_texts()) == [
        "C",
        "M",
        "M",
        "M",
        "M",
        "P",
    ]
    assert_accessible(page, "The asset map")

    # Filtering to one ward redraws the map with that ward's places only.
    page.get_by_label("Ward").select_option(label="Tilbury Riverside")
    with page.expect_navigation():
        page.get_by_role("button", name="Show places").click()
    page.wait_for_selector("[data-cw-map-ready]")
    assert page.locator("#asset-map").get_attribute("data-cw-map-ready") == "4"
    assert page.locator("[data-cw-place]").count() == 4


@pytest.mark.parametrize(
    ("path", "what"),
    [("/directory/wards/", "Ward counts"), ("/directory/wards/matrix/", "The ward matrix")],
)
def test_populated_ward_pages_are_accessible(live_server, page, borough, path, what):
    open_page(page, live_server.url + path)
    assert_accessible(page, what)


def test_a_ward_page_is_accessible(live_server, page, borough):
    open_page(page, live_server.url + f"/directory/wards/{borough.grays.code}/")
    page.wait_for_selector("[data-cw-map-ready]")
    assert page.locator("#ward-map").get_attribute("data-cw-map-ready") == "1"
    assert_accessible(page, "A ward's page")


def test_many_places_close_together_are_grouped_until_the_map_is_zoomed_in(
    live_server, page, borough
):
    owner = OrganizationFactory(name="Thurrock halls trust")
    for n in range(45):
        place(
            ward=borough.grays,
            name=f"Grays room {n}",
            meeting=True,
            organization=owner,
            # A street's worth of places: at the borough's zoom they would hide one another.
            point=(f"{51.4800 + 0.0002 * (n % 9):.6f}", f"{0.3300 + 0.0002 * (n // 9):.6f}"),
        )
        place(
            ward=borough.tilbury,
            name=f"Tilbury room {n}",
            meeting=True,
            organization=owner,
            point=(f"{51.4600 + 0.0002 * (n % 9):.6f}", f"{0.3700 + 0.0002 * (n // 9):.6f}"),
        )

    open_page(page, live_server.url + "/directory/assets/")
    page.wait_for_selector("[data-cw-map-ready]")
    the_map = page.locator("#asset-map")
    drawn = int(the_map.get_attribute("data-cw-map-ready"))
    assert drawn == page.locator("[data-cw-place-on-map]").count() > 90
    assert the_map.get_attribute("data-cw-map-clustered") == "true"
    groups = the_map.locator(".marker-cluster")
    assert groups.count() >= 1
    # Each group says how many places it holds; together they hold every place not drawn alone.
    alone = the_map.locator(".cw-map__symbol").count()
    assert sum(int(text) for text in groups.all_inner_texts()) + alone == drawn
    assert_accessible(page, "The asset map with grouped places")

    # Zooming in far enough draws the places one by one.
    page.evaluate("document.querySelector('#asset-map').cwMap.setView([51.4808, 0.3308], 19)")
    page.wait_for_selector("#asset-map .cw-map__symbol >> nth=19")
