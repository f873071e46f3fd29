"""Panels, their members, conflict-of-interest declarations, scores and decisions."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from commonweal.core.models import BaseModel
from commonweal.grants.constants import DecisionOutcome, PanelMemberKind
from commonweal.grants.models.canvas import Canvas
from commonweal.grants.models.funds import Criterion, Round


class Panel(BaseModel):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="panels")
    name = models.CharField(max_length=150)
    meets_on = models.DateField(null=True, blank=True)
    calibration_canvases = models.ManyToManyField(
        Canvas,
        blank=True,
        related_name="+",
        help_text="Two or three ideas every member scores first, to compare how they use the rubric.",
    )

    class Meta:
        ordering = ["round", "name"]

    def __str__(self) -> str:
        return self.name


class PanelMemberQuerySet(models.QuerySet["PanelMember"]):
    def active(self) -> PanelMemberQuerySet:
        return self.filter(removed_at__isnull=True)


class PanelMember(BaseModel):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_seats"
    )
    kind = models.CharField(max_length=16, choices=PanelMemberKind.choices)
    declared_at = models.DateTimeField(
        null=True, blank=True, help_text="When the member made their declaration of interests."
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.CharField(max_length=300, blank=True)

    objects = PanelMemberQuerySet.as_manager()

    class Meta:
        ordering = ["panel", "id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="grants_panel_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()})"


class Conflict(BaseModel):
    """A declared (or automatic) conflict of interest: the member never sees nor scores the canvas."""

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="conflicts")
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="conflicts")
    nature = models.CharField(max_length=300, help_text="What the interest is.")

    class Meta:
        ordering = ["member", "canvas"]
        constraints = [
            models.UniqueConstraint(fields=["member", "canvas"], name="grants_conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} and {self.canvas}"


class Score(BaseModel):
    """One panellist's score of one canvas on one line of the rubric. No value means N/A."""

    sensitive = True

    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="scores")
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["canvas", "criterion", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "canvas", "criterion"], name="grants_score_unique"
            )
        ]
        # Covers the panel results' grouping by idea and line of the rubric without a sort.
        indexes = [
            models.Index(
                fields=["canvas", "criterion", "member", "value"], name="grants_score_results_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Decision(BaseModel):
    """The panel's decision on a canvas, with reasons and feedback for the applicant."""

    canvas = models.OneToOneField(Canvas, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(max_length=12, choices=DecisionOutcome.choices)
    amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    reasons = models.TextField(help_text="Why: kept on the record.")
    feedback = models.TextField(help_text="What we tell the applicant.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.canvas}: {self.get_outcome_display()}"


class DecisionChange(BaseModel):
    """Every change to a decision after it was made, with the reason given."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="changes")
    before = models.JSONField()
    after = models.JSONField()
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["decision", "created_at"]

    def __str__(self) -> str:
        return f"Change to {self.decision}"
