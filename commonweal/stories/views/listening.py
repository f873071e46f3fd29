"""Listening records for community organisers: their team's conversations, a new one, and the issues
rolled up by category, and the actions the team makes of them. Only the organiser's team sees them; every read of a record is logged."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from commonweal.accounts.decorators import role_required, sensitive_view
from commonweal.core.audit import access_record
from commonweal.stories import listening
from commonweal.stories.constants import ActionStatus
from commonweal.stories.forms import ListeningActionForm, ListeningForm


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


@require_http_methods(["GET", "POST"])
@sensitive_view
@role_required(*listening.TEAM_ROLES)
def record_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Confirm, then delete a conversation for good."""
    return _record_remove(request, public_id, what="record")


@require_http_methods(["GET", "POST"])
@sensitive_view
@role_required(*listening.TEAM_ROLES)
def record_special_remove(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Confirm, then remove only the political opinions and religious beliefs from a conversation."""
    return _record_remove(request, public_id, what="special")


def _record_remove(request: HttpRequest, public_id: UUID, *, what: str) -> HttpResponse:
    record = listening.listening_record_get(user=request.user, public_id=public_id)
    if record is None:
        raise Http404("No such record for your team")
    if what == "special" and not (record.political_opinions or record.religious_beliefs):
        messages.info(
            request, "This conversation holds no political opinions or religious beliefs."
        )
        return redirect("stories:listening_record", public_id=record.public_id)
    error = ""
    if request.method == "POST":
        try:
            if what == "record":
                listening.listening_record_delete(actor=request.user, record=record)
            else:
                listening.listening_record_special_category_remove(
                    actor=request.user, record=record
                )
        except listening.ListeningError as exc:
            error = str(exc)
        else:
            if what == "record":
                messages.success(request, "The conversation is deleted.")
                return redirect("stories:listening_list")
            messages.success(request, "The political opinions and religious beliefs are deleted.")
            return redirect("stories:listening_record", public_id=record.public_id)
    access_record(actor=request.user, target=record, purpose="listening", path=request.path)
    return render(
        request,
        "stories/listening/delete.html",
        {"record": record, "what": what, "error": error},
        status=400 if error else 200,
    )


@require_GET
@sensitive_view
@role_required(*listening.TEAM_ROLES)
def action_list(request: HttpRequest) -> HttpResponse:
    actions = list(listening.listening_action_list(user=request.user)[:500])
    by_status = [
        (status, label, [action for action in actions if action.status == status])
        for status, label in ActionStatus.choices
    ]
    return render(request, "stories/listening/actions.html", {"by_status": by_status})


@require_http_methods(["GET", "POST"])
@sensitive_view
@role_required(*listening.TEAM_ROLES)
def action_create(request: HttpRequest) -> HttpResponse:
    teams = list(listening.listening_teams_for(user=request.user))
    categories = list(listening.issue_categories_ensure())
    records = listening.listening_record_list(user=request.user)
    wanted = request.GET.get("category", "")[:100]
    if request.method == "GET" and wanted:
        records = records.filter(categories__slug=wanted)
    kwargs: dict[str, Any] = {
        "teams": teams,
        "categories": categories,
        "records": list(records[:200]),
    }
    if request.method == "POST":
        form = ListeningActionForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                action = listening.listening_action_create(actor=request.user, draft=form.draft())
            except listening.ListeningError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "The action is made.")
                return redirect("stories:listening_action", public_id=action.public_id)
    else:
        form = ListeningActionForm(
            initial={
                "category": wanted,
                "records": [str(record.public_id) for record in kwargs["records"]]
                if wanted
                else [],
            },
            **kwargs,
        )
    return render(
        request,
        "stories/listening/action_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@sensitive_view
@role_required(*listening.TEAM_ROLES)
def action_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    action = listening.listening_action_get(user=request.user, public_id=public_id)
    if action is None:
        raise Http404("No such action for your team")
    access_record(actor=request.user, target=action, purpose="listening", path=request.path)
    error = ""
    if request.method == "POST":
        try:
            listening.listening_action_status_set(
                actor=request.user, action=action, status=request.POST.get("status", "")
            )
        except listening.ListeningError as exc:
            error = str(exc)
        else:
            messages.success(request, "Saved.")
            return redirect("stories:listening_action", public_id=action.public_id)
    records = action.records.select_related("ward").prefetch_related("categories")
    return render(
        request,
        "stories/listening/action.html",
        {
            "action": action,
            "records": list(records),
            "statuses": ActionStatus.choices,
            "error": error,
        },
        status=400 if error else 200,
    )
