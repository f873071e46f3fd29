"""The double-entry ledger in integer minutes.

A transaction holds two or more entries whose amounts sum to zero. Committed entries never change:
a mistake is corrected by a reversal that points to the original. Only ``commonweal.timebank.ledger``
writes these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from commonweal.core.models import BaseModel
from commonweal.timebank.constants import (
    AccountKind,
    AccountStatus,
    ConfirmationDecision,
    TransactionKind,
    TransactionState,
)
from commonweal.timebank.models.banks import Category, Timebank
from commonweal.timebank.models.members import Member


class Account(BaseModel):
    """Where a member's, an organisation's, the community pot's or the bank's minutes are kept.

    ``cached_balance`` is the sum of the account's committed entries, kept by the ledger under a row
    lock in the transaction that commits them; the nightly reconciliation proves it.
    """

    timebank = models.ForeignKey(Timebank, on_delete=models.PROTECT, related_name="accounts")
    kind = models.CharField(max_length=16, choices=AccountKind.choices)
    member = models.OneToOneField(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="account"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="timebank_accounts",
    )
    name = models.CharField(max_length=200)
    status = models.CharField(
        max_length=8, choices=AccountStatus.choices, default=AccountStatus.OPEN
    )
    min_balance = models.IntegerField(
        null=True, blank=True, help_text="In minutes; empty takes the timebank's."
    )
    max_balance = models.IntegerField(
        null=True, blank=True, help_text="In minutes; empty takes the timebank's."
    )
    cached_balance = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["timebank", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=AccountKind.MEMBER) | models.Q(member__isnull=False),
                name="timebank_member_account_has_member",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=AccountKind.ORGANISATION)
                | models.Q(organisation__isnull=False),
                name="timebank_organisation_account_has_organisation",
            ),
            models.UniqueConstraint(
                fields=["timebank", "organisation"],
                condition=models.Q(kind=AccountKind.ORGANISATION),
                name="timebank_one_account_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["timebank", "kind"],
                condition=models.Q(kind__in=[AccountKind.COMMUNITY_POT, AccountKind.ISSUANCE]),
                name="timebank_one_pot_and_issuer",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AccountLimitChange(BaseModel):
    """Every change of an account's balance limits, with who and why."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="limit_changes")
    old_min_balance = models.IntegerField(null=True, blank=True)
    old_max_balance = models.IntegerField(null=True, blank=True)
    new_min_balance = models.IntegerField(null=True, blank=True)
    new_max_balance = models.IntegerField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()

    class Meta:
        ordering = ["account", "-created_at", "id"]


class Transaction(BaseModel):
    """An exchange, a group activity, a donation or a reversal. ``public_id`` is the client's UUID.

    ``request_digest`` is a digest of what the client sent, so a replay with a different body for the
    same id can be refused (409) rather than taken as the same request.
    """

    timebank = models.ForeignKey(Timebank, on_delete=models.PROTECT, related_name="transactions")
    kind = models.CharField(max_length=16, choices=TransactionKind.choices)
    state = models.CharField(
        max_length=16, choices=TransactionState.choices, default=TransactionState.PENDING
    )
    description = models.TextField(blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="transactions"
    )
    service_date = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member a broker recorded it for.",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    reason = models.TextField(blank=True, help_text="Why a reversal or adjustment was made.")
    home_visit = models.BooleanField(default=False)
    needs_broker_because = models.TextField(
        blank=True, help_text="Why it waits for a broker (a limit, vetting, a late date)."
    )
    flagged = models.TextField(blank=True, help_text="Recorded, but a broker should look at it.")
    request_digest = models.CharField(max_length=64, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-service_date", "-id"]
        indexes = [
            models.Index(fields=["timebank", "state"], name="timebank_tx_bank_state_idx"),
            models.Index(fields=["timebank", "service_date"], name="timebank_tx_bank_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.public_id}"


class Entry(models.Model):
    """One side of a transaction: a signed number of minutes on one account. Never updated."""

    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount_minutes = models.BigIntegerField()

    class Meta:
        ordering = ["transaction", "id"]
        verbose_name_plural = "entries"
        indexes = [
            models.Index(fields=["account", "transaction"], name="timebank_entry_account_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(amount_minutes=0), name="timebank_entry_not_zero"
            ),
            models.UniqueConstraint(
                fields=["transaction", "account"], name="timebank_entry_one_per_account"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount_minutes:+d} min"


class Confirmation(BaseModel):
    """A party's (or a broker's) yes or no to a pending transaction."""

    transaction = models.ForeignKey(
        Transaction, on_delete=models.CASCADE, related_name="confirmations"
    )
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=8, choices=ConfirmationDecision.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["transaction", "created_at", "id"]
