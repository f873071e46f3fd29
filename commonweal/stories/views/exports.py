"""Downloads of stories with their signification: the public set for anyone, the internal set for staff."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from commonweal.accounts.decorators import forbidden
from commonweal.core.audit import audit_record
from commonweal.stories import selectors
from commonweal.stories.constants import StoriesAuditKind
from commonweal.stories.exports import stories_csv, story_record
from commonweal.stories.permissions import can_export_internal_stories


def _scope(request: HttpRequest) -> tuple[bool, HttpResponse | None]:
    internal = request.GET.get("scope") == "internal"
    if internal:
        decision = can_export_internal_stories(request.user)
        if not request.user.is_authenticated:
            return internal, redirect_to_login(request.get_full_path())
        if not decision:
            return internal, forbidden(request, decision)
        audit_record(
            kind=StoriesAuditKind.STORIES_EXPORTED,
            actor=request.user,
            after={"scope": "internal", "format": request.path.rsplit(".", 1)[-1]},
        )
    return internal, None


@require_GET
def export_csv(request: HttpRequest) -> HttpResponseBase:
    internal, refused = _scope(request)
    if refused is not None:
        return refused
    name = "stories-internal.csv" if internal else "stories.csv"
    response = StreamingHttpResponse(
        stories_csv(selectors.story_export_list(internal=internal), internal=internal),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if internal:
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    internal, refused = _scope(request)
    if refused is not None:
        return refused
    records = [
        story_record(story, internal=internal)
        for story in selectors.story_export_list(internal=internal)
    ]
    response = JsonResponse(
        {"scope": "internal" if internal else "public", "count": len(records), "stories": records},
        json_dumps_params={"ensure_ascii": False},
    )
    if internal:
        response["Cache-Control"] = "private, no-store"
    return response
