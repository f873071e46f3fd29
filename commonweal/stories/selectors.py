"""Reads of stories for a use case, shared by pages, the featured-stories include and exports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from commonweal.geo.models import Area
from commonweal.outcomes.models import Outcome
from commonweal.outcomes.selectors import outcome_list
from commonweal.stories.constants import PAGE_SIZE
from commonweal.stories.models import Collection, Signifier, SignifierAnswer, Story, Theme

MAX_QUERY_CHARS = 200
_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 6


def search_words(text: str) -> list[str]:
    """The words of what someone typed, lower-cased, at most six: never query syntax."""
    words = _WORD.findall(text[:MAX_QUERY_CHARS].casefold())
    return list(dict.fromkeys(words))[:MAX_WORDS]


@dataclass(frozen=True)
class StoryFilters:
    q: str = ""
    outcome: str = ""  # outcome slug
    ward: str = ""  # ward GSS code
    theme: str = ""  # theme slug
    collection: str = ""  # collection slug


def story_public_list(*, filters: StoryFilters) -> QuerySet[Story]:
    """Published stories (with public consent), newest first, narrowed by the filters."""
    stories = Story.objects.published()
    for word in search_words(filters.q):
        # Whole words and their beginnings: "garden" finds "gardens", never "kindergarden".
        stories = stories.filter(search_text__contains=f" {word}")
    if filters.outcome:
        stories = stories.filter(outcomes__slug=filters.outcome)
    if filters.ward:
        stories = stories.filter(ward__code=filters.ward)
    if filters.theme:
        stories = stories.filter(themes__slug=filters.theme)
    if filters.collection:
        stories = stories.filter(collection__slug=filters.collection)
    return stories.select_related("ward", "collection").order_by("-published_at", "-id")


def story_public_page(
    *, filters: StoryFilters, page_number: str | None
) -> tuple[Page[int], list[Story]]:
    """One page of the public list: the page (numbers, counts) and its stories in order.

    The count and the page's slice read only ids, which the published-stories index covers; the stories
    themselves are then read by id, so deep pages never read the rows they skip.
    """
    ids = story_public_list(filters=filters).select_related(None).values_list("pk", flat=True)
    page = Paginator(ids, PAGE_SIZE).get_page(page_number)
    wanted = list(page.object_list)
    found = Story.objects.select_related("ward", "collection").in_bulk(wanted)
    return page, [found[pk] for pk in wanted if pk in found]


def story_public_get(*, public_id: UUID) -> Story | None:
    return (
        Story.objects.published()
        .select_related("ward", "collection")
        .prefetch_related("outcomes", "themes", _answers())
        .filter(public_id=public_id)
        .first()
    )


def _answers() -> Any:
    return Prefetch("answers", queryset=SignifierAnswer.objects.select_related("signifier"))


def story_featured_list(*, limit: int = 3, outcome: str = "", ward: str = "") -> list[Story]:
    """Featured published stories for other pages (directory, grants); falls back to the newest."""
    stories = Story.objects.published().select_related("ward")
    if outcome:
        stories = stories.filter(outcomes__slug=outcome)
    if ward:
        stories = stories.filter(ward__code=ward)
    return list(stories.order_by("-featured", "-published_at", "-id")[:limit])


def story_queue(*, collection: str = "") -> QuerySet[Story]:
    """Stories waiting for a moderator, oldest first."""
    stories = Story.objects.waiting().select_related("ward", "collection")
    if collection:
        stories = stories.filter(collection__slug=collection)
    return stories.order_by("created_at", "id")


def story_for_moderation_get(*, public_id: UUID) -> Story | None:
    return (
        Story.objects.select_related("ward", "collection", "gathered_by", "moderated_by")
        .prefetch_related("outcomes", "themes", _answers())
        .filter(public_id=public_id)
        .first()
    )


def story_export_list(*, internal: bool) -> QuerySet[Story]:
    """Stories for an export: published only, or (for staff) every story not withdrawn or declined."""
    stories = Story.objects.usable_internally() if internal else Story.objects.published()
    return (
        stories.select_related("ward", "collection")
        .prefetch_related("outcomes", "themes", _answers())
        .order_by("created_at", "id")
    )


def collection_open_list() -> QuerySet[Collection]:
    return Collection.objects.open().order_by("title")


def collection_get(*, slug: str) -> Collection | None:
    return Collection.objects.prefetch_related("signifiers").filter(slug=slug).first()


def collection_staff_list() -> QuerySet[Collection]:
    """Every collection for the staff page, open ones first, with how many stories and signifiers."""
    stories = Story.objects.filter(collection=OuterRef("pk")).values("collection")
    signifiers = Signifier.objects.filter(collection=OuterRef("pk")).values("collection")
    return Collection.objects.annotate(
        story_count=Coalesce(Subquery(stories.annotate(n=Count("pk")).values("n")), 0),
        signifier_count=Coalesce(Subquery(signifiers.annotate(n=Count("pk")).values("n")), 0),
    ).order_by("-is_open", F("starts_on").desc(nulls_last=True), "title")


def collection_staff_get(*, public_id: UUID) -> Collection | None:
    return Collection.objects.filter(public_id=public_id).first()


def signifier_list_for_staff(*, collection: Collection) -> QuerySet[Signifier]:
    """A collection's triads and dyads in order, each with how many tellers answered it."""
    return collection.signifiers.annotate(answer_count=Count("answers")).order_by("position", "id")


def signifier_staff_get(*, collection: Collection, public_id: UUID) -> Signifier | None:
    return signifier_list_for_staff(collection=collection).filter(public_id=public_id).first()


FILTER_CHOICES_CACHE_KEY = "stories:filter-choices"
FILTER_CHOICES_CACHE_SECONDS = 60


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The choices of the public filters, cached for a minute (services forget them on every change)."""
    cached = cache.get_or_set(
        FILTER_CHOICES_CACHE_KEY, _filter_choices, FILTER_CHOICES_CACHE_SECONDS
    )
    return cached if isinstance(cached, dict) else _filter_choices()


def filter_choices_forget() -> None:
    cache.delete(FILTER_CHOICES_CACHE_KEY)


def _filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Only values that published stories have."""
    published = Story.objects.published()
    outcomes: list[Outcome] = list(outcome_list())
    wards = Area.objects.filter(pk__in=published.exclude(ward=None).values("ward_id")).order_by(
        "name"
    )
    themes = Theme.objects.filter(Q(pk__in=published.values("themes"))).order_by("name")
    collections = Collection.objects.filter(pk__in=published.values("collection_id")).order_by(
        "title"
    )
    return {
        "outcome": [(o.slug, o.name) for o in outcomes],
        "ward": [(w.code, w.name) for w in wards],
        "theme": [(t.slug, t.name) for t in themes],
        "collection": [(c.slug, c.title) for c in collections],
    }
