"""Patterns for staff: outcome counts, triad and dyad pictures with their data tables, whose voices."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commonweal.accounts.decorators import role_required, sensitive_view
from commonweal.stories import patterns
from commonweal.stories.models import Collection
from commonweal.stories.permissions import EXPORT_ROLES


@require_GET
@sensitive_view
@role_required(*EXPORT_ROLES)
def patterns_page(request: HttpRequest) -> HttpResponse:
    stories = patterns.analysed_stories()
    collections = list(Collection.objects.prefetch_related("signifiers").order_by("title"))
    return render(
        request,
        "stories/patterns.html",
        {
            "total": stories.count(),
            "outcome_tables": patterns.outcome_tables(stories),
            "collections": [
                (collection, patterns.signifier_patterns(stories, collection))
                for collection in collections
            ],
            "voices": patterns.whose_voices(stories),
        },
    )
