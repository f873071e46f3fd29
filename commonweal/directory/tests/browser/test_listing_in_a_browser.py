"""A listing page in a real chromium: copying the share link and keeping a shortlist, by keyboard."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import open_page
from tests.browser.directory_examples import EXAMPLE_LISTING_ID, example_listing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTING = f"/directory/services/{EXAMPLE_LISTING_ID}/"

FOCUSED_TEXT = "() => (document.activeElement.textContent || '').trim().replace(/\\s+/g, ' ')"


@pytest.fixture
def listing_site(live_server):
    example_listing()
    return live_server


def press_tab_until(page, text: str, limit: int = 80) -> None:
    """Tab through the page, as a keyboard user does, until the focused element's text starts with ``text``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_TEXT).startswith(text):
            return
    raise AssertionError(f"Tab never reached {text!r}")


def test_the_copy_button_copies_the_full_link_and_says_so(listing_site, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=listing_site.url)
    open_page(page, listing_site.url + LISTING)

    field = page.get_by_label("Link to this page")
    assert field.input_value() == listing_site.url + LISTING
    assert field.get_attribute("readonly") is not None

    press_tab_until(page, "Copy link")
    page.keyboard.press("Enter")
    toast = page.locator("#cw-toasts")
    toast.get_by_text("Link copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == listing_site.url + LISTING
    # Email and the device's own share sheet are offered too.
    assert (
        page.get_by_role("link", name="Email this to someone")
        .get_attribute("href")
        .startswith("mailto:?subject=")
    )


def test_without_scripts_the_link_is_still_there_and_the_copy_button_is_not(listing_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(listing_site.url + LISTING, wait_until="load")
    assert page.get_by_label("Link to this page").input_value() == listing_site.url + LISTING
    assert not page.get_by_role("button", name="Copy link").is_visible()
    context.close()


def test_a_keyboard_user_adds_and_removes_the_listing_from_the_shortlist(listing_site, page):
    open_page(page, listing_site.url + LISTING)

    press_tab_until(page, "Add to shortlist")
    page.keyboard.press("Enter")
    page.locator("#cw-toasts").get_by_text(re.compile("Added .* to your shortlist")).wait_for()
    remove = page.get_by_role("button", name=re.compile("^Remove from shortlist"))
    remove.wait_for()
    # Focus stays on the button that took the place of the one pressed.
    page.wait_for_function("document.activeElement.id.startsWith('shortlist-button-')")
    assert page.evaluate(FOCUSED_TEXT).startswith("Remove from shortlist")

    open_page(page, listing_site.url + "/directory/shortlist/")
    assert page.get_by_role("link", name="Riverside Family Play (example)").is_visible()

    open_page(page, listing_site.url + LISTING)
    press_tab_until(page, "Remove from shortlist")
    page.keyboard.press(" ")
    page.get_by_role("button", name=re.compile("^Add to shortlist")).wait_for()

    open_page(page, listing_site.url + "/directory/shortlist/")
    assert page.get_by_text("Your shortlist is empty").is_visible()


def test_the_printable_version_has_the_listing_and_no_navigation(listing_site, page):
    open_page(page, listing_site.url + LISTING + "print/")
    assert page.get_by_role("heading", level=1).inner_text() == "Riverside Family Play (example)"
    assert page.locator("#cw-navigation").count() == 0
    assert page.get_by_role("button", name="Print this page").is_visible()
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Print this page").is_visible()
    assert page.get_by_text("2nd Monday of the month, 10am to 12 noon").is_visible()
