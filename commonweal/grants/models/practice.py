"""A fund's community of practice: its projects and sponsors, events and shared notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from commonweal.accounts.models import Organisation
from commonweal.core.models import BaseModel
from commonweal.grants.models.funds import Fund


class PracticeMember(BaseModel):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="practice_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=40, help_text="Project, sponsor or programme team.")

    class Meta:
        ordering = ["fund", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "user"], name="grants_practice_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.fund}"


class PracticeEvent(BaseModel):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="practice_events")
    title = models.CharField(max_length=150)
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title


class PracticeNote(BaseModel):
    """Shared learning: what worked, what did not, a tip for other projects."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="practice_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=150)
    body = models.TextField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
