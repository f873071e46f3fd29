"""factory_boy factories for collections and stories.

``collection_with_signifiers()`` makes a collection with one triad and one dyad.
``StoryFactory`` makes a story waiting for a moderator; ``published_story()`` goes through the services.
"""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from commonweal.stories import services
from commonweal.stories.constants import (
    CONSENT_VERSION,
    CONSENT_WORDING,
    ConsentLevel,
    SignifierKind,
    StoryState,
)
from commonweal.stories.models import Collection, Story


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection
        django_get_or_create = ("slug",)

    title = factory.Sequence(lambda n: f"Ideas Fair {n}")
    slug = factory.Sequence(lambda n: f"ideas-fair-{n}")
    question = "Tell us about a time when you felt you really belonged here."
    place = "Grays Community Hub"


def collection_with_signifiers(**kwargs: Any) -> Collection:
    return services.collection_create(
        actor=None,
        title=kwargs.pop("title", "Ideas Fair, November"),
        question=kwargs.pop(
            "question", "Tell us about a time when you felt you really belonged here."
        ),
        signifiers=[
            services.SignifierSpec(
                kind=SignifierKind.TRIAD,
                prompt="What made the difference?",
                poles=["Neighbours", "A group or club", "Council or NHS services"],
            ),
            services.SignifierSpec(
                kind=SignifierKind.DYAD,
                prompt="How did it feel?",
                poles=["I did it myself", "It was done for me"],
            ),
        ],
        **kwargs,
    )


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story

    collection = factory.SubFactory(CollectionFactory)
    eliciting_question = factory.LazyAttribute(lambda story: story.collection.question)
    title = factory.Sequence(lambda n: f"Story {n}")
    text = "The lunch club rang me every week after my husband died, and now I help run it."
    consent_level = ConsentLevel.PUBLIC_ANONYMOUS
    consent_wording = factory.LazyAttribute(lambda story: CONSENT_WORDING[story.consent_level])
    consent_version = CONSENT_VERSION
    consent_given_at = factory.LazyFunction(timezone.now)
    state = StoryState.SUBMITTED


def published_story(*, moderator: Any = None, **kwargs: Any) -> Story:
    story = StoryFactory(**kwargs)
    return services.story_publish(actor=moderator, story=story)
