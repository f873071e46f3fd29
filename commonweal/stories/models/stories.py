"""Stories and the teller's own signification of them.

A story keeps what the teller wrote (``title``, ``text``) privately; what the public sees is
``public_title`` and ``public_text``, which a moderator may redact (names, addresses, details that
would identify someone). Its place is only ever a ward, never an address. Consent is stored with the
story: the level, the exact words the teller agreed to and their version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from commonweal.core.models import BaseModel
from commonweal.geo.models import Area
from commonweal.outcomes.models import Outcome
from commonweal.stories.constants import (
    AUDIO_TYPES,
    PUBLIC_CONSENT,
    AgeBand,
    CollectionMethod,
    ConsentLevel,
    EthnicGroup,
    Gender,
    StoryState,
)
from commonweal.stories.media import PHOTO_EXTENSIONS, stored_extension
from commonweal.stories.models.collections import Collection, Signifier, Theme


def story_photo_path(instance: Story, filename: str) -> str:
    """Stored under a random name: the file name a phone gives can say who took it. The services
    name a photo from the format Pillow found in it; any other extension is stored as ``.bin``."""
    return f"stories/photos/{instance.public_id}.{stored_extension(filename, PHOTO_EXTENSIONS)}"


def story_audio_path(instance: Story, filename: str) -> str:
    """Named, like photos, from the kind of recording its first bytes show (see ``stories.media``)."""
    return f"stories/audio/{instance.public_id}.{stored_extension(filename, AUDIO_TYPES)}"


class StoryQuerySet(models.QuerySet["Story"]):
    def published(self) -> StoryQuerySet:
        """What the public may see: published, and only with the teller's public consent.

        Consent is checked here too, at query time, so that no path can show a story without it.
        """
        return self.filter(state=StoryState.PUBLISHED, consent_level__in=PUBLIC_CONSENT).filter(
            Q(teller_under_16=False) | ~Q(guardian_name="")
        )

    def waiting(self) -> StoryQuerySet:
        return self.filter(state=StoryState.SUBMITTED)

    def usable_internally(self) -> StoryQuerySet:
        """Stories staff may analyse: neither withdrawn nor declined."""
        return self.exclude(state__in=[StoryState.WITHDRAWN, StoryState.DECLINED])


class Story(BaseModel):
    sensitive = True  # until published: unpublished stories are read only by moderators, and logged

    # Short columns first and long texts last: filters and counts then never read the long texts.
    state = models.CharField(
        max_length=12, choices=StoryState.choices, default=StoryState.SUBMITTED, db_index=True
    )
    consent_level = models.CharField(max_length=20, choices=ConsentLevel.choices)
    teller_under_16 = models.BooleanField(default=False)
    guardian_name = models.CharField(max_length=100, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    featured = models.BooleanField(default=False)
    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="stories")
    ward = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    collection_method = models.CharField(
        max_length=10, choices=CollectionMethod.choices, default=CollectionMethod.WEB
    )
    client_uuid = models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        help_text="Made by the gatherer's phone for each draft, so that sending it twice makes one story.",
    )
    consent_given_at = models.DateTimeField()
    consent_version = models.CharField(max_length=20)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True)
    ethnic_group = models.CharField(max_length=10, choices=EthnicGroup.choices, blank=True)
    teller_name = models.CharField(max_length=60, blank=True)
    gathered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    photo = models.ImageField(upload_to=story_photo_path, blank=True)
    photo_alt = models.CharField(max_length=300, blank=True)
    audio = models.FileField(upload_to=story_audio_path, blank=True)
    audio_type = models.CharField(max_length=40, blank=True)
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="+")
    themes = models.ManyToManyField(Theme, blank=True, related_name="stories")
    title = models.CharField(max_length=150)
    public_title = models.CharField(max_length=150, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    eliciting_question = models.TextField()
    consent_wording = models.TextField()
    guardian_wording = models.TextField(blank=True)
    decision_reason = models.TextField(blank=True)
    text = models.TextField()
    public_text = models.TextField(blank=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name_plural = "stories"
        indexes = [
            # Walks published stories newest first, and covers the consent checks of published(),
            # so that counting and paging them read only this index.
            models.Index(
                fields=[
                    "state",
                    "-published_at",
                    "consent_level",
                    "teller_under_16",
                    "guardian_name",
                ],
                name="stories_published_consent",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt=""), name="stories_photo_has_alt"
            ),
            models.CheckConstraint(
                condition=Q(teller_under_16=False) | ~Q(guardian_name=""),
                name="stories_under_16_has_guardian",
            ),
        ]

    def __str__(self) -> str:
        return self.public_title or self.title

    @property
    def is_public_consent(self) -> bool:
        return self.consent_level in PUBLIC_CONSENT

    @property
    def shown_name(self) -> str:
        """The name the public sees: only with consent to publish it."""
        if self.consent_level == ConsentLevel.PUBLIC_NAMED:
            return self.teller_name
        return ""

    @property
    def shown_title(self) -> str:
        return self.public_title or self.title

    @property
    def shown_text(self) -> str:
        return self.public_text or self.text

    @property
    def is_redacted(self) -> bool:
        return (self.public_title and self.public_title != self.title) or (
            bool(self.public_text) and self.public_text != self.text
        )


class SignifierAnswer(models.Model):
    """The teller's answer to one signifier: three shares adding up to 100 (triad) or one value (dyad).

    For a dyad ``value_a`` is how far towards the first pole, 0 to 100 (``value_b`` = 100 - ``value_a``).
    """

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="answers")
    signifier = models.ForeignKey(Signifier, on_delete=models.CASCADE, related_name="answers")
    value_a = models.PositiveSmallIntegerField(null=True, blank=True)
    value_b = models.PositiveSmallIntegerField(null=True, blank=True)
    value_c = models.PositiveSmallIntegerField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)

    class Meta:
        ordering = ["signifier__position", "signifier_id"]
        constraints = [
            models.UniqueConstraint(fields=["story", "signifier"], name="stories_one_answer_each"),
        ]

    def __str__(self) -> str:
        return f"{self.signifier}: {self.values}"

    @property
    def values(self) -> list[int]:
        return [v for v in (self.value_a, self.value_b, self.value_c) if v is not None]
