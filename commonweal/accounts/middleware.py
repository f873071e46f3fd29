"""Staff roles must have signed in with a second factor before they reach any page but sign-in ones."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths a staff member may reach before completing two-factor sign-in.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/api/")


class StaffTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.COMMONWEAL_REQUIRE_STAFF_2FA
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and user.needs_two_factor
            and not user.is_verified()
        ):
            has_device = user.totpdevice_set.filter(confirmed=True).exists()
            target = "accounts:two_factor_verify" if has_device else "accounts:two_factor_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
