"""Every page anyone can open without signing in: the one list the browser checks walk.

Each app adds its own public pages here when it adds them, for example::

    PUBLIC_PAGES += [PublicPage("Directory search", "/directory/")]

The accessibility check (test_accessibility.py) runs axe-core on each of them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PublicPage:
    name: str
    path: str
    status: int = 200


PUBLIC_PAGES: list[PublicPage] = [
    PublicPage("Home", "/"),
    PublicPage("Accessibility statement", "/accessibility"),
    PublicPage("Privacy notice", "/privacy"),
    PublicPage("Cookies", "/cookies"),
    PublicPage("Data sources and attributions", "/data"),
    PublicPage("Outcomes", "/outcomes/"),
    PublicPage("Sign in", "/accounts/sign-in/"),
    PublicPage("Community assets and places to meet", "/directory/assets/"),
    PublicPage("Places and activities by ward", "/directory/wards/"),
    PublicPage("Initiatives by ward", "/directory/wards/matrix/"),
    PublicPage("Page not found", "/this-page-does-not-exist", status=404),
]
