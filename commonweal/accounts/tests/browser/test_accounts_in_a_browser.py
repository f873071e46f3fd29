"""A coordinator signs in with the keyboard, sets up two-factor sign-in and uses the account pages,
in a real chromium; axe-core checks each page for WCAG 2.2 AA."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.plugins.otp_totp.models import TOTPDevice

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import PASSWORD, UserFactory
from commonweal.accounts.tests.helpers import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_accessible(page, what: str) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    described = "\n".join(
        f"- {v['id']}: {v['help']} at {', '.join(n['target'][0] for n in v['nodes'][:3])}"
        for v in violations
    )
    assert not violations, f"{what} fails WCAG 2.2 AA:\n{described}"


def test_a_coordinator_signs_in_sets_up_two_factor_and_manages_tokens(live_server, page):
    coordinator = UserFactory(
        email="casey@example.org", full_name="Casey Coordinator", roles=[Role.COORDINATOR]
    )

    page.goto(f"{live_server.url}/accounts/sign-in/", wait_until="load")
    assert_accessible(page, "The sign-in page")

    # Wrong password first: the error summary names the problem.
    page.get_by_label("Email address").fill(coordinator.email)
    page.get_by_label("Password").fill("not my password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert (
        page.locator(".govuk-error-summary")
        .inner_text()
        .count("Enter a correct email address and password")
        == 1
    )
    assert_accessible(page, "The sign-in page with an error")

    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/two-factor/set-up/" in page.url
    assert page.locator("main img[src^='data:image/svg+xml']").count() == 1
    assert_accessible(page, "The two-factor set-up page")

    device = TOTPDevice.objects.get(user=coordinator)
    page.get_by_label("Code from your authenticator app").fill(totp_code(device))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Your account"
    assert "Coordinator" in page.locator("main").inner_text()
    assert_accessible(page, "Your account")

    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name of the token").fill("Ward dashboard")
    with page.expect_navigation():
        page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-token").input_value()
    assert token.startswith("cw_")
    assert_accessible(page, "The API tokens page showing a new token")

    page.goto(f"{live_server.url}/accounts/profile/", wait_until="load")
    page.get_by_label("Phone number (optional)").fill("call me maybe")
    with page.expect_navigation():
        page.get_by_role("button", name="Save your profile").click()
    assert "Enter a phone number" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "The profile page with an error")
