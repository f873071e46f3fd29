"""Golden nuggets: the services (writes) and selectors (reads) of stories staff flag with a note.

Only stories staff may analyse can be kept (published or kept for internal use). A withdrawn story's
nugget goes with it from the list at once, because the list reads only analysable stories. Each keep,
change of note and removal is written to the audit log against the story, with who and the note.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from commonweal.core.audit import audit_record
from commonweal.stories.constants import NOTE_MAX_CHARS, StoriesAuditKind, StoryState
from commonweal.stories.models import Collection, GoldenNugget, Story

ANALYSED_STATES = (StoryState.PUBLISHED, StoryState.INTERNAL)


class NuggetError(ValueError):
    """A nugget cannot be kept as asked; the message says why in plain words."""


@transaction.atomic
def nugget_keep(*, actor: Any, story: Story, note: str) -> GoldenNugget:
    """Flag ``story`` as a golden nugget with ``note`` (or change the note of one already kept)."""
    note = note.strip()
    if not note:
        raise NuggetError("Write a note: say why this story is a golden nugget.")
    if len(note) > NOTE_MAX_CHARS:
        raise NuggetError(f"Keep the note under {NOTE_MAX_CHARS:,} characters.")
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.state not in ANALYSED_STATES:
        raise NuggetError(
            "Only a story that is published or kept for internal use can be a golden nugget."
        )
    nugget = GoldenNugget.objects.filter(story=story).first()
    before = {"note": nugget.note} if nugget else None
    if nugget is None:
        nugget = GoldenNugget(story=story)
    nugget.note = note
    nugget.kept_by = actor
    nugget.full_clean()
    nugget.save()
    audit_record(
        kind=StoriesAuditKind.NUGGET_KEPT,
        actor=actor,
        target=story,
        before=before,
        after={"note": note},
        note=note,
    )
    return nugget


@transaction.atomic
def nugget_remove(*, actor: Any, story: Story) -> bool:
    """Unflag ``story``; False if it was not a golden nugget."""
    nugget = GoldenNugget.objects.select_for_update().filter(story=story).first()
    if nugget is None:
        return False
    audit_record(
        kind=StoriesAuditKind.NUGGET_REMOVED,
        actor=actor,
        target=story,
        before={"note": nugget.note},
        note=nugget.note,
    )
    nugget.delete()
    return True


def nugget_list(*, collection: Collection | None = None) -> QuerySet[GoldenNugget]:
    """The golden nuggets of analysable stories, newest first, optionally of one collection."""
    nuggets = GoldenNugget.objects.filter(story__state__in=ANALYSED_STATES).select_related(
        "story", "story__collection", "story__ward", "kept_by"
    )
    if collection is not None:
        nuggets = nuggets.filter(story__collection=collection)
    return nuggets


def nugget_story_get(*, public_id: Any) -> Story | None:
    """A story staff may flag (published or internal), with its nugget if it has one."""
    return (
        Story.objects.filter(public_id=public_id, state__in=ANALYSED_STATES)
        .select_related("collection", "ward")
        .first()
    )
