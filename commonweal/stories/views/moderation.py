"""The moderators' queue: read a story, redact it, publish it, keep it internal or decline it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from commonweal.accounts.decorators import role_required, sensitive_view
from commonweal.core.audit import access_record, audit_entries_for
from commonweal.stories import selectors, services
from commonweal.stories.constants import StoriesAuditKind, StoryState
from commonweal.stories.forms import ModerationForm
from commonweal.stories.permissions import MODERATOR_ROLES
from commonweal.stories.signification import triad_point

AUDIT_LABELS = dict(StoriesAuditKind.choices)


@require_GET
@sensitive_view
@role_required(*MODERATOR_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    stories = list(selectors.story_queue(collection=request.GET.get("collection", "")[:150])[:200])
    return render(request, "stories/moderate/queue.html", {"stories": stories})


@require_http_methods(["GET", "POST"])
@sensitive_view
@role_required(*MODERATOR_ROLES)
def moderate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    story = selectors.story_for_moderation_get(public_id=public_id)
    if story is None:
        raise Http404("No such story")
    access_record(actor=request.user, target=story, purpose="moderation", path=request.path)
    if request.method == "POST":
        form = ModerationForm(request.POST)
        action = request.POST.get("action", "")
        if form.is_valid():
            themes = [services.theme_ensure(name=name) for name in form.theme_names()]
            note = str(form.cleaned_data.get("reason") or "")
            try:
                if action == "publish":
                    with transaction.atomic():  # a refused publication keeps no half-made change
                        services.story_redact(
                            actor=request.user,
                            story=story,
                            public_title=form.cleaned_data["public_title"],
                            public_text=form.cleaned_data["public_text"],
                        )
                        services.story_publish(
                            actor=request.user, story=story, themes=themes, note=note
                        )
                    messages.success(request, "The story is published.")
                elif action == "internal":
                    services.story_keep_internal(
                        actor=request.user, story=story, themes=themes, note=note
                    )
                    messages.success(request, "The story is kept for internal use only.")
                elif action == "decline":
                    services.story_decline(actor=request.user, story=story, reason=note)
                    messages.success(request, "The story is declined.")
                elif action in {"feature", "unfeature"}:
                    services.story_feature(
                        actor=request.user, story=story, featured=action == "feature"
                    )
                    messages.success(request, "Saved.")
                    return redirect("stories:moderate", public_id=story.public_id)
                else:
                    form.add_error(None, "Choose what to do with the story")
                    raise services.StoryError("")
            except services.StoryError as exc:
                if str(exc):
                    form.add_error("reason" if action == "decline" else None, str(exc))
            else:
                return redirect("stories:moderation_queue")
    else:
        form = ModerationForm(
            initial={
                "public_title": story.public_title or story.title,
                "public_text": story.public_text or story.text,
                "themes": ", ".join(theme.name for theme in story.themes.all()),
            }
        )
    answers = []
    for answer in story.answers.all():
        item: dict[str, Any] = {"answer": answer, "signifier": answer.signifier}
        if answer.signifier.is_triad and not answer.not_applicable:
            item["point"] = triad_point(answer.values)
        answers.append(item)
    return render(
        request,
        "stories/moderate/story.html",
        {
            "story": story,
            "form": form,
            "answers": answers,
            "history": [
                (entry, AUDIT_LABELS.get(entry.kind, entry.kind))
                for entry in audit_entries_for(story)[:50]
            ],
            "can_publish": story.is_public_consent
            and story.state in {StoryState.SUBMITTED, StoryState.INTERNAL},
            "is_waiting": story.state == StoryState.SUBMITTED,
            "is_published": story.state == StoryState.PUBLISHED,
        },
        status=400 if form.errors else 200,
    )
