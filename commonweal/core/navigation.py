"""The primary navigation: one registry that every app adds its pages to.

Core registers the pages that always exist (Home, Outcomes, Data sources). A domain app adds its own
entry from its ``AppConfig.ready()``::

    from commonweal.core.navigation import NavItem, nav_item_register

    class DirectoryConfig(AppConfig):
        def ready(self) -> None:
            nav_item_register(
                NavItem(
                    label="Directory",
                    url_name="directory:search",
                    order=10,
                    description="Find groups, activities and places near you.",
                )
            )

Items are shown in ``order`` (Home is 0; Directory 10, Timebank 20, Stories 30, Funds 40 are the places
kept for the domain apps; Outcomes 80, Data sources 90). An item whose URL name does not resolve (its app
is not installed) is left out. Items with a ``description`` also appear as cards on the home page.
The sign-in, account and sign-out items always come last and are drawn by base.html.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 50
    # One sentence for the home page card; items without one are left off the home page.
    description: str = ""
    # Shown only when this returns True (for example, to staff only). None shows it to everyone.
    visible: Callable[[HttpRequest], bool] | None = None


@dataclass(frozen=True)
class ResolvedNavItem:
    label: str
    url: str
    current: bool
    description: str


_registry: dict[str, NavItem] = {}


def nav_item_register(item: NavItem) -> None:
    """Add or replace (by URL name) an item in the primary navigation."""
    _registry[item.url_name] = item


def nav_item_unregister(url_name: str) -> None:
    _registry.pop(url_name, None)


def is_current(path: str, url: str) -> bool:
    """True when ``path`` is the page ``url`` or a page below it ("/" matches only the home page)."""
    if path == url:
        return True
    if url == "/":
        return False
    return path.startswith(url if url.endswith("/") else url + "/")


def nav_items_for(request: HttpRequest) -> list[ResolvedNavItem]:
    """The navigation items this visitor sees, in order, with the current page marked."""
    resolved = []
    for item in sorted(_registry.values(), key=lambda entry: (entry.order, entry.label)):
        if item.visible is not None and not item.visible(request):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        resolved.append(
            ResolvedNavItem(
                label=item.label,
                url=url,
                current=is_current(request.path, url),
                description=item.description,
            )
        )
    return resolved


for _default in (
    NavItem(label="Home", url_name="core:home", order=0),
    NavItem(
        label="Outcomes",
        url_name="outcomes:outcome_list",
        order=80,
        description="The changes in people's lives that everything here is working towards, and how we measure them.",
    ),
    NavItem(
        label="Data sources",
        url_name="geo:data_sources",
        order=90,
        description="Where our maps, postcodes and area figures come from, with their licences.",
    ),
):
    nav_item_register(_default)
