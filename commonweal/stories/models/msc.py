"""Most Significant Change rounds (Davies and Dart): domains of change, a reporting period, a panel that
picks the most significant story in each domain and records why, and feedback to the tellers."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from commonweal.core.models import BaseModel
from commonweal.outcomes.models import Outcome
from commonweal.stories.models.stories import Story


class MscRound(BaseModel):
    title = models.CharField(max_length=150)
    period_start = models.DateField(help_text="Stories told from this day...")
    period_end = models.DateField(help_text="...to this day, inclusive.")
    panel = models.CharField(
        max_length=200, help_text="Who selects, for example: the Tilbury ward panel."
    )
    feedback_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "title"]
        verbose_name = "Most Significant Change round"

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "The period must end on or after its start."})


class MscDomain(models.Model):
    """A domain of change. With an outcome, its stories are those whose tellers chose that outcome;
    without one it is "any other change" and every story of the period can be chosen."""

    round = models.ForeignKey(MscRound, on_delete=models.CASCADE, related_name="domains")
    name = models.CharField(max_length=150)
    outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "position", "id"]

    def __str__(self) -> str:
        return self.name


class MscSelection(BaseModel):
    round = models.ForeignKey(MscRound, on_delete=models.CASCADE, related_name="selections")
    domain = models.OneToOneField(MscDomain, on_delete=models.CASCADE, related_name="selection")
    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="msc_selections")
    reasons = models.TextField(help_text="Why the panel found this change the most significant.")
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["domain__position"]

    def __str__(self) -> str:
        return f"{self.domain}: {self.story}"
