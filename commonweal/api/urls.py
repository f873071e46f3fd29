"""The one NinjaAPI: mounts each app's router, sets auth, throttling and the error format."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from commonweal import __version__
from commonweal.accounts.api import BearerTokenAuth
from commonweal.accounts.api import router as accounts_router
from commonweal.directory.api import router as oruk_router
from commonweal.geo.api import router as geo_router
from commonweal.outcomes.api import router as outcomes_router
from commonweal.timebank.api import router as timebank_router

api = NinjaAPI(
    title="Commonweal API",
    version=__version__,
    description=(
        "JSON API of Commonweal. Public reads need no token; other operations need "
        "`Authorization: Bearer TOKEN` (create one with `commonweal api_token_create --user EMAIL`)."
    ),
    urls_namespace="api",
    throttle=[
        AnonRateThrottle(settings.COMMONWEAL_API_RATE),
        AuthRateThrottle(settings.COMMONWEAL_API_RATE),
    ],
)

api.add_router("/accounts/", accounts_router)
api.add_router("/geo/", geo_router)
api.add_router("/outcomes/", outcomes_router)
api.add_router("/oruk/", oruk_router)
api.add_router("/timebank/", timebank_router)


def _error(request: HttpRequest, message: str, status: int, **extra: object) -> HttpResponse:
    return api.create_response(
        request, {"error": {"status": status, "message": message, **extra}}, status=status
    )


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = [
        {
            "field": ".".join(str(part) for part in error.get("loc", [])),
            "message": error.get("msg", ""),
        }
        for error in exc.errors
    ]
    return _error(request, "Some of what was sent is not valid.", 422, fields=fields)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, "A valid API token is needed: send 'Authorization: Bearer TOKEN'.", 401)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, str(exc), exc.status_code)


__all__ = ["BearerTokenAuth", "api"]
