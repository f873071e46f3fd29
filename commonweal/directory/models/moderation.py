"""Claims of listings, edits proposed by groups, versions of listings, review reminders and patches.

A listing's approved content is kept as ``ServiceVersion`` documents (JSON); a group's proposed change is
a ``ServiceEdit`` holding the whole proposed document and the version it started from, so that a
moderator sees a field-by-field difference and the live listing changes only on approval.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from commonweal.core.models import BaseModel
from commonweal.directory.constants import ModerationStatus
from commonweal.directory.models.organizations import Organization
from commonweal.directory.models.services import Service


class ModeratedModel(BaseModel):
    """Something a moderator approves or rejects (with a reason), once."""

    status = models.CharField(
        max_length=10, choices=ModerationStatus.choices, default=ModerationStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was rejected (sent to the person).")

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status == ModerationStatus.PENDING


class ListingClaim(ModeratedModel):
    """Someone says a listed organisation is their group and asks to keep its listings current."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="claims")
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims",
        help_text="The listing the claim was made from.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_claims"
    )
    role_in_group = models.CharField(max_length=200)
    evidence = models.TextField(
        help_text="How a moderator can check the person acts for the group."
    )
    consent_to_contact = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=models.Q(status=ModerationStatus.PENDING),
                name="directory_claim_one_open_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"Claim of {self.organization} by {self.user}"


class ServiceVersion(BaseModel):
    """An approved state of a listing: the fields groups edit, as one JSON document."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who approved it (nobody for the listing as first recorded).",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["service", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "number"], name="directory_version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} version {self.number}"


class ServiceEdit(ModeratedModel):
    """A change to a listing proposed by one of its group's representatives, waiting for a moderator."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="edits")
    base_version = models.ForeignKey(
        ServiceVersion,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="What it started from.",
    )
    proposed = models.JSONField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_edits",
    )
    result_version = models.ForeignKey(
        ServiceVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"], name="directory_edit_queue_idx")]

    def __str__(self) -> str:
        return f"Change to {self.service}"


class ReviewReminder(BaseModel):
    """A reminder sent to a listing's group to check it (at most one every 30 days)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="review_reminders")
    sent_on = models.DateField()
    recipients = models.JSONField(default=list)

    class Meta:
        ordering = ["service", "-sent_on"]
        indexes = [models.Index(fields=["service", "sent_on"], name="directory_reminder_idx")]

    def __str__(self) -> str:
        return f"Reminder for {self.service} on {self.sent_on}"


class DirectoryPatch(BaseModel):
    """The wards an information champion looks after: for one person, or for everyone moderating
    for one organisation. A champion without a patch sees the whole directory."""

    name = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="directory_patches",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="directory_patches",
        help_text="Everyone moderating for this organisation has the patch.",
    )
    wards = models.ManyToManyField("geo.Area", related_name="+", limit_choices_to={"kind": "ward"})

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "directory patches"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(organisation__isnull=False),
                name="directory_patch_has_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name
