"""A gatherer at an event records a story on a phone that loses its signal: the draft survives a
reload, is kept while offline, is sent when the connection returns, and a second send of the same
draft makes no duplicate. axe-core checks the pages for WCAG 2.2 AA."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import PASSWORD, UserFactory
from commonweal.geo.tests.factories import AreaFactory
from commonweal.outcomes.services import outcome_framework_ensure_default
from commonweal.stories.constants import CollectionMethod
from commonweal.stories.models import Story
from commonweal.stories.tests.factories import collection_with_signifiers, published_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
OUTBOX = "commonweal:stories:outbox"


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


def triad_numbers(page) -> list[int]:
    return [
        int(value or 0)
        for value in page.locator("[data-cw-triad-value]").evaluate_all(
            "els => els.map(e => e.value)"
        )
    ]


def test_a_story_recorded_offline_is_sent_once_when_the_phone_is_back_online(live_server, page):
    outcome_framework_ensure_default()
    AreaFactory(name="Tilbury Riverside and Thurrock Park")
    collection = collection_with_signifiers()
    gatherer = UserFactory(email="gatherer@example.org", roles=[Role.VOLUNTEER])
    sign_in(page, live_server.url, gatherer.email)
    page.goto(f"{live_server.url}/stories/gather/{collection.slug}/", wait_until="load")
    assert_accessible(page, "The gatherer's form")

    # The draft survives a reload.
    page.get_by_label("Give your story a short title").fill("The knitting circle")
    page.get_by_label("Your story", exact=True).fill(
        "I came for the wool and stayed for the people. Now I teach."
    )
    page.reload(wait_until="load")
    assert page.get_by_label("Give your story a short title").input_value() == "The knitting circle"

    # The triangle: a tap sets the three numbers, the arrow keys move the point.
    svg = page.locator(".cw-triad__svg")
    box = svg.bounding_box()
    svg.click(position={"x": box["width"] / 2, "y": box["height"] * 0.2})
    tapped = triad_numbers(page)
    assert sum(tapped) == 100 and tapped[0] > tapped[1]
    svg.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    moved = triad_numbers(page)
    assert sum(moved) == 100 and moved[0] < tapped[0]
    page.get_by_label("Which ward do you live in? (optional)").select_option(
        label="Tilbury Riverside and Thurrock Park"
    )
    page.get_by_label("Publish it without my name").check()

    # The signal drops: the story is kept on the phone, and the form is ready for the next teller.
    page.context.set_offline(True)
    page.get_by_role("button", name="Send the story").click()
    status = page.locator("[data-cw-draft-status]")
    status.get_by_text("saved on this phone and will be sent", exact=False).wait_for()
    assert page.get_by_label("Give your story a short title").input_value() == ""
    saved = page.evaluate(f"() => window.localStorage.getItem('{OUTBOX}')")
    assert len(json.loads(saved)) == 1
    assert Story.objects.count() == 0

    # Back online: it is sent.
    page.context.set_offline(False)
    status.get_by_text("has now been sent", exact=False).wait_for()
    story = Story.objects.get()
    assert story.title == "The knitting circle"
    assert story.collection_method == CollectionMethod.GATHERER and story.gathered_by == gatherer
    assert story.ward.name == "Tilbury Riverside and Thurrock Park"
    assert story.answers.get(signifier__kind="triad").values == moved
    assert status.locator("[data-cw-withdraw-link]").count() == 1

    # The same draft sent again (a retry after a lost answer) makes no second story.
    page.evaluate(f"(saved) => window.localStorage.setItem('{OUTBOX}', saved)", saved)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    status.get_by_text("had already arrived", exact=False).wait_for()
    assert Story.objects.count() == 1
    assert page.evaluate(f"() => window.localStorage.getItem('{OUTBOX}')") == "[]"


def test_the_public_pages_are_accessible(live_server, page):
    outcome_framework_ensure_default()
    collection = collection_with_signifiers()
    story = published_story(title="The lunch club", collection=collection)
    page.goto(f"{live_server.url}/stories/", wait_until="load")
    assert page.get_by_role("link", name="The lunch club").is_visible()
    assert_accessible(page, "The story list")
    page.goto(f"{live_server.url}/stories/{story.public_id}/", wait_until="load")
    assert_accessible(page, "A story's page")
    page.goto(f"{live_server.url}/stories/share/{collection.slug}/", wait_until="load")
    assert_accessible(page, "The share-your-story form")
    # Without a choice, the form explains what is missing.
    page.get_by_role("button", name="Send the story").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "Write your story" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "The form with errors")


def test_drafts_the_server_will_not_take_stay_on_the_phone_each_with_its_reason(live_server, page):
    import datetime
    import uuid

    from django.utils import timezone

    from commonweal.stories.tests.factories import CollectionFactory

    outcome_framework_ensure_default()
    collection = collection_with_signifiers()
    long_closed = CollectionFactory(
        title="Summer Fair",
        is_open=False,
        closed_at=timezone.now() - datetime.timedelta(days=10),
    )
    gatherer = UserFactory(email="gatherer@example.org", roles=[Role.VOLUNTEER])
    sign_in(page, live_server.url, gatherer.email)
    page.goto(f"{live_server.url}/stories/gather/{collection.slug}/", wait_until="load")
    # The gatherer is half way through the next teller's story.
    page.get_by_label("Give your story a short title").fill("The next teller")

    def draft(title: str, text: str, slug: str) -> dict:
        return {
            "uuid": str(uuid.uuid4()),
            "action": f"{live_server.url}/stories/gather/{slug}/",
            "pairs": [
                ["title", title],
                ["text", text],
                ["consent_level", "internal"],
                ["client_uuid", str(uuid.uuid4())],
            ],
            "queuedAt": "2026-11-20T10:00:00Z",
        }

    outbox = [
        draft("No words one", "", collection.slug),
        draft("No words two", "", collection.slug),
        draft("At the summer fair", "We danced all afternoon on the green.", long_closed.slug),
    ]
    for item in outbox:
        item["pairs"][3][1] = item["uuid"]
    page.evaluate(f"(saved) => window.localStorage.setItem('{OUTBOX}', saved)", json.dumps(outbox))
    page.evaluate("() => window.dispatchEvent(new Event('online'))")

    stuck = page.locator("[data-cw-outbox-stuck]")
    stuck.get_by_text("Stories that could not be sent (3)").wait_for()
    assert Story.objects.count() == 0
    # Nothing overwrote the form, and every draft is still on the phone with its own reason.
    assert page.get_by_label("Give your story a short title").input_value() == "The next teller"
    kept = json.loads(page.evaluate(f"() => window.localStorage.getItem('{OUTBOX}')"))
    assert [item["uuid"] for item in kept] == [item["uuid"] for item in outbox]
    reasons = {
        page.locator(f"[data-cw-outbox-item='{item['uuid']}'] [data-cw-outbox-reason]").inner_text()
        for item in outbox
    }
    assert any("Write your story" in reason for reason in reasons)
    assert any("Summer Fair" in reason and "closed" in reason for reason in reasons)
    assert not any("sign in" in reason for reason in reasons)
    assert_accessible(page, "The list of stories that could not be sent")

    # A draft goes back into the form only once the form is free, and then leaves the list.
    first = page.locator(f"[data-cw-outbox-item='{outbox[0]['uuid']}']")
    first.get_by_role("button", name="Put back in the form").click()
    page.get_by_text("Send or clear the story in the form first", exact=False).wait_for()
    page.get_by_label("Give your story a short title").fill("")
    first.get_by_role("button", name="Put back in the form").click()
    stuck.get_by_text("Stories that could not be sent (2)").wait_for()
    assert page.get_by_label("Give your story a short title").input_value() == "No words one"

    # The story for the closed collection can be removed from the phone after a confirmation.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"[data-cw-outbox-item='{outbox[2]['uuid']}']").get_by_role(
        "button", name="Remove from this phone"
    ).click()
    stuck.get_by_text("Stories that could not be sent (1)").wait_for()
    kept = json.loads(page.evaluate(f"() => window.localStorage.getItem('{OUTBOX}')"))
    assert [item["uuid"] for item in kept] == [outbox[1]["uuid"]]
