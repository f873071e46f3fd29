"""Site-wide pages: home, health check, accessibility statement, privacy notice and error pages."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from commonweal.core.htmx import HtmxHttpRequest


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with JSON when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse(
            {"status": "unavailable", "database": "unreachable", "detail": type(error).__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": connection.vendor})


@require_GET
def accessibility(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_GET
def privacy(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@require_GET
def cookies(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "core/cookies.html")


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without the request context: the fault may lie in a context processor.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)
