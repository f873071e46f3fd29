"""Patterns for staff: outcome counts, triad and dyad pictures with their data tables, whose voices."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from commonweal.accounts.decorators import role_required, sensitive_view
from commonweal.stories import patterns, population
from commonweal.stories.forms import PopulationUploadForm
from commonweal.stories.models import Collection
from commonweal.stories.permissions import EXPORT_ROLES

CHART_LEFT, CHART_WIDTH, ROW_HEIGHT = 150, 230, 30


def _with_bars(voices: list[population.WardVoice] | list[population.OptionVoice]) -> dict[str, Any]:
    """The rows (wards or options) with the lengths and places of their two bars in the chart."""
    biggest = max(
        [v.population_share for v in voices] + [v.chart_story_share for v in voices] + [1.0]
    )
    rows = [
        {
            "voice": voice,
            "y": index * ROW_HEIGHT,
            "people_width": round(CHART_WIDTH * voice.population_share / biggest, 1),
            "stories_width": round(CHART_WIDTH * voice.chart_story_share / biggest, 1),
        }
        for index, voice in enumerate(voices)
    ]
    return {
        "rows": rows,
        "height": len(voices) * ROW_HEIGHT + 24,
        "left": CHART_LEFT,
        "gaps": sum(1 for voice in voices if voice.is_gap),
    }


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
            "dyad_ticks": [0, 25, 50, 75, 100],
            "ward_voices": _with_bars(population.voices_against_population(stories)),
            "demographic_voices": [
                {"demographic": demographic, "chart": _with_bars(demographic.voices)}
                for demographic in population.demographics_against_population(stories)
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@sensitive_view
@role_required(*EXPORT_ROLES)
def population_upload(request: HttpRequest) -> HttpResponse:
    """Staff upload the council's ward populations: all of the file, or none of it with the reasons."""
    problems: list[str] = []
    if request.method == "POST":
        form = PopulationUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                count = population.population_import(
                    actor=request.user,
                    text=form.cleaned_data["file"],
                    source=form.file_name,
                )
            except population.PopulationImportError as exc:
                problems = exc.problems[:50]
                form.add_error("file", "Nothing was imported: fix the lines below and try again")
            else:
                messages.success(
                    request, f"Imported the population of {count} ward{'s' if count != 1 else ''}."
                )
                return redirect(f"{reverse('stories:patterns')}#against-population")
    else:
        form = PopulationUploadForm()
    return render(
        request,
        "stories/population_upload.html",
        {
            "form": form,
            "problems": problems,
            "demographic_options": {
                field_name: ", ".join(value for value, _ in choices)
                for field_name, _, choices in population.DEMOGRAPHICS
            },
        },
        status=400 if form.errors else 200,
    )
