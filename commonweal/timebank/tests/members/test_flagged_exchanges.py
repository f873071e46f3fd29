"""Under the "flag" limit policy an exchange past a limit counts, and brokers see it on their console."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from commonweal.timebank import ledger
from commonweal.timebank.constants import LimitPolicy, TransactionState
from commonweal.timebank.member_selectors import exchanges_flagged
from commonweal.timebank.tests.factories import account_of, member_with_account

pytestmark = pytest.mark.django_db


def exchange(actor, payer, payee, minutes, description):
    transaction, _ = ledger.exchange_record(
        actor=actor,
        client_id=uuid.uuid4(),
        payer=payer,
        payee=payee,
        minutes=minutes,
        description=description,
        service_date=timezone.localdate(),
    )
    return transaction


@pytest.fixture
def flagging(timebank, other_timebank):
    for bank in (timebank, other_timebank):
        bank.limit_policy = LimitPolicy.FLAG
        bank.default_min_balance = -120
        bank.group_activities_first = 0
        bank.save()


def test_the_console_lists_flagged_exchanges_of_its_own_timebank(
    client, flagging, timebank, other_timebank, broker, other_broker
):
    alice, bob = member_with_account(timebank), member_with_account(timebank)
    fine = exchange(alice.user, account_of(alice), account_of(bob), 60, "Lift to the shops")
    over = exchange(alice.user, account_of(alice), account_of(bob), 180, "Painted the hall")
    assert over.state == TransactionState.COMMITTED and over.flagged
    carol, dan = member_with_account(other_timebank), member_with_account(other_timebank)
    elsewhere = exchange(carol.user, account_of(carol), account_of(dan), 240, "Moved a piano")
    assert elsewhere.flagged

    assert list(exchanges_flagged(timebank=timebank)) == [over]

    client.force_login(broker)
    page = client.get(reverse("timebank:broker", args=[timebank.slug])).content.decode()
    assert "Flagged exchanges (1)" in page
    assert "Painted the hall" in page and "below the lowest balance allowed" in page
    assert reverse("timebank:exchange_reverse", args=[timebank.slug, over.public_id]) in page
    assert "Moved a piano" not in page
    assert fine.description in page  # among recent exchanges, never flagged

    client.force_login(other_broker)
    other = client.get(reverse("timebank:broker", args=[other_timebank.slug])).content.decode()
    assert "Moved a piano" in other and "Painted the hall" not in other


def test_a_reversed_flagged_exchange_leaves_the_list(client, flagging, timebank, broker):
    alice, bob = member_with_account(timebank), member_with_account(timebank)
    over = exchange(alice.user, account_of(alice), account_of(bob), 180, "Painted the hall")
    ledger.transaction_reverse(
        actor=broker, transaction=over, reason="Recorded twice", client_id=uuid.uuid4()
    )
    assert list(exchanges_flagged(timebank=timebank)) == []
    client.force_login(broker)
    page = client.get(reverse("timebank:broker", args=[timebank.slug])).content.decode()
    assert "No exchanges have been flagged." in page
