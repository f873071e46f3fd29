from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from commonweal.core.navigation import is_current, nav_items_for


def _account_links(request: HttpRequest) -> dict[str, Any]:
    """URLs and current-page flags for the sign-in, account and sign-out items of the navigation."""
    try:
        sign_in = reverse(settings.LOGIN_URL)
        account = reverse("accounts:dashboard")
        sign_out = reverse("accounts:logout")
    except NoReverseMatch:
        return {}
    return {
        "sign_in_url": sign_in,
        "sign_in_current": is_current(request.path, sign_in),
        "account_url": account,
        "account_current": request.path == account,
        "sign_out_url": sign_out,
    }


def site(request: HttpRequest) -> dict[str, Any]:
    """What every page needs to know about the site it belongs to."""
    return {
        "site_name": settings.COMMONWEAL_SITE_NAME,
        "site_operator": settings.COMMONWEAL_OPERATOR,
        "site_contact_email": settings.COMMONWEAL_CONTACT_EMAIL,
        "example_data": settings.COMMONWEAL_EXAMPLE_DATA,
        "map_tile_url": settings.COMMONWEAL_MAP_TILE_URL,
        "map_attribution": settings.COMMONWEAL_MAP_ATTRIBUTION,
        # Worked out only when a template asks (JSON and error responses never do).
        "nav_items": SimpleLazyObject(lambda: nav_items_for(request)),
        "nav_account": SimpleLazyObject(lambda: _account_links(request)),
    }
