"""Ideas canvases (applications), their collaborators and attachments."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from commonweal.accounts.models import Organisation
from commonweal.core.models import BaseModel
from commonweal.geo.models import Area
from commonweal.grants.constants import CanvasStatus
from commonweal.grants.models.funds import Round


class CanvasQuerySet(models.QuerySet["Canvas"]):
    def submitted(self) -> CanvasQuerySet:
        return self.exclude(status__in=[CanvasStatus.DRAFT, CanvasStatus.MERGED])

    def in_gallery(self) -> CanvasQuerySet:
        return self.filter(in_gallery=True).exclude(status=CanvasStatus.MERGED)


class Canvas(BaseModel):
    """A group's idea for a round: the answers to the round's canvas fields, a draft until submitted."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="canvases")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="canvases"
    )
    group_name = models.CharField(
        max_length=200, blank=True, help_text="For a group with no organisation on Commonweal."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_canvases"
    )
    title = models.CharField(max_length=140)
    summary = models.CharField(max_length=500, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    amount_requested = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    pledged_hours = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    ward = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lsoa = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=CanvasStatus.choices, default=CanvasStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    in_gallery = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_canvases",
        help_text="The council officer who accompanies the project, funded or not.",
    )

    objects = CanvasQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "canvases"

    def __str__(self) -> str:
        return self.title

    @property
    def applicant_name(self) -> str:
        return self.organisation.name if self.organisation is not None else self.group_name

    @property
    def is_draft(self) -> bool:
        return self.status == CanvasStatus.DRAFT

    @property
    def pledged_value(self) -> Decimal:
        return (self.pledged_hours * self.round.hourly_rate).quantize(Decimal("0.01"))


class Collaborator(BaseModel):
    """Another group working on the idea with the applicant."""

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="collaborators")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=200, blank=True, help_text="What they bring.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["canvas", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["canvas", "organisation"], name="grants_collaborator_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.canvas}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"grants/{instance.canvas.public_id}/{instance.public_id}-{filename}"


class Attachment(BaseModel):
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["canvas", "id"]

    def __str__(self) -> str:
        return self.name
