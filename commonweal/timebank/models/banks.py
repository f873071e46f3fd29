"""Timebanks, their localities and the one vocabulary of skills and categories."""

from __future__ import annotations

from django.db import models

from commonweal.core.models import BaseModel
from commonweal.timebank.constants import ConfirmationPolicy, LimitPolicy


class Timebank(BaseModel):
    """A timebank (usually one borough-wide bank with locality groups) and its rules."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="timebanks",
        help_text="Who runs it; its brokers are this organisation's members with the broker role.",
    )
    rounding_minutes = models.PositiveSmallIntegerField(
        default=15, help_text="Exchanges are recorded in steps of this many minutes."
    )
    default_min_balance = models.IntegerField(
        default=-600,
        help_text="Lowest balance an account may reach, in minutes (-600 is -10 hours).",
    )
    default_max_balance = models.IntegerField(
        null=True, blank=True, help_text="Highest balance an account may reach, in minutes."
    )
    limit_policy = models.CharField(
        max_length=10, choices=LimitPolicy.choices, default=LimitPolicy.APPROVAL
    )
    confirmation_policy = models.CharField(
        max_length=10, choices=ConfirmationPolicy.choices, default=ConfirmationPolicy.PAYER
    )
    auto_confirm_after_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="With 'counts after a set number of days'."
    )
    max_backdate_days = models.PositiveSmallIntegerField(
        default=90, help_text="How long after the help was given it may still be recorded."
    )
    group_activities_first = models.PositiveSmallIntegerField(
        default=2,
        help_text="New members take part in this many group activities before one-to-one exchanges.",
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Locality(BaseModel):
    """A locality group of a timebank, covering some wards."""

    timebank = models.ForeignKey(Timebank, on_delete=models.CASCADE, related_name="localities")
    name = models.CharField(max_length=200)
    wards = models.ManyToManyField(
        "geo.Area", blank=True, related_name="+", limit_choices_to={"kind": "ward"}
    )

    class Meta:
        ordering = ["timebank", "name", "id"]
        verbose_name_plural = "localities"
        constraints = [
            models.UniqueConstraint(fields=["timebank", "name"], name="timebank_locality_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Category(BaseModel):
    """One vocabulary of skills and kinds of help, shared by exchanges, offers, needs and goods."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(blank=True)
    is_goods = models.BooleanField(default=False, help_text="Items to give away, not time.")

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name
