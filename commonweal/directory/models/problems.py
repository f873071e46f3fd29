"""Problems members of the public report with a listing ("the times are wrong"), for moderators."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from commonweal.core.models import BaseModel
from commonweal.directory.constants import ProblemKind, ProblemReportStatus
from commonweal.directory.models.services import Service


class ProblemReport(BaseModel):
    """One report that a listing is wrong. Whoever sent it may leave an email address for a reply.

    The reporter's email is personal data: only moderators see it, and only to reply.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="problem_reports")
    kind = models.CharField(max_length=16, choices=ProblemKind.choices)
    details = models.TextField(blank=True)
    reply_email = models.EmailField(blank=True)
    status = models.CharField(
        max_length=12, choices=ProblemReportStatus.choices, default=ProblemReportStatus.OPEN
    )
    dealt_with_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dealt_with_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="What the moderator did about it.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="directory_problem_status_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.service}"
