"""The timebank's models: banks and localities, members and vetting, the ledger."""

from __future__ import annotations

from commonweal.timebank.models.banks import Category, Locality, Timebank
from commonweal.timebank.models.giftboard import Connection, GiftPost
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
    "Connection",
    "Entry",
    "GiftPost",
    "Locality",
    "Member",
    "Transaction",
    "Timebank",
    "VettingRecord",
]
