"""Sponsors: council officers who accompany every applicant, funded or not, and their contact logs."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from commonweal.core.models import BaseModel
from commonweal.geo.models import Area
from commonweal.grants.models.canvas import Canvas


class SponsorProfile(BaseModel):
    """An officer who sponsors projects: the wards they know, their themes, how many they can take."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sponsor_profile"
    )
    wards = models.ManyToManyField(Area, blank=True, related_name="+")
    themes = models.CharField(
        max_length=300,
        blank=True,
        help_text="Words for what they know, separated by commas: food, young people, gardens.",
    )
    capacity = models.PositiveSmallIntegerField(default=8, help_text="Most projects at once.")

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def theme_words(self) -> list[str]:
        return [word.strip().lower() for word in self.themes.split(",") if word.strip()]


class SponsorContact(BaseModel):
    """One conversation, visit or call between a sponsor and the group they accompany."""

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="sponsor_contacts")
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    happened_on = models.DateField()
    note = models.TextField()

    class Meta:
        ordering = ["canvas", "-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.sponsor} and {self.canvas} on {self.happened_on}"
