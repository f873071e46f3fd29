"""A member posts a need in a real chromium and sees a neighbour's matching offer suggested."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from commonweal.timebank.constants import GiftType, PostKind
from commonweal.timebank.tests.factories import (
    CategoryFactory,
    GiftPostFactory,
    MemberFactory,
    TimebankFactory,
)
from tests.browser.conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_a_member_posts_a_need_and_sees_a_matching_offer(live_server, page):
    bank = TimebankFactory()
    garden = CategoryFactory(name="Gardening")
    GiftPostFactory(
        member=MemberFactory(timebank=bank),
        kind=PostKind.OFFER,
        title="Happy to dig and weed",
        category=garden,
        gift_type=GiftType.HANDS,
    )
    member = MemberFactory(timebank=bank)
    sign_in(page, live_server, member.user)

    open_page(page, live_server.url + "/timebank/gift-board/")
    page.get_by_role("link", name="Ask for help").click()
    page.get_by_label("In a few words, what is it?").fill("My garden is overgrown")
    page.get_by_label("What kind of help or item is it?").select_option(label="Gardening")
    page.get_by_label("Hands: something I can do").check()
    page.get_by_label("Saturday").check()
    page.get_by_role("button", name="Put it on the board").click()

    page.get_by_role("heading", name="My garden is overgrown").wait_for()
    suggestions = page.locator("#suggestions")
    assert suggestions.get_by_role("link", name="Happy to dig and weed").is_visible()
    assert "Same kind of help" in suggestions.inner_text()
