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
    PublicPage("Directory search", "/directory/"),
    PublicPage("Directory search results on a map", "/directory/?q=club&view=map"),
    PublicPage("Sign in", "/accounts/sign-in/"),
    PublicPage("Page not found", "/this-page-does-not-exist", status=404),
]
