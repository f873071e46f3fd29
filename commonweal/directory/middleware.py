"""Open Referral UK asks every response of the feed to allow any origin: successes and errors alike."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

ORUK_PREFIX = "/api/oruk/"


class OrukCorsMiddleware:
    """``Access-Control-Allow-Origin: *`` on every response under /api/oruk/ (400, 404, 429 included).

    It sits first in MIDDLEWARE so that responses made by any other middleware get the header too.
    The feed is public and read-only and needs no credentials, so a preflight gets a plain yes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        is_oruk = request.path == ORUK_PREFIX.rstrip("/") or request.path.startswith(ORUK_PREFIX)
        if (
            is_oruk
            and request.method == "OPTIONS"
            and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META
        ):
            response: HttpResponseBase = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Accept, Content-Type"
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = self.get_response(request)
        if is_oruk:
            response["Access-Control-Allow-Origin"] = "*"
        return response
