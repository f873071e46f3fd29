"""Listening records for community organisers: their team's conversations, a new one, and the issues
rolled up by category. Only the organiser's team sees them; every read of a record is logged."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from commonweal.accounts.decorators import role_required, sensitive_view
from commonweal.core.audit import access_record
from commonweal.stories import listening
from commonweal.stories.forms import ListeningForm


@require_GET
@sensitive_view
@role_required(*listening.TEAM_ROLES)
def record_list(request: HttpRequest) -> HttpResponse:
    records = list(listening.listening_record_list(user=request.user)[:200])
    return render(
        request,
        "stories/listening/list.html",
        {
            "records": records,
            "rollup": listening.listening_issue_rollup(user=request.user),
            "teams": list(listening.listening_teams_for(user=request.user)),
        },
    )


@require_http_methods(["GET", "POST"])
@sensitive_view
@role_required(*listening.TEAM_ROLES)
def record_create(request: HttpRequest) -> HttpResponse:
    teams = list(listening.listening_teams_for(user=request.user))
    categories = list(listening.issue_categories_ensure())
    if request.method == "POST":
        form = ListeningForm(request.POST, teams=teams, categories=categories)
        if form.is_valid():
            try:
                listening.listening_record_create(actor=request.user, draft=form.draft())
            except listening.ListeningError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "The conversation is recorded.")
                return redirect("stories:listening_list")
    else:
        form = ListeningForm(
            initial={"conversation_on": timezone.localdate().isoformat()},
            teams=teams,
            categories=categories,
        )
    return render(
        request,
        "stories/listening/form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_GET
@sensitive_view
@role_required(*listening.TEAM_ROLES)
def record_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    record = listening.listening_record_get(user=request.user, public_id=public_id)
    if record is None:
        raise Http404("No such record for your team")
    access_record(actor=request.user, target=record, purpose="listening", path=request.path)
    return render(request, "stories/listening/detail.html", {"record": record})
