"""A broker reverses any committed exchange from a member's statement, not only the console's latest
twenty: a mistake found months later can still be put right, with a reason both members see."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from commonweal.timebank import ledger
from commonweal.timebank.models import Transaction
from commonweal.timebank.tests.factories import account_of, member_with_account

pytestmark = pytest.mark.django_db


def exchange(payer, payee, minutes=60, description="Helped with shopping"):
    transaction, _ = ledger.exchange_record(
        actor=payer.user,
        client_id=uuid.uuid4(),
        payer=account_of(payer),
        payee=account_of(payee),
        minutes=minutes,
        description=description,
        service_date=timezone.localdate(),
    )
    return transaction


def reverse_url(timebank, transaction, member=None):
    url = reverse("timebank:exchange_reverse", args=[timebank.slug, transaction.public_id])
    return f"{url}?member={member.public_id}" if member is not None else url


def test_a_broker_reverses_an_exchange_from_months_ago_on_the_members_statement(
    client, timebank, broker
):
    helped = member_with_account(timebank, display_name="Hana Helped")
    helper = member_with_account(timebank, display_name="Hugo Helper")
    with time_machine.travel(timezone.now() - datetime.timedelta(days=150)):
        old = exchange(helped, helper, minutes=90, description="Cleared the garden")
    for _ in range(20):
        exchange(helper, helped, minutes=15, description="Lift to the surgery")
    client.force_login(broker)
    console = client.get(reverse("timebank:broker", args=[timebank.slug])).content.decode()
    assert str(old.public_id) not in console  # beyond the console's latest twenty

    statement_url = reverse("timebank:member_statement", args=[timebank.slug, helper.public_id])
    statement = client.get(statement_url).content.decode()
    link = reverse_url(timebank, old, helper)
    assert f'href="{link}"' in statement

    page = client.get(link).content.decode()
    assert "Cleared the garden" in page
    assert f'href="{statement_url}"' in page
    response = client.post(
        link, {"reason": "Recorded twice by mistake", "client_id": str(uuid.uuid4())}
    )
    assert response.status_code == 302
    assert response["Location"] == statement_url
    reversal = Transaction.objects.get(reverses=old)
    assert reversal.reason == "Recorded twice by mistake"
    assert reversal.recorded_by == broker
    assert account_of(helper).cached_balance == 20 * -15  # the 90 minutes went back

    after = client.get(statement_url).content.decode()
    assert "Recorded twice by mistake" in after
    assert f'href="{link}"' not in after  # reversed: no second reversal offered
    assert f"/exchanges/{reversal.public_id}/reverse/" not in after  # a reversal is not reversible

    client.force_login(helped.user)
    own = client.get(reverse("timebank:statement", args=[timebank.slug])).content.decode()
    assert "Recorded twice by mistake" in own


def test_the_member_page_offers_reverse_beside_recent_exchanges(client, timebank, broker):
    payer = member_with_account(timebank)
    payee = member_with_account(timebank)
    transaction = exchange(payer, payee)
    client.force_login(broker)
    page = client.get(
        reverse("timebank:member_detail", args=[timebank.slug, payer.public_id])
    ).content.decode()
    assert f'href="{reverse_url(timebank, transaction, payer)}"' in page


def test_members_never_see_the_reverse_link(client, timebank):
    payer = member_with_account(timebank)
    payee = member_with_account(timebank)
    exchange(payer, payee)
    for member in (payer, payee):
        client.force_login(member.user)
        for url in (
            reverse("timebank:statement", args=[timebank.slug]),
            f"{reverse('timebank:dashboard')}?timebank={timebank.slug}",
        ):
            page = client.get(url).content.decode()
            assert "Helped with shopping" in page
            assert "/reverse/" not in page, url


def test_a_broker_of_another_timebank_cannot_reverse(
    client, timebank, other_timebank, broker, other_broker
):
    payer = member_with_account(timebank)
    payee = member_with_account(timebank)
    transaction = exchange(payer, payee, minutes=30)
    client.force_login(other_broker)
    link = reverse_url(timebank, transaction, payer)
    assert client.get(link).status_code == 403
    response = client.post(link, {"reason": "Not mine to undo", "client_id": str(uuid.uuid4())})
    assert response.status_code == 403
    # Through their own timebank the exchange is not found at all.
    theirs = reverse("timebank:exchange_reverse", args=[other_timebank.slug, transaction.public_id])
    response = client.post(theirs, {"reason": "Not mine to undo", "client_id": str(uuid.uuid4())})
    assert response.status_code == 404
    assert not Transaction.objects.filter(reverses=transaction).exists()
    assert account_of(payee).cached_balance == 30


def test_a_member_named_in_the_link_who_is_not_a_party_goes_back_to_the_console(
    client, timebank, broker
):
    payer = member_with_account(timebank)
    payee = member_with_account(timebank)
    stranger = member_with_account(timebank)
    transaction = exchange(payer, payee)
    client.force_login(broker)
    response = client.post(
        reverse_url(timebank, transaction, stranger),
        {"reason": "Wrong hours", "client_id": str(uuid.uuid4())},
    )
    assert response["Location"] == reverse("timebank:broker", args=[timebank.slug])
