"""What staff keep and compare the stories with: golden nuggets (a story flagged with a note of why it
matters) and the populations of wards (who lives there, for "whose voices")."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from commonweal.core.models import BaseModel
from commonweal.geo.models import Area
from commonweal.stories.models.stories import Story


class GoldenNugget(BaseModel):
    """A story a member of staff flagged as a golden nugget, with their note. Internal only.

    One per story: flagging again changes the note. Unflagging deletes it; the audit log keeps who
    flagged and unflagged it, when, and the note.
    """

    sensitive = True

    story = models.OneToOneField(Story, on_delete=models.CASCADE, related_name="nugget")
    note = models.TextField()
    kept_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Golden nugget: {self.story}"


class WardPopulation(models.Model):
    """How many people live in a ward, as the council imported it, for "whose voices" comparisons.

    ``groups`` keeps any extra columns of the import (age bands or other groups) as name: count.
    """

    area = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="+")
    population = models.PositiveIntegerField()
    groups = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area__name"]

    def __str__(self) -> str:
        return f"{self.area.name}: {self.population:,}"
