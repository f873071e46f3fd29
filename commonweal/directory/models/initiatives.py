"""Initiatives: place-based programmes (a community hub, Local Area Coordination...) and their wards."""

from __future__ import annotations

from django.db import models

from commonweal.core.models import BaseModel
from commonweal.directory.constants import InitiativeKind
from commonweal.directory.models.organizations import Organization
from commonweal.directory.models.services import Service


class Initiative(BaseModel):
    """A programme that works in some wards of the borough: the rows of the initiatives x wards matrix."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=InitiativeKind.choices)
    description = models.TextField(blank=True)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives",
        help_text="Who runs it.",
    )
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives",
        help_text="Its listing in the directory, if it has one.",
    )
    wards = models.ManyToManyField(
        "geo.Area",
        blank=True,
        related_name="directory_initiatives",
        limit_choices_to={"kind": "ward"},
        help_text="The wards it covers.",
    )
    url = models.URLField(max_length=500, blank=True)
    email = models.EmailField(blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.ended_on is None
