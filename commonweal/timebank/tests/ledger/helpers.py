from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from commonweal.timebank import ledger
from commonweal.timebank.models import Account, Confirmation, Entry, Transaction


def record(actor: Any, payer: Account, payee: Account, minutes: int = 60, **extra: Any):
    """Record an exchange with a fresh client id; returns the transaction."""
    extra.setdefault("description", "Helped with the garden")
    extra.setdefault("service_date", timezone.localdate() - dt.timedelta(days=1))
    tx, created = ledger.exchange_record(
        actor=actor,
        client_id=extra.pop("client_id", uuid.uuid4()),
        payer=payer,
        payee=payee,
        minutes=minutes,
        **extra,
    )
    assert created
    return tx


def balance(account: Account) -> int:
    account.refresh_from_db()
    return account.cached_balance


def snapshot() -> tuple[Any, ...]:
    """Everything a refused request must leave as it was."""
    return (
        Transaction.objects.count(),
        list(Entry.objects.order_by("pk").values_list("pk", "account_id", "amount_minutes")),
        list(Account.objects.order_by("pk").values_list("pk", "cached_balance", "status")),
        list(Transaction.objects.order_by("pk").values_list("pk", "state")),
        Confirmation.objects.count(),
    )


def committed_sum(account: Account) -> int:
    return (
        Entry.objects.filter(account=account, transaction__state="committed").aggregate(
            total=Sum("amount_minutes")
        )["total"]
        or 0
    )
