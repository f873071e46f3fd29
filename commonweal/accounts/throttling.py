"""Sign-in throttling with django-axes: how failed attempts are counted and what a locked-out person sees."""

from __future__ import annotations

import datetime
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """Count failures per email address whatever its case or surrounding spaces."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = (credentials or {}).get(field)
    if value is None:
        value = request.POST.get(field, "")
    return str(value).strip().lower()


def duration_words(value: datetime.timedelta) -> str:
    """15 minutes, 1 hour, 2 hours and 30 minutes."""
    minutes = max(1, round(value.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " and ".join(parts)


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page shown after too many failed sign-ins (``AXES_LOCKOUT_CALLABLE``)."""
    cool_off = get_cool_off(request)
    context: dict[str, Any] = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "wait": "",
        "try_again_at": None,
    }
    if cool_off:
        context["wait"] = duration_words(cool_off)
        context["try_again_at"] = timezone.localtime() + cool_off
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
