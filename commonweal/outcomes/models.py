"""The outcome framework: one configurable list of outcomes that every module points at."""

from __future__ import annotations

from django.db import models

from commonweal.core.models import BaseModel


class OutcomeFrameworkQuerySet(models.QuerySet["OutcomeFramework"]):
    def default(self) -> OutcomeFramework | None:
        return self.filter(is_default=True).first()


class OutcomeFramework(BaseModel):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="Where the outcomes come from.")
    is_default = models.BooleanField(default=False)

    objects = OutcomeFrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="outcomes_one_default_framework",
            )
        ]

    def __str__(self) -> str:
        return self.name


class OutcomeQuerySet(models.QuerySet["Outcome"]):
    def active(self) -> OutcomeQuerySet:
        return self.filter(is_active=True)

    def in_default_framework(self) -> OutcomeQuerySet:
        return self.filter(framework__is_default=True)


class Outcome(BaseModel):
    framework = models.ForeignKey(
        OutcomeFramework, on_delete=models.CASCADE, related_name="outcomes"
    )
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "slug"], name="outcomes_outcome_unique_slug"
            )
        ]

    def __str__(self) -> str:
        return self.name
