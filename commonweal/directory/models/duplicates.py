"""Pairs of listings that look like the same service, for a moderator to merge or dismiss."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from commonweal.core.models import BaseModel
from commonweal.directory.constants import DuplicateStatus
from commonweal.directory.models.services import Service


class DuplicateCandidate(BaseModel):
    """Two services the duplicate detector thinks are one (``service_a`` has the smaller key).

    The detector (``directory_find_duplicates``) refreshes open pairs and never reopens a pair a
    moderator has decided on: a dismissed pair stays dismissed however often it runs.
    """

    service_a = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    service_b = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(help_text="How alike the two are, from 0 to 1.")
    reasons = models.JSONField(default=list, blank=True, help_text="What the two have in common.")
    status = models.CharField(
        max_length=12,
        choices=DuplicateStatus.choices,
        default=DuplicateStatus.OPEN,
        db_index=True,
    )
    kept = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The listing kept when the pair was merged.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_a", "service_b"], name="directory_duplicate_unique_pair"
            ),
            models.CheckConstraint(
                condition=models.Q(service_a__lt=models.F("service_b")),
                name="directory_duplicate_ordered_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_a} / {self.service_b} ({self.score:.2f})"
