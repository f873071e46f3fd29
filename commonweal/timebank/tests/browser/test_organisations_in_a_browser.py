"""A school's group rep in a real chromium records that a member helped the school, and sees the
balance move; a broker sets a member's restrictions. axe-core checks both pages for WCAG 2.2 AA."""

from __future__ import annotations

import pytest

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.timebank.membership import organisation_account_add, timebank_create
from commonweal.timebank.tests.browser.test_members_in_a_browser import (
    assert_accessible,
    balance_text,
    open_page,
    sign_in,
    sign_out,
)
from commonweal.timebank.tests.factories import broker_of, member_with_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_group_rep_records_help_for_the_school_and_a_broker_sets_restrictions(
    live_server, page, settings
):
    settings.COMMONWEAL_REQUIRE_STAFF_2FA = False
    site = live_server
    timebank = timebank_create(
        actor=None,
        name="Thurrock Timebank",
        slug="thurrock",
        organisation=OrganisationFactory(name="Thurrock CVS"),
        group_activities_first=0,
    )
    broker = broker_of(timebank)
    school = OrganisationFactory(name="Chadwell Primary")
    account = organisation_account_add(actor=broker, timebank=timebank, organisation=school)
    rep = UserFactory(email="head@example.org", roles=[Role.GROUP_REP], roles__organisation=school)
    nadia = member_with_account(
        timebank, display_name="Nadia", user=UserFactory(email="nadia@example.org")
    )

    sign_in(page, site.url, rep.email)
    open_page(page, f"{site.url}/timebank/thurrock/organisations/{account.public_id}/")
    assert balance_text(page) == "0 minutes"
    assert_accessible(page, "The organisation's account")
    page.get_by_label("A member helped the organisation").check()
    page.get_by_label("Which member?").select_option(label="Nadia")
    page.get_by_label("Hours").fill("3")
    page.get_by_label("What was the help?").fill("Cleared the school allotment")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the exchange").click()
    assert balance_text(page) == "minus 3 hours"
    assert "Cleared the school allotment" in page.locator("table").inner_text()
    sign_out(page)

    sign_in(page, site.url, broker.email)
    open_page(page, f"{site.url}/timebank/thurrock/broker/members/{nadia.public_id}/restrictions/")
    assert_accessible(page, "The restrictions form")
    page.get_by_label("No home visits").check()
    page.get_by_label("Why, and what was agreed").fill("Agreed at induction: meets at the hub.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the restrictions").click()
    assert "No home visits" in page.locator("main").inner_text()
