"""Two neighbours in a real chromium: one records the help she received, the other confirms it, and
both balances change. axe-core checks the dashboard for WCAG 2.2 AA."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from commonweal.accounts.tests.factories import PASSWORD, OrganisationFactory, UserFactory
from commonweal.timebank.constants import ConfirmationPolicy
from commonweal.timebank.membership import timebank_create
from commonweal.timebank.tests.factories import CategoryFactory, member_with_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def open_page(page, url: str) -> None:
    page.goto(url, wait_until="load")


def assert_accessible(page, what: str) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    described = "\n".join(
        f"- {v['id']}: {v['help']} at {', '.join(n['target'][0] for n in v['nodes'][:3])}"
        for v in violations
    )
    assert not violations, f"{what} fails WCAG 2.2 AA:\n{described}"


def sign_in(page, url: str, email: str) -> None:
    open_page(page, f"{url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def sign_out(page) -> None:
    page.context.clear_cookies()


def balance_text(page) -> str:
    return page.locator("#balance [data-balance-minutes]").inner_text().strip()


def test_a_member_records_help_and_the_helper_confirms_it(live_server, page):
    site = live_server
    timebank = timebank_create(
        actor=None,
        name="Thurrock Timebank",
        slug="thurrock",
        organisation=OrganisationFactory(name="Thurrock CVS"),
        confirmation_policy=ConfirmationPolicy.BOTH,
        group_activities_first=0,
    )
    CategoryFactory(name="Gardening", slug="gardening")
    rita = member_with_account(
        timebank, display_name="Rita", user=UserFactory(email="rita@example.org")
    )
    member_with_account(
        timebank, display_name="Hassan", user=UserFactory(email="hassan@example.org")
    )
    dashboard = f"{site.url}/timebank/dashboard/"

    sign_in(page, site.url, rita.user.email)
    open_page(page, dashboard)
    assert balance_text(page) == "0 minutes"
    assert_accessible(page, "The member dashboard")

    # A mistake first: no description. The form says so and keeps what she chose.
    page.get_by_label("Who helped you?").select_option(label="Hassan")
    page.get_by_label("Hours").fill("2")
    page.get_by_label("Minutes").select_option("30")
    page.get_by_label("Kind of help").select_option(label="Gardening")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the exchange").click()
    assert "Say what the help was" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Hours").input_value() == "2"
    assert page.get_by_label("Minutes").input_value() == "30"
    assert_accessible(page, "The member dashboard with an error")

    page.get_by_label("What was the help?").fill("Cleared the back garden")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the exchange").click()
    assert "once the other person confirms it" in page.content()
    assert balance_text(page) == "0 minutes"  # it does not count until Hassan confirms

    sign_out(page)
    sign_in(page, site.url, "hassan@example.org")
    open_page(page, dashboard)
    card = page.locator("#to-confirm + p + .cw-card")
    assert "you gave 2 hours 30 minutes to Rita" in card.inner_text()
    with page.expect_navigation():
        card.get_by_role("button", name="Confirm").click()
    assert balance_text(page) == "2 hours 30 minutes"
    assert "Cleared the back garden" in page.locator(".cw-statement").inner_text()

    sign_out(page)
    sign_in(page, site.url, rita.user.email)
    open_page(page, dashboard)
    assert balance_text(page) == "minus 2 hours 30 minutes"
