"""The asset map in a real chromium: it draws one marker per listed place that has a point, each
marker carries its type's letter, and the populated public pages pass axe-core's WCAG 2.2 AA rules."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from commonweal.directory.tests.assets.factories import place
from commonweal.directory.tests.factories import ServiceFactory
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
