"""Real threads, each with its own database connection, racing to overdraw and to double-submit.

PostgreSQL only: there the accounts' row locks decide. SQLite's in-memory test database (shared
cache) answers a second writer with "table is locked" at once instead of waiting, so a race there
tests SQLite's test set-up rather than the ledger; a file database serialises writers itself.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid
from collections import Counter

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from commonweal.timebank import ledger
from commonweal.timebank.exceptions import LedgerError
from commonweal.timebank.models import Account, Entry, Transaction
from commonweal.timebank.selectors import ledger_reconcile
from commonweal.timebank.tests.ledger.factories import TimebankFactory, member_account

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="races need PostgreSQL's row locks (run with DATABASE_URL=postgres://...)",
    ),
]


def _race(count, attempt):
    """Run ``attempt(i)`` in ``count`` threads released together; return their results."""
    start = threading.Barrier(count)
    results = [None] * count

    def run(i):
        try:
            start.wait(timeout=30)
            results[i] = attempt(i)
        except LedgerError as error:
            results[i] = error.code
        except Exception as error:  # noqa: BLE001 - reported by the assertions below
            results[i] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    return results


def test_many_threads_cannot_overdraw_an_account_at_its_limit():
    bank = TimebankFactory(default_min_balance=-600)
    payer = member_account(bank, "Payer")
    payees = [member_account(bank, f"Helper {n}") for n in range(16)]
    user = payer.member.user
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    def attempt(i):
        tx, created = ledger.exchange_record(
            actor=user,
            client_id=uuid.uuid4(),
            payer=Account.objects.select_related("timebank", "member").get(pk=payer.pk),
            payee=Account.objects.select_related("timebank", "member").get(pk=payees[i].pk),
            minutes=60,
            description="Lifts to the surgery",
            service_date=yesterday,
        )
        return tx.state

    results = _race(16, attempt)
    assert Counter(results) == Counter({"committed": 10, "over_limit": 6}), results
    payer.refresh_from_db()
    assert payer.cached_balance == -600
    assert Transaction.objects.filter(state="committed").count() == 10
    assert ledger_reconcile().sound


def test_the_same_client_id_from_many_threads_records_one_exchange():
    bank = TimebankFactory()
    payer, payee = member_account(bank, "Payer"), member_account(bank, "Payee")
    client_id = uuid.uuid4()
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    def attempt(i):
        tx, created = ledger.exchange_record(
            actor=payer.member.user,
            client_id=client_id,
            payer=Account.objects.select_related("timebank", "member").get(pk=payer.pk),
            payee=Account.objects.select_related("timebank", "member").get(pk=payee.pk),
            minutes=45,
            description="Shopping",
            service_date=yesterday,
        )
        return (tx.public_id, created)

    results = _race(8, attempt)
    assert sorted(created for _, created in results) == [False] * 7 + [True], results
    assert {public_id for public_id, _ in results} == {client_id}
    assert Transaction.objects.count() == 1
    assert Entry.objects.count() == 2
    payee.refresh_from_db()
    assert payee.cached_balance == 45
