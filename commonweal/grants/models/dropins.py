"""Drop-in sessions where groups get help with their ideas canvas, and who booked a place."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from commonweal.core.models import BaseModel
from commonweal.grants.models.funds import Round


class DropInSession(BaseModel):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="dropins")
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=200)
    capacity = models.PositiveSmallIntegerField(default=10)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.place}, {self.starts_at:%d %b %Y %H:%M}"


class DropInBooking(BaseModel):
    session = models.ForeignKey(DropInSession, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    needs = models.CharField(
        max_length=300,
        blank=True,
        help_text="Anything that would help: an interpreter, step-free access.",
    )

    class Meta:
        ordering = ["session", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="grants_dropin_booking_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.session}"
