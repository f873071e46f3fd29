"""A group representative changes a listing and a moderator approves it, in a real chromium: the
public directory then shows the change. axe-core checks the edit form and the moderator's diff."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.plugins.otp_totp.models import TOTPDevice

from commonweal.accounts.tests.factories import PASSWORD
from commonweal.accounts.tests.helpers import totp_code
from commonweal.directory.tests.moderation_helpers import group_with_listing, moderator

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


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/sign-in/", wait_until="load")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_a_rep_edits_a_listing_a_moderator_approves_it_and_the_public_sees_it(
    live_server, browser, page
):
    group = group_with_listing()
    service = group.service
    champion = moderator(email="morgan@example.org")
    device = TOTPDevice.objects.create(user=champion, name="Authenticator app", confirmed=True)

    # The group representative proposes a change.
    sign_in(page, live_server.url, group.rep.email)
    page.goto(f"{live_server.url}/directory/manage/", wait_until="load")
    assert page.locator("h1").inner_text() == "Your listings"
    page.get_by_role("link", name=f"Edit {service.name}").click()
    page.wait_for_load_state("load")
    assert_accessible(page, "The listing edit form")
    page.get_by_label("Name", exact=True).fill("Grays Knit and Natter Circle")
    page.get_by_label("Fees and costs (optional)").fill("Free, tea 50p")
    page.get_by_label("Hearing loop").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send changes for checking").click()
    assert "waiting for a moderator" in page.locator("main").inner_text()
    assert "1 change waiting" in page.locator("main").inner_text()

    # Nothing is public yet.
    before = page.goto(f"{live_server.url}/api/oruk/services/{service.public_id}")
    assert json.loads(before.text())["name"] == "Grays Knit and Natter"

    # The moderator, in another browser session, approves it.
    moderator_page = browser.new_context(locale="en-GB").new_page()
    sign_in(moderator_page, live_server.url, champion.email)
    moderator_page.get_by_label("Code from your authenticator app").fill(totp_code(device))
    with moderator_page.expect_navigation():
        moderator_page.keyboard.press("Enter")
    moderator_page.goto(f"{live_server.url}/directory/moderation/", wait_until="load")
    moderator_page.get_by_role("link", name=service.name).click()
    moderator_page.wait_for_load_state("load")
    table = moderator_page.get_by_role("table")
    assert "Grays Knit and Natter Circle" in table.inner_text()
    assert "Hearing loop" in table.inner_text()
    assert_accessible(moderator_page, "The moderator's view of a change")
    moderator_page.get_by_label("Approve").check()
    with moderator_page.expect_navigation():
        moderator_page.get_by_role("button", name="Save decision").click()
    assert "No changes are waiting." in moderator_page.locator("main").inner_text()
    moderator_page.context.close()

    # The public directory shows the change.
    after = page.goto(f"{live_server.url}/api/oruk/services/{service.public_id}")
    published = json.loads(after.text())
    assert published["name"] == "Grays Knit and Natter Circle"
    assert published["fees"] == "Free, tea 50p"
