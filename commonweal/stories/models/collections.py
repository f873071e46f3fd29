"""Collections (a question asked at a time and place), their signifiers, and the themes staff tag stories with."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from commonweal.core.models import BaseModel
from commonweal.stories.constants import LATE_DRAFT_DAYS, SignifierKind


class CollectionQuerySet(models.QuerySet["Collection"]):
    def open(self) -> CollectionQuerySet:
        return self.filter(is_open=True)


class Collection(BaseModel):
    """A question asked at a time and place, such as "Ideas Fair, November"."""

    title = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    question = models.TextField(
        help_text="The eliciting question, as tellers see it. For example: Tell us about a time when "
        "you felt you really belonged here."
    )
    place = models.CharField(
        max_length=150, blank=True, help_text="Where it is asked, if anywhere."
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    is_open = models.BooleanField(default=True, help_text="Open collections take new stories.")
    closed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When it last closed; empty while open."
    )

    objects = CollectionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]

    def __str__(self) -> str:
        return self.title

    def takes_late_drafts(self, now: datetime.datetime | None = None) -> bool:
        """Open, or closed so recently that drafts still on gatherers' phones may arrive."""
        if self.is_open:
            return True
        if self.closed_at is None:
            return False
        now = now or timezone.now()
        return now - self.closed_at <= datetime.timedelta(days=LATE_DRAFT_DAYS)

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date."})


class Signifier(BaseModel):
    """A question the teller answers about their own story: a triad (three poles) or a dyad (two)."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="signifiers")
    kind = models.CharField(max_length=8, choices=SignifierKind.choices)
    prompt = models.CharField(max_length=300)
    pole_a = models.CharField(max_length=80, help_text="Triad: top corner. Dyad: left end.")
    pole_b = models.CharField(
        max_length=80, help_text="Triad: bottom left corner. Dyad: right end."
    )
    pole_c = models.CharField(
        max_length=80, blank=True, help_text="Triad only: bottom right corner."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["collection", "position", "id"]

    def __str__(self) -> str:
        return self.prompt

    @property
    def is_triad(self) -> bool:
        return self.kind == SignifierKind.TRIAD

    @property
    def poles(self) -> list[str]:
        return (
            [self.pole_a, self.pole_b, self.pole_c] if self.is_triad else [self.pole_a, self.pole_b]
        )

    def clean(self) -> None:
        if self.kind == SignifierKind.TRIAD and not self.pole_c.strip():
            raise ValidationError({"pole_c": "A triad needs three poles."})
        if self.kind == SignifierKind.DYAD and self.pole_c.strip():
            raise ValidationError({"pole_c": "A dyad has only two poles."})


class Theme(BaseModel):
    """A theme staff tag stories with when they moderate them (for example "Getting about")."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
