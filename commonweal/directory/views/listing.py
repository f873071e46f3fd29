"""Public listing pages."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from commonweal.directory.selectors import service_get


def service_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    service = service_get(public_id=public_id)
    if service is None:
        raise Http404("No such listing")
    return render(request, "directory/service_detail.html", {"service": service})
