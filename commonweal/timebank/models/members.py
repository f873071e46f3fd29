"""Members of a timebank, their vetting, and proxy members a broker runs for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from commonweal.core.models import BaseModel
from commonweal.geo.models import LocatedModel
from commonweal.timebank.constants import MemberStatus, VettingKind, VettingOutcome
from commonweal.timebank.models.banks import Locality, Timebank


class Member(LocatedModel, BaseModel):
    """A person in a timebank. Proxy members have no user: a broker acts for them.

    The postcode (and so the point, ward and LSOA) is only ever the postcode: never an address.
    """

    timebank = models.ForeignKey(Timebank, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="timebank_members",
    )
    display_name = models.CharField(max_length=120, help_text="The name other members see.")
    locality = models.ForeignKey(
        Locality, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    status = models.CharField(
        max_length=10, choices=MemberStatus.choices, default=MemberStatus.APPLIED
    )
    is_proxy = models.BooleanField(
        default=False, help_text="Has no email or internet: a broker records for them."
    )
    proxy_broker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="timebank_proxies",
        help_text="The broker who acts for a proxy member.",
    )
    contact_notes = models.TextField(
        blank=True, help_text="How the broker reaches a proxy member (brokers only)."
    )
    vulnerable = models.BooleanField(
        default=False,
        help_text="Exchanges with this member need a vetted provider or a broker's approval.",
    )
    no_home_visits = models.BooleanField(
        default=False,
        help_text="A broker's restriction: no exchange in someone's home, given or received.",
    )
    accompanied_only = models.BooleanField(
        default=False,
        help_text=(
            "A broker's restriction: one-to-one exchanges only with someone else there, "
            "so a broker approves each one."
        ),
    )
    restriction_note = models.TextField(
        blank=True, help_text="Why the restrictions were set and what was agreed (brokers only)."
    )
    about = models.TextField(blank=True, help_text="What the member shares about themselves.")
    can_offer = models.TextField(
        blank=True, help_text="What they said, when they applied, they could offer."
    )
    might_need = models.TextField(
        blank=True, help_text="What they said, when they applied, they might need."
    )
    terms_agreed_at = models.DateTimeField(
        null=True, blank=True, help_text="When they agreed to the members' agreement."
    )
    decision_note = models.TextField(
        blank=True, help_text="Why a broker did not accept the application (sent to them)."
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    joined_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["timebank", "display_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["timebank", "user"],
                condition=models.Q(user__isnull=False),
                name="timebank_member_one_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(is_proxy=True),
                name="timebank_member_user_or_proxy",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def has_restrictions(self) -> bool:
        return self.no_home_visits or self.accompanied_only


class VettingRecord(BaseModel):
    """A DBS check, a reference, an induction or an identity check, with when it runs out."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="vetting")
    kind = models.CharField(max_length=24, choices=VettingKind.choices)
    outcome = models.CharField(
        max_length=10, choices=VettingOutcome.choices, default=VettingOutcome.CLEAR
    )
    checked_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    reference = models.CharField(
        max_length=120, blank=True, help_text="Certificate number or the referee's name."
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["member", "-checked_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.checked_on})"
