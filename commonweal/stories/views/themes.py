"""Theme analysis for staff: the themes in the stories and in their team's listening records, their
top terms and examples. Listening records are read only for the viewer's own teams, as on the
listening pages, and each conversation shown as an example is written to the access log."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commonweal.accounts.decorators import role_required, sensitive_view
from commonweal.core.audit import access_record
from commonweal.stories import themes as theme_analysis
from commonweal.stories.constants import ThemeSource
from commonweal.stories.listening import listening_teams_for
from commonweal.stories.permissions import EXPORT_ROLES

PAGE_LIMIT = 2_000  # the page analyses the newest of each source; `bench_themes` measures 10,000


@require_GET
@sensitive_view
@role_required(*EXPORT_ROLES)
def themes(request: HttpRequest) -> HttpResponse:
    try:
        wanted = int(request.GET.get("themes", "8"))
    except ValueError:
        wanted = 8
    wanted = max(2, min(wanted, 15))
    teams = list(listening_teams_for(user=request.user))
    source = request.GET.get("source", ThemeSource.STORIES)
    if source not in ThemeSource.values or not teams:
        source = ThemeSource.STORIES  # only people in a listening team may read its records
    backend_problem = ""
    encode = None
    folder = theme_analysis.embedding_model_dir()
    if folder is not None:
        try:
            encode = theme_analysis.embedding_encoder_cached(folder)
        except theme_analysis.ThemeBackendError as exc:
            backend_problem = str(exc)
    found = theme_analysis.themes_analyse(
        user=request.user, source=source, limit=PAGE_LIMIT, themes=wanted, encode=encode
    )
    for theme in found:
        for example in theme.examples:
            if example.record is not None:
                access_record(
                    actor=request.user, target=example.record, purpose="themes", path=request.path
                )
    return render(
        request,
        "stories/themes.html",
        {
            "themes": found,
            "wanted": wanted,
            "limit": PAGE_LIMIT,
            "source": source,
            "sources": ThemeSource.choices if teams else [],
            "teams": teams,
            "embedded": encode is not None,
            "backend_problem": backend_problem,
        },
    )
