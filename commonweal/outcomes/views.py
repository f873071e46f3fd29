from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commonweal.core.htmx import HtmxHttpRequest
from commonweal.outcomes import selectors


@require_GET
def outcome_list_page(request: HtmxHttpRequest) -> HttpResponse:
    framework = selectors.outcome_framework_default_get()
    outcomes = selectors.outcome_list()
    return render(
        request, "outcomes/outcome_list.html", {"framework": framework, "outcomes": outcomes}
    )
