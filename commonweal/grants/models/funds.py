"""Funds and their rounds: dates, money, eligible wards, outcomes, the rubric and the canvas fields."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.core.models import BaseModel
from commonweal.geo.models import Area
from commonweal.grants.constants import CriterionKind, FieldKind, FundKind, MatchRule
from commonweal.outcomes.models import Outcome


class Fund(BaseModel):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=FundKind.choices)
    description = models.TextField(blank=True)
    funder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="funds",
        help_text="The council or partner whose money it is; it publishes the 360Giving data.",
    )
    publisher_prefix = models.CharField(
        max_length=40,
        help_text="The 360Giving publisher prefix, for example 360G-demothurrock.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoundQuerySet(models.QuerySet["Round"]):
    def open_now(self) -> RoundQuerySet:
        now = timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)


class Round(BaseModel):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150)
    description = models.TextField(blank=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    budget = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    max_award = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    wards = models.ManyToManyField(Area, blank=True, related_name="+", help_text="Empty: anywhere.")
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="+")
    match_rule = models.CharField(max_length=20, choices=MatchRule.choices, default=MatchRule.NONE)
    hourly_rate = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Pounds an hour a volunteer hour is valued at (for example the Real Living Wage).",
    )
    disagreement_threshold = models.PositiveSmallIntegerField(
        default=2, help_text="Flag a criterion when panellists' scores are this many points apart."
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "slug"], name="grants_round_unique_slug"),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="grants_round_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(max_award__lte=models.F("budget")),
                name="grants_round_max_award_within_budget",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund.name}: {self.name}"

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.opens_at <= now < self.closes_at

    @property
    def has_closed(self) -> bool:
        return timezone.now() >= self.closes_at

    @property
    def needs_match(self) -> bool:
        return self.match_rule == MatchRule.VOLUNTEER_HOURS


class Criterion(BaseModel):
    """One line of the round's rubric: an outcome or a criterion, its weight and what each score means."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    kind = models.CharField(max_length=12, choices=CriterionKind.choices)
    outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=150)
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    scale_max = models.PositiveSmallIntegerField(default=5)
    descriptors = models.JSONField(
        default=dict, blank=True, help_text='What each score means: {"0": "...", "5": "..."}.'
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "position", "id"]
        verbose_name_plural = "criteria"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_max__gte=1), name="grants_criterion_scale_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def descriptor_for(self, score: int) -> str:
        return str(self.descriptors.get(str(score), ""))


class CanvasField(BaseModel):
    """A question on the round's ideas canvas."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="canvas_fields")
    key = models.SlugField(max_length=50)
    label = models.CharField(max_length=200)
    hint = models.CharField(max_length=400, blank=True)
    kind = models.CharField(max_length=12, choices=FieldKind.choices, default=FieldKind.LONG_TEXT)
    required = models.BooleanField(default=True)
    max_length = models.PositiveIntegerField(default=1000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="grants_canvas_field_unique_key")
        ]

    def __str__(self) -> str:
        return self.label
