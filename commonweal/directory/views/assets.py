"""The asset map, the initiatives x wards matrix and ward counts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def asset_map(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/asset_map.html", {})
