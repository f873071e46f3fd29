"""Staff roles must have signed in with a second factor before they reach any page but sign-in ones.

A signed-in person for whom ``user.needs_two_factor`` is true (superusers, Django staff and people holding
a role in ``STAFF_ROLES``) and who has not yet entered a code in this session is sent to set two-factor
sign-in up (no confirmed device yet) or to enter a code. ``COMMONWEAL_REQUIRE_STAFF_2FA = False`` turns
the requirement off (the demo does).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

# Paths anyone may reach before completing two-factor sign-in. The API authenticates with bearer tokens,
# which staff make on the tokens page (behind two-factor sign-in) or an administrator makes for them.
_OPEN_PREFIXES = ("/static/", "/healthz", "/api/", "/favicon.ico")
# The accounts pages needed to finish (or abandon) signing in.
_OPEN_URL_NAMES = (
    "accounts:login",
    "accounts:logout",
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
)


class StaffTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.COMMONWEAL_REQUIRE_STAFF_2FA
            and user is not None
            and user.is_authenticated
            and not self._is_open(request.path)
            and not user.is_verified()
            and user.needs_two_factor  # a query: asked last, only of people not yet verified
        ):
            has_device = user.totpdevice_set.filter(confirmed=True).exists()
            target = "accounts:two_factor_verify" if has_device else "accounts:two_factor_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _is_open(path: str) -> bool:
        return path.startswith(_OPEN_PREFIXES) or path in {
            reverse(name) for name in _OPEN_URL_NAMES
        }
