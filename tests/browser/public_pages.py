"""Every page anyone can open without signing in: the one list the browser checks walk.

Each app adds its own public pages here when it adds them, for example::

    PUBLIC_PAGES += [PublicPage("Directory search", "/directory/")]

The accessibility check (test_accessibility.py) runs axe-core on each of them. A page that shows
records names a ``setup`` function (a dotted path) that makes them first, in the test's database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.module_loading import import_string

from tests.browser.directory_examples import EXAMPLE_LISTING_ID, EXAMPLE_WARD_CODE
from tests.browser.giftboard_examples import EXAMPLE_GIFT_POST_ID


@dataclass(frozen=True)
class PublicPage:
    name: str
    path: str
    status: int = 200
    setup: str = ""

    def prepare(self) -> None:
        """Make the records the page shows, if it shows any."""
        if self.setup:
            import_string(self.setup)()


PUBLIC_PAGES: list[PublicPage] = [
    PublicPage("Home", "/"),
    PublicPage("Accessibility statement", "/accessibility"),
    PublicPage("Privacy notice", "/privacy"),
    PublicPage("Cookies", "/cookies"),
    PublicPage("Data sources and attributions", "/data"),
    PublicPage("Outcomes", "/outcomes/"),
    PublicPage("Directory search", "/directory/"),
    PublicPage("Directory search results on a map", "/directory/?q=club&view=map"),
    PublicPage("Sign in", "/accounts/sign-in/"),
    PublicPage("Community assets and places to meet", "/directory/assets/"),
    PublicPage("Places and activities by ward", "/directory/wards/"),
    PublicPage("Initiatives by ward", "/directory/wards/matrix/"),
    PublicPage("Page not found", "/this-page-does-not-exist", status=404),
]

_LISTING = "tests.browser.directory_examples.example_listing"
PUBLIC_PAGES += [
    PublicPage("Directory listing", f"/directory/services/{EXAMPLE_LISTING_ID}/", setup=_LISTING),
    PublicPage(
        "Directory listing, printable",
        f"/directory/services/{EXAMPLE_LISTING_ID}/print/",
        setup=_LISTING,
    ),
    PublicPage(
        "Report a problem with a listing",
        f"/directory/services/{EXAMPLE_LISTING_ID}/report-a-problem/",
        setup=_LISTING,
    ),
    PublicPage("Directory shortlist (empty)", "/directory/shortlist/"),
    PublicPage(
        "Directory shortlist (shared)",
        f"/directory/shortlist/?ids={EXAMPLE_LISTING_ID}",
        setup=_LISTING,
    ),
    PublicPage(
        "Directory widget generator",
        f"/directory/widget/?ward={EXAMPLE_WARD_CODE}&limit=5",
        setup=_LISTING,
    ),
    PublicPage("Directory embed", f"/directory/embed/?ward={EXAMPLE_WARD_CODE}", setup=_LISTING),
]

PUBLIC_PAGES += [
    PublicPage(
        "Timebank", "/timebank/", setup="commonweal.timebank.tests.factories.example_timebank"
    ),
]

_GIFT_BOARD = "tests.browser.giftboard_examples.example_gift_board"
PUBLIC_PAGES += [
    PublicPage("Gift board: offers", "/timebank/gift-board/", setup=_GIFT_BOARD),
    PublicPage("Gift board: needs", "/timebank/gift-board/?kind=need", setup=_GIFT_BOARD),
    PublicPage("Gift board: goods", "/timebank/gift-board/?kind=goods", setup=_GIFT_BOARD),
    PublicPage(
        "Gift board post", f"/timebank/gift-board/{EXAMPLE_GIFT_POST_ID}/", setup=_GIFT_BOARD
    ),
]
