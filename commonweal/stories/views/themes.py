"""Theme analysis for staff: the themes in the stories, their top terms and example stories."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commonweal.accounts.decorators import role_required, sensitive_view
from commonweal.stories import themes as theme_analysis
from commonweal.stories.permissions import EXPORT_ROLES

PAGE_LIMIT = 2_000  # the page analyses the newest stories; `bench_themes` measures 10,000


@require_GET
@sensitive_view
@role_required(*EXPORT_ROLES)
def themes(request: HttpRequest) -> HttpResponse:
    try:
        wanted = int(request.GET.get("themes", "8"))
    except ValueError:
        wanted = 8
    wanted = max(2, min(wanted, 15))
    backend_problem = ""
    encode = None
    folder = theme_analysis.embedding_model_dir()
    if folder is not None:
        try:
            encode = theme_analysis.embedding_encoder_load(folder)
        except theme_analysis.ThemeBackendError as exc:
            backend_problem = str(exc)
    found = theme_analysis.story_themes_analyse(limit=PAGE_LIMIT, themes=wanted, encode=encode)
    return render(
        request,
        "stories/themes.html",
        {
            "themes": found,
            "wanted": wanted,
            "limit": PAGE_LIMIT,
            "embedded": encode is not None,
            "backend_problem": backend_problem,
        },
    )
