"""Awards: the letter, conditions, payments, the sweat-equity match and monitoring reports."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from commonweal.core.models import BaseModel
from commonweal.grants.models.canvas import Canvas
from commonweal.outcomes.models import Outcome


class Award(BaseModel):
    """Money awarded to a funded canvas. The volunteer-hour match is kept apart from the cash."""

    canvas = models.OneToOneField(Canvas, on_delete=models.PROTECT, related_name="award")
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    awarded_on = models.DateField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    conditions = models.TextField(blank=True)
    letter = models.TextField(help_text="The award letter as sent.")
    pledged_hours = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    hourly_rate = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        help_text="The round's rate in force on the day of the award.",
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-awarded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="grants_award_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"£{self.amount} to {self.canvas.applicant_name}"

    @property
    def pledged_value(self) -> Decimal:
        return (self.pledged_hours * self.hourly_rate).quantize(Decimal("0.01"))


class Payment(BaseModel):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="payments")
    due_on = models.DateField()
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["award", "due_on", "id"]

    def __str__(self) -> str:
        return f"£{self.amount} due {self.due_on}"


class MonitoringReportQuerySet(models.QuerySet["MonitoringReport"]):
    def outstanding(self) -> MonitoringReportQuerySet:
        return self.filter(received_at__isnull=True)

    def late(self) -> MonitoringReportQuerySet:
        return self.outstanding().filter(due_on__lt=timezone.localdate())


class MonitoringReport(BaseModel):
    """A report the group owes at a set time, and what it said when it came in."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="reports")
    title = models.CharField(max_length=150)
    due_on = models.DateField()
    received_at = models.DateTimeField(null=True, blank=True)
    what_happened = models.TextField(blank=True)
    outcomes_achieved = models.ManyToManyField(Outcome, blank=True, related_name="+")
    volunteer_hours = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    timebank_hours = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        help_text="Hours members gave to or through the group's timebank account in the report's "
        "period, as the timebank showed them when the report came in.",
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MonitoringReportQuerySet.as_manager()

    class Meta:
        ordering = ["award", "due_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_late(self) -> bool:
        return self.received_at is None and self.due_on < timezone.localdate()

    @property
    def total_hours(self) -> Decimal:
        """The hours the group stated beside those the timebank evidences: both count as delivered."""
        return self.volunteer_hours + self.timebank_hours


class ReportStory(BaseModel):
    """A published story a group or officer linked to a monitoring report as evidence of change."""

    report = models.ForeignKey(
        MonitoringReport, on_delete=models.CASCADE, related_name="story_links"
    )
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="+")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["report", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "story"], name="grants_report_story_unique")
        ]

    def __str__(self) -> str:
        return f"{self.story_id} on {self.report}"
