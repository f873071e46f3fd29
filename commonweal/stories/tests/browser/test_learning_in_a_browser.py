"""Staff in a real chromium: an analyst keeps a golden nugget and reads whose voices against ward
populations; an organiser turns an issue into an action. axe-core checks each page for WCAG 2.2 AA."""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import PASSWORD, OrganisationFactory, UserFactory
from commonweal.geo.tests.factories import AreaFactory
from commonweal.stories import listening
from commonweal.stories.population import population_import
from commonweal.stories.tests.factories import published_story

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


def sign_in(page, url: str, email: str) -> None:
    page.goto(f"{url}/accounts/sign-in/", wait_until="load")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_an_analyst_keeps_a_nugget_and_reads_whose_voices(live_server, page):
    aveley = AreaFactory(code="E05002221", name="Aveley and Uplands")
    AreaFactory(code="E05002240", name="Tilbury Riverside")
    population_import(actor=None, text="ward code,population\nE05002221,10000\nE05002240,20000\n")
    story = published_story(ward=aveley, title="The lunch club")
    for n in range(5):
        published_story(ward=aveley, title=f"Another {n}")
    UserFactory(email="ana@example.org", roles=[Role.ANALYST])
    sign_in(page, live_server.url, "ana@example.org")

    page.goto(f"{live_server.url}/stories/nuggets/{story.public_id}/", wait_until="load")
    assert_accessible(page, "The golden nugget form")
    page.get_by_role("button", name="Keep as a golden nugget").click()
    page.wait_for_load_state("load")
    assert "Write a note" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Why is this story a golden nugget?").fill("Peer support after loss.")
    page.get_by_role("button", name="Keep as a golden nugget").click()
    page.wait_for_url("**/stories/nuggets/")
    assert "Peer support after loss." in page.locator("table").inner_text()
    assert_accessible(page, "The golden nuggets list")

    page.goto(f"{live_server.url}/stories/patterns/#against-population", wait_until="load")
    table = page.get_by_role("table", name="Stories and people by ward, biggest gap first")
    assert "Tilbury Riverside" in table.inner_text() and "Gap" in table.inner_text()
    assert_accessible(page, "The patterns page with whose voices")


def test_an_organiser_turns_an_issue_into_an_action(live_server, page):
    team = OrganisationFactory(name="Thurrock Community Organisers")
    organiser = UserFactory(
        email="olu@example.org", roles=[Role.COORDINATOR], roles__organisation=team
    )
    categories = {c.slug: c for c in listening.issue_categories_ensure()}
    listening.listening_record_create(
        actor=organiser,
        draft=listening.ListeningDraft(
            team=team,
            conversation_on=datetime.date(2026, 3, 14),
            issues="The buses stop at 7pm.",
            energy="high",
            street="Orsett Road",
            categories=[categories["transport-and-getting-about"]],
        ),
    )
    sign_in(page, live_server.url, "olu@example.org")
    page.goto(f"{live_server.url}/stories/listening/", wait_until="load")
    page.get_by_role("link", name="Turn into an action").first.click()
    page.wait_for_load_state("load")
    assert_accessible(page, "The new action form")
    page.get_by_label("Name of the action").fill("Lift share to the evening classes")
    page.get_by_label("What will be done?").fill("Ask the college and neighbours who drive.")
    page.get_by_label("Who leads it?").fill("Priya")
    page.get_by_role("button", name="Make the action").click()
    page.wait_for_load_state("load")
    assert "The buses stop at 7pm." in page.inner_text("main")
    assert_accessible(page, "An action")
    page.get_by_label("Status").select_option("doing")
    page.get_by_role("button", name="Change the status").click()
    page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/stories/listening/actions/", wait_until="load")
    doing = page.locator("#status-doing + table")
    assert "Lift share to the evening classes" in doing.inner_text()
    assert_accessible(page, "The actions list")
