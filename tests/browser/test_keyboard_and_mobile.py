"""The layout with a keyboard only, and on a phone-sized screen."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import open_page

pytestmark = pytest.mark.browser

NAV_ITEMS = "#cw-navigation a, #cw-navigation button"
# The items every visitor who is not signed in sees, in this order (apps add theirs in between).
EXPECTED_NAV_IN_ORDER = ["Home", "Outcomes", "Data sources", "Sign in"]

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    href: el.getAttribute('href'),
    text: (el.textContent || '').trim().replace(/\\s+/g, ' '),
    inNav: !!el.closest('#cw-navigation'),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineColor: style.outlineColor,
    boxShadow: style.boxShadow,
  };
}"""


def has_visible_focus_indicator(focused: dict) -> bool:
    outline = (
        focused["outlineStyle"] not in ("none", "")
        and focused["outlineWidth"] > 0
        and focused["outlineColor"] not in ("transparent", "rgba(0, 0, 0, 0)")
    )
    shadow = focused["boxShadow"] not in ("none", "")
    return outline or shadow


def test_first_tab_reaches_the_skip_link_and_enter_moves_focus_to_main(site, page):
    open_page(page, site.url + "/")

    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["href"] == "#main-content"
    assert focused["text"] == "Skip to main content"
    assert page.locator(".govuk-skip-link").is_visible()
    assert has_visible_focus_indicator(focused), focused

    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main-content'")
    assert page.evaluate(FOCUSED)["tag"] == "main"


def test_tab_walks_the_navigation_in_order_with_visible_focus_and_enter_follows_a_link(site, page):
    open_page(page, site.url + "/")
    nav_labels = [label.strip() for label in page.locator(NAV_ITEMS).all_inner_texts()]
    assert [
        label for label in nav_labels if label in EXPECTED_NAV_IN_ORDER
    ] == EXPECTED_NAV_IN_ORDER

    reached: list[str] = []
    for _ in range(len(nav_labels) + 10):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if not focused["inNav"]:
            if reached:
                break  # walked past the navigation
            continue
        assert has_visible_focus_indicator(focused), (
            f"no visible focus on {focused['text']!r}: {focused}"
        )
        reached.append(focused["text"])
        if focused["text"] == "Data sources":
            data_sources_reached_at = len(reached)
    assert reached == nav_labels

    # Back to "Data sources" with Shift+Tab, then follow it with Enter.
    for _ in range(len(reached) - data_sources_reached_at + 1):
        page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED)["text"] == "Data sources"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    assert page.url == site.url + "/data"
    current = page.locator("#cw-navigation [aria-current='page']")
    assert current.inner_text().strip() == "Data sources"


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, locale="en-GB", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_navigation_is_usable_on_a_phone(site, phone_page):
    page = phone_page
    open_page(page, site.url + "/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the page scrolls sideways"
    toggle = page.get_by_role("button", name="Menu")
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    data_sources = page.locator("#cw-navigation").get_by_role("link", name="Data sources")
    assert not data_sources.is_visible()

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    for label in EXPECTED_NAV_IN_ORDER:
        item = page.locator(NAV_ITEMS).filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
        assert item.is_visible(), f"{label} is not visible once the menu is open"
        box = item.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, (
            f"{label} is off screen"
        )
        assert box["height"] >= 24, f"{label} is too small a target to tap"

    data_sources.click()
    page.wait_for_url(re.compile(r"/data$"))
    page.wait_for_load_state("load")
    assert page.locator("h1").first.is_visible()


def test_menu_opens_and_closes_with_the_keyboard_on_a_phone(site, phone_page):
    page = phone_page
    open_page(page, site.url + "/")
    toggle = page.get_by_role("button", name="Menu")
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Home"
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#cw-navigation").is_visible()
