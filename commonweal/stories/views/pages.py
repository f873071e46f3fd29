"""The public story site: the searchable list, a story's page, its photo and sound recording."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from commonweal.accounts.permissions import can_act_in_role
from commonweal.core.htmx import HtmxHttpRequest, render_page_or_partial
from commonweal.stories import selectors
from commonweal.stories.forms import StoryFilterForm
from commonweal.stories.listening import TEAM_ROLES
from commonweal.stories.media import audio_content_type, audio_detect, photo_content_type
from commonweal.stories.models import Story
from commonweal.stories.msc import msc_feedback_for
from commonweal.stories.permissions import (
    can_export_internal_stories,
    can_gather_stories,
    can_manage_collections,
    can_moderate_stories,
    can_select_msc,
)
from commonweal.stories.signification import triad_point


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    form = StoryFilterForm(request.GET or None, choices=selectors.filter_choices())
    filters = selectors.StoryFilters()
    if form.is_valid():
        filters = selectors.StoryFilters(**{k: v or "" for k, v in form.cleaned_data.items()})
    page, stories = selectors.story_public_page(
        filters=filters, page_number=request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render_page_or_partial(
        request,
        "stories/home.html",
        "results",
        {
            "form": form,
            "page": page,
            "stories": stories,
            "query": query.urlencode(),
            "filtered": any(vars(filters).values()),
            "collections": selectors.collection_open_list(),
            "staff_links": _staff_links(request),
        },
    )


def _staff_links(request: HtmxHttpRequest) -> list[tuple[str, str]]:
    """Links to the staff pages this person may use."""
    if not request.user.is_authenticated:
        return []
    links = []
    if can_moderate_stories(request.user):
        links.append((reverse("stories:moderation_queue"), "Stories to moderate"))
    if can_manage_collections(request.user):
        links.append((reverse("stories:collections"), "Collections, triads and dyads"))
    if can_export_internal_stories(request.user):
        links.append((reverse("stories:patterns"), "Patterns and whose voices"))
        links.append((reverse("stories:themes"), "Themes"))
    if can_select_msc(request.user):
        links.append((reverse("stories:msc_rounds"), "Most Significant Change"))
    if can_act_in_role(request.user, TEAM_ROLES):
        links.append((reverse("stories:listening_list"), "Listening records"))
    if can_gather_stories(request.user):
        for collection in selectors.collection_open_list():
            links.append(
                (reverse("stories:gather", args=[collection.slug]), f"Gather: {collection.title}")
            )
    return links


@require_GET
def story_detail(request: HtmxHttpRequest, public_id: UUID) -> HttpResponse:
    story = selectors.story_public_get(public_id=public_id)
    if story is None:
        return render(request, "stories/story_gone.html", status=404)
    answers = []
    for answer in story.answers.all():
        item: dict[str, Any] = {"answer": answer, "signifier": answer.signifier}
        if answer.signifier.is_triad and not answer.not_applicable:
            item["point"] = triad_point(answer.values)
        answers.append(item)
    return render(
        request,
        "stories/story_detail.html",
        {"story": story, "answers": answers, "msc_feedback": msc_feedback_for(story=story)},
    )


def _media_story(request: HtmxHttpRequest, public_id: UUID) -> Story:
    story = Story.objects.filter(public_id=public_id).first()
    if story is None:
        raise Http404("No such story")
    visible = Story.objects.published().filter(pk=story.pk).exists()
    if not visible and not can_moderate_stories(request.user):
        raise Http404("No such story")
    return story


def _media_response(file: Any, content_type: str) -> FileResponse:
    """The file with the type we found in it, and browsers told not to guess another."""
    response = FileResponse(file, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def story_photo(request: HtmxHttpRequest, public_id: UUID) -> FileResponse:
    story = _media_story(request, public_id)
    if not story.photo:
        raise Http404("No photo")
    try:
        file = story.photo.open("rb")
    except OSError as exc:
        raise Http404("No photo") from exc
    content_type = photo_content_type(file)
    if content_type is None:  # not a picture we keep: never served as anything else
        file.close()
        raise Http404("No photo")
    return _media_response(file, content_type)


@require_GET
def story_audio(request: HtmxHttpRequest, public_id: UUID) -> FileResponse:
    story = _media_story(request, public_id)
    if not story.audio:
        raise Http404("No recording")
    try:
        file = story.audio.open("rb")
    except OSError as exc:
        raise Http404("No recording") from exc
    extension = audio_detect(file)
    if extension is None:  # not a recording we take: never served as anything else
        file.close()
        raise Http404("No recording")
    return _media_response(file, audio_content_type(extension))
