"""A broker signs in and reads the funders' report in a real chromium: axe-core finds nothing to fix,
the chart is announced with its title, and the tables scroll with the keyboard on a phone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from commonweal.accounts.tests.factories import PASSWORD
from commonweal.timebank.tests.reports.conftest import PERIOD
from tests.browser.conftest import WCAG_TAGS, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/sign-in/", wait_until="load")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("viewport", [(1280, 900), (375, 740)], ids=["desktop", "phone"])
def test_the_report_is_accessible_to_a_signed_in_broker(live_server, page, ledger, viewport):
    site = live_server
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    sign_in(page, site.url, ledger.broker.email)
    query = f"?start={PERIOD['start']}&end={PERIOD['end']}"
    response = open_page(page, f"{site.url}/timebank/reports/thurrock/{query}")
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "Report for funders"

    chart = page.get_by_role("img", name="Hours exchanged by month")
    assert chart.is_visible()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    assert not violations, "\n".join(f"{v['id']}: {v['help']}" for v in violations)

    # Each table's scrolling region can be reached with the keyboard.
    region = page.get_by_role("region", name="By ward")
    region.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-labelledby')") == (
        "table-ward-heading"
    )
