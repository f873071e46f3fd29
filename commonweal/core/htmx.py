"""Small helpers for htmx views (django-htmx)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def render_page_or_partial(
    request: HtmxHttpRequest, template: str, partial: str, context: dict[str, Any] | None = None
) -> HttpResponse:
    """Render the whole page, or only ``template#partial`` when htmx asked for it."""
    name = f"{template}#{partial}" if request.htmx else template
    response = render(request, name, context or {})
    response.headers["Vary"] = "HX-Request"
    return response


def trigger_toast(response: HttpResponse, message: str, *, level: str = "success") -> HttpResponse:
    """Ask the page to show a short message (see static_src/js/commonweal.mjs)."""
    response.headers["HX-Trigger"] = json.dumps(
        {"commonweal:toast": {"message": message, "level": level}}
    )
    return response
