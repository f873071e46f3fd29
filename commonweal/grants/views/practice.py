"""The community of practice page: members, events and shared notes for a fund."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_http_methods

from commonweal.accounts.decorators import forbidden
from commonweal.core.htmx import HtmxHttpRequest
from commonweal.core.permissions import Decision
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import Fund, PracticeEvent, PracticeMember, PracticeNote
from commonweal.grants.permissions import is_fund_officer
from commonweal.grants.services.practice import (
    practice_can_take_part,
    practice_event_save,
    practice_note_post,
)
from commonweal.grants.views import actor_of


@require_http_methods(["GET", "POST"])
@login_required
def practice(request: HtmxHttpRequest, fund_id: UUID) -> HttpResponse:
    fund = get_object_or_404(Fund, public_id=fund_id)
    if not practice_can_take_part(request.user, fund):
        return forbidden(
            request,
            Decision.deny(
                "The community of practice is for the fund's projects, sponsors and programme team."
            ),
        )
    if request.method == "POST":
        try:
            if request.POST.get("kind") == "event":
                starts_at = parse_datetime(request.POST.get("starts_at", ""))
                if starts_at is None:
                    raise GrantRefused("Give the date and time of the event.")
                if timezone.is_naive(starts_at):
                    starts_at = timezone.make_aware(starts_at)
                practice_event_save(
                    actor=actor_of(request),
                    fund=fund,
                    title=request.POST.get("title", ""),
                    starts_at=starts_at,
                    place=request.POST.get("place", ""),
                    description=request.POST.get("description", ""),
                )
                messages.success(request, "Event announced; members have been emailed.")
            else:
                practice_note_post(
                    actor=actor_of(request),
                    fund=fund,
                    title=request.POST.get("title", ""),
                    body=request.POST.get("body", ""),
                )
                messages.success(request, "Your note is shared.")
        except GrantRefused as refusal:
            messages.error(request, refusal.reason)
        except ValidationError as error:
            messages.error(request, "Check the details: " + "; ".join(error.messages))
        return redirect("grants:practice", fund_id=fund.public_id)
    return render(
        request,
        "grants/practice.html",
        {
            "fund": fund,
            "members": PracticeMember.objects.filter(fund=fund).select_related(
                "user", "organisation"
            ),
            "events": PracticeEvent.objects.filter(fund=fund, starts_at__gte=timezone.now()),
            "notes": PracticeNote.objects.filter(fund=fund).select_related("author")[:50],
            "is_officer": is_fund_officer(request.user),
        },
    )
