from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commonweal.core.htmx import HtmxHttpRequest


@require_GET
def data_sources_page(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "geo/data_sources.html")
