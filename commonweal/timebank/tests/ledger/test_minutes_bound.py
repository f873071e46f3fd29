"""One exchange records at most 24 hours: a huge number is refused with a reason, never a 500."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts import services as account_services
from commonweal.timebank import ledger
from commonweal.timebank.constants import MAX_EXCHANGE_MINUTES
from commonweal.timebank.exceptions import LedgerError
from commonweal.timebank.tests.ledger.helpers import balance, snapshot

pytestmark = pytest.mark.django_db

HUGE = 10**30  # far past what any integer column holds


def _post(client, user, payer, payee, minutes):
    token = account_services.api_token_create(actor=user, user=user).token
    response = client.post(
        "/api/timebank/exchanges",
        {
            "id": str(uuid.uuid4()),
            "payer": str(payer.public_id),
            "payee": str(payee.public_id),
            "minutes": minutes,
            "description": "Decorated the back bedroom",
            "service_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    return response.status_code, response.json()


@pytest.mark.parametrize("minutes", [HUGE, 2**63, MAX_EXCHANGE_MINUTES + 15])
def test_the_api_refuses_more_than_a_day_and_changes_nothing(client, alice, bob, minutes):
    before = snapshot()
    status, answer = _post(client, alice.member.user, alice, bob, minutes)
    assert status == 400
    assert answer["error"]["code"] == "too_many_minutes"
    assert "24 hours" in answer["error"]["message"]
    assert snapshot() == before


def test_a_whole_day_is_still_accepted(client, broker, alice, bob):
    ledger.account_limits_change(
        actor=broker,
        account=alice,
        min_balance=-2 * MAX_EXCHANGE_MINUTES,
        max_balance=None,
        reason="Long-term helper",
    )
    status, answer = _post(client, alice.member.user, alice, bob, MAX_EXCHANGE_MINUTES)
    assert status == 201
    assert answer["minutes"] == MAX_EXCHANGE_MINUTES


def test_the_openapi_schema_states_the_bound(client):
    schema = client.get("/api/openapi.json").json()
    minutes = schema["components"]["schemas"]["ExchangeInput"]["properties"]["minutes"]
    assert minutes["maximum"] == MAX_EXCHANGE_MINUTES


def test_group_activities_are_bounded_per_attendee_and_donations_may_give_a_whole_balance(
    bank, broker, alice, bob
):
    ledger.timebank_accounts_ensure(timebank=bank)
    before = snapshot()
    with pytest.raises(LedgerError) as refused:
        ledger.group_activity_record(
            actor=broker,
            client_id=uuid.uuid4(),
            timebank=bank,
            attendees=[alice, bob],
            minutes_each=HUGE,
            description="Coffee morning",
            service_date=timezone.localdate(),
        )
    assert refused.value.code == "too_many_minutes"
    with pytest.raises(LedgerError) as refused:
        ledger.donation_record(
            actor=alice.member.user, client_id=uuid.uuid4(), donor=alice, minutes=HUGE
        )
    assert refused.value.code == "too_many_minutes"
    assert snapshot() == before

    # Bob earned 30 hours, then leaves and gives it all to the pot in one go.
    ledger.group_activity_record(
        actor=broker,
        client_id=uuid.uuid4(),
        timebank=bank,
        attendees=[bob],
        minutes_each=MAX_EXCHANGE_MINUTES,
        description="Festival stewarding, day one",
        service_date=timezone.localdate(),
    )
    ledger.group_activity_record(
        actor=broker,
        client_id=uuid.uuid4(),
        timebank=bank,
        attendees=[bob],
        minutes_each=360,
        description="Festival stewarding, day two",
        service_date=timezone.localdate(),
    )
    tx, _ = ledger.donation_record(
        actor=bob.member.user, client_id=uuid.uuid4(), donor=bob, minutes=balance(bob)
    )
    assert tx.state == "committed"
    assert balance(bob) == 0


def test_the_member_page_says_one_exchange_is_at_most_a_day(client, alice, bob):
    client.force_login(alice.member.user)
    before = snapshot()
    response = client.post(
        reverse("timebank:exchange_record", args=[alice.timebank.slug]),
        {
            "payee": str(bob.pk),
            "hours": "24",
            "minutes": "15",
            "service_date": timezone.localdate().isoformat(),
            "description": "Decorating",
            "client_id": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 400
    assert "at most 24 hours" in response.content.decode()
    assert snapshot() == before
