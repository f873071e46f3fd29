"""Claims, editing by group representatives, and the moderation queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/manage.html", {})
