"""The timebank's models: banks and localities, members and vetting, the ledger."""

from __future__ import annotations

from commonweal.timebank.models.banks import Category, Locality, Timebank
from commonweal.timebank.models.ledger import (
    Account,
    AccountLimitChange,
    Confirmation,
    Entry,
    Transaction,
)
from commonweal.timebank.models.members import Member, VettingRecord

__all__ = [
    "Account",
    "AccountLimitChange",
    "Category",
    "Confirmation",
    "Entry",
    "Locality",
    "Member",
    "Transaction",
    "Timebank",
    "VettingRecord",
]
