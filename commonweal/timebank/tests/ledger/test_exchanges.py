"""The ledger's rules for exchanges: consent, refusals, idempotency, safeguarding, limits."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from commonweal.accounts.tests.factories import UserFactory
from commonweal.core.models import AuditEntry
from commonweal.timebank import ledger
from commonweal.timebank.constants import (
    AccountStatus,
    ConfirmationPolicy,
    LimitPolicy,
    TimebankAuditKind,
    TransactionState,
)
from commonweal.timebank.exceptions import LedgerError
from commonweal.timebank.models import Account, Entry
from commonweal.timebank.tests.ledger.factories import (
    TimebankFactory,
    enhanced_dbs,
    member_account,
)
from commonweal.timebank.tests.ledger.helpers import balance, record, snapshot

pytestmark = pytest.mark.django_db


def test_the_payer_recording_an_exchange_commits_it_at_once(alice, bob):
    tx = record(alice.member.user, alice, bob, 90)
    assert tx.state == TransactionState.COMMITTED
    assert tx.committed_at is not None
    assert tx.recorded_by == alice.member.user
    assert sorted(
        Entry.objects.filter(transaction=tx).values_list("amount_minutes", flat=True)
    ) == [
        -90,
        90,
    ]
    assert balance(alice) == -90
    assert balance(bob) == 90
    assert AuditEntry.objects.filter(
        kind=TimebankAuditKind.TRANSACTION_RECORDED, target_id=str(tx.pk)
    ).exists()


def test_the_payee_recording_waits_for_the_payer(alice, bob):
    tx = record(bob.member.user, alice, bob, 60)
    assert tx.state == TransactionState.PENDING
    assert balance(alice) == 0
    with pytest.raises(LedgerError) as refused:
        ledger.transaction_confirm(actor=bob.member.user, transaction=tx)
    assert refused.value.code == "already_confirmed"
    ledger.transaction_confirm(actor=alice.member.user, transaction=tx)
    assert tx.state == TransactionState.COMMITTED
    assert (balance(alice), balance(bob)) == (-60, 60)


def test_both_parties_must_confirm_under_the_both_policy(bank, alice, bob):
    bank.confirmation_policy = ConfirmationPolicy.BOTH
    bank.save()
    tx = record(alice.member.user, alice, bob, 60)
    assert tx.state == TransactionState.PENDING
    ledger.transaction_confirm(actor=bob.member.user, transaction=tx)
    assert tx.state == TransactionState.COMMITTED
    assert balance(bob) == 60


def test_a_broker_confirms_under_the_broker_policy(bank, broker, alice, bob):
    bank.confirmation_policy = ConfirmationPolicy.BROKER
    bank.save()
    tx = record(alice.member.user, alice, bob, 60)
    assert tx.state == TransactionState.AWAITING_BROKER
    assert "brokers confirm every exchange" in tx.needs_broker_because
    with pytest.raises(LedgerError) as refused:
        ledger.transaction_approve(actor=bob.member.user, transaction=tx)
    assert refused.value.code == "not_allowed"
    ledger.transaction_approve(actor=broker, transaction=tx)
    tx.refresh_from_db()
    assert tx.state == TransactionState.COMMITTED
    assert tx.approved_by == broker
    assert balance(bob) == 60


def test_a_broker_recording_for_members_is_its_approval(bank, broker, alice, bob):
    bank.confirmation_policy = ConfirmationPolicy.BROKER
    bank.save()
    tx = record(broker, alice, bob, 45)
    assert tx.state == TransactionState.COMMITTED
    assert tx.recorded_by == broker
    assert tx.on_behalf_of == alice.member


def test_auto_policy_counts_after_the_days_unless_confirmed_sooner(bank, alice, bob, today):
    bank.confirmation_policy = ConfirmationPolicy.AUTO
    bank.auto_confirm_after_days = 7
    bank.save()
    tx = record(bob.member.user, alice, bob, 60)
    assert tx.state == TransactionState.PENDING
    assert ledger.transactions_auto_confirm(today=today + dt.timedelta(days=6)).committed == []
    tx.refresh_from_db()
    assert tx.state == TransactionState.PENDING
    result = ledger.transactions_auto_confirm(today=today + dt.timedelta(days=7))
    assert [t.pk for t in result.committed] == [tx.pk]
    assert (balance(alice), balance(bob)) == (-60, 60)


def _refusal_cases():
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    return [
        ("zero_minutes", {"minutes": 0}),
        ("zero_minutes", {"minutes": -60}),
        ("not_rounded", {"minutes": 50}),
        ("bad_minutes", {"minutes": "sixty"}),
        ("future_date", {"service_date": timezone.localdate() + dt.timedelta(days=1)}),
        ("description_required", {"description": "   "}),
        ("self_payment", {"payee": "alice"}),
        ("other_timebank", {"payee": "stranger"}),
        ("not_allowed", {"actor": "outsider"}),
        ("bad_id", {"client_id": "not-a-uuid", "service_date": yesterday}),
    ]


@pytest.mark.parametrize(("code", "change"), _refusal_cases())
def test_a_refused_exchange_leaves_the_ledger_as_it_was(alice, bob, code, change):
    record(alice.member.user, alice, bob, 30)  # something already in the ledger
    others = {
        "alice": alice,
        "stranger": member_account(TimebankFactory(), "Stranger"),
        "outsider": UserFactory(),
    }
    arguments = {
        "actor": alice.member.user,
        "client_id": uuid.uuid4(),
        "payer": alice,
        "payee": bob,
        "minutes": 60,
        "description": "Fixed a shelf",
        "service_date": timezone.localdate(),
    }
    for key, value in change.items():
        arguments[key] = others.get(value, value) if isinstance(value, str) else value
    before = snapshot()
    with pytest.raises(LedgerError) as refused:
        ledger.exchange_record(**arguments)
    assert refused.value.code == code
    assert refused.value.message
    assert snapshot() == before


@pytest.mark.parametrize("status", [AccountStatus.FROZEN, AccountStatus.CLOSED])
def test_frozen_or_closed_accounts_cannot_transact(alice, bob, status):
    Account.objects.filter(pk=bob.pk).update(status=status)
    bob.refresh_from_db()
    before = snapshot()
    with pytest.raises(LedgerError) as refused:
        record(alice.member.user, alice, bob, 60)
    assert refused.value.code == {"frozen": "account_frozen", "closed": "account_closed"}[status]
    assert snapshot() == before


def test_the_same_id_and_body_returns_the_existing_exchange(alice, bob, today):
    client_id = uuid.uuid4()
    arguments = {
        "actor": alice.member.user,
        "client_id": client_id,
        "payer": alice,
        "payee": bob,
        "minutes": 60,
        "description": "Walked the dog ",
        "service_date": today,
    }
    first, created = ledger.exchange_record(**arguments)
    assert created
    again, created_again = ledger.exchange_record(**{**arguments, "client_id": str(client_id)})
    assert (again.pk, created_again) == (first.pk, False)
    assert Entry.objects.count() == 2
    assert balance(bob) == 60
    before = snapshot()
    with pytest.raises(LedgerError) as refused:
        ledger.exchange_record(**{**arguments, "minutes": 120})
    assert refused.value.code == "replay_mismatch"
    assert snapshot() == before


def test_an_old_date_waits_for_a_broker_unless_a_broker_records_it(bank, broker, alice, bob, today):
    old = today - dt.timedelta(days=bank.max_backdate_days + 1)
    tx = record(alice.member.user, alice, bob, 60, service_date=old)
    assert tx.state == TransactionState.AWAITING_BROKER
    assert "more than 90 days ago" in tx.needs_broker_because
    assert balance(bob) == 0
    by_broker = record(broker, alice, bob, 60, service_date=old)
    assert by_broker.state == TransactionState.COMMITTED


def test_a_home_visit_needs_an_in_date_enhanced_dbs_for_the_provider(broker, alice, bob, today):
    tx = record(alice.member.user, alice, bob, 60, home_visit=True)
    assert tx.state == TransactionState.AWAITING_BROKER
    assert "enhanced DBS" in tx.needs_broker_because
    enhanced_dbs(
        bob.member,
        by=broker,
        checked_on=today - dt.timedelta(days=800),
        expires_on=today - dt.timedelta(days=5),
    )
    assert record(alice.member.user, alice, bob, 60, home_visit=True).state == "awaiting_broker"
    enhanced_dbs(bob.member, by=broker, checked_on=today - dt.timedelta(days=30), expires_on=None)
    assert record(alice.member.user, alice, bob, 60, home_visit=True).state == "committed"
    # The payer's vetting does not count: the provider is the one who visits.
    enhanced_dbs(alice.member, by=broker, checked_on=today - dt.timedelta(days=30), expires_on=None)
    assert record(bob.member.user, bob, alice, 60, home_visit=True).state == "committed"


def test_a_vulnerable_member_needs_a_vetted_provider(bank, broker, bob, today):
    carol = member_account(bank, "Carol", vulnerable=True)
    tx = record(carol.member.user, carol, bob, 60)
    assert tx.state == TransactionState.AWAITING_BROKER
    assert "may be vulnerable" in tx.needs_broker_because
    ledger.transaction_approve(actor=broker, transaction=tx)
    assert tx.state == TransactionState.COMMITTED


def test_new_members_start_with_group_activities(bank, broker, alice, bob, today):
    bank.group_activities_first = 2
    bank.save()
    tx = record(alice.member.user, alice, bob, 60)
    assert tx.state == TransactionState.AWAITING_BROKER
    assert "0 of the 2 group activities" in tx.needs_broker_because
    for n in range(2):
        ledger.group_activity_record(
            actor=broker,
            client_id=uuid.uuid4(),
            timebank=bank,
            attendees=[alice, bob],
            minutes_each=60,
            description=f"Coffee morning {n}",
            service_date=today,
        )
    assert record(alice.member.user, alice, bob, 60).state == TransactionState.COMMITTED


def test_block_policy_refuses_going_past_the_lowest_balance(bank, alice, bob):
    record(alice.member.user, alice, bob, 540)
    before = snapshot()
    with pytest.raises(LedgerError) as refused:
        record(alice.member.user, alice, bob, 120)
    assert refused.value.code == "over_limit"
    assert "below the lowest balance allowed" in refused.value.message
    assert snapshot() == before
    assert record(alice.member.user, alice, bob, 60).state == TransactionState.COMMITTED
    assert balance(alice) == -600


def test_block_policy_refuses_going_past_the_highest_balance(bank, alice, bob):
    bank.default_max_balance = 120
    bank.save()
    record(alice.member.user, alice, bob, 120)
    with pytest.raises(LedgerError) as refused:
        record(alice.member.user, alice, bob, 15)
    assert refused.value.code == "over_limit"


def test_approval_policy_sends_an_exchange_past_a_limit_to_a_broker(bank, broker, alice, bob):
    bank.limit_policy = LimitPolicy.APPROVAL
    bank.save()
    tx = record(alice.member.user, alice, bob, 660)
    assert tx.state == TransactionState.AWAITING_BROKER
    assert "below the lowest balance" in tx.needs_broker_because
    assert balance(alice) == 0
    ledger.transaction_approve(actor=broker, transaction=tx)
    assert balance(alice) == -660


def test_flag_policy_records_and_flags(bank, alice, bob):
    bank.limit_policy = LimitPolicy.FLAG
    bank.save()
    tx = record(alice.member.user, alice, bob, 660)
    assert tx.state == TransactionState.COMMITTED
    assert "below the lowest balance" in tx.flagged
    assert balance(alice) == -660


def test_limits_are_checked_again_when_a_pending_exchange_is_confirmed(alice, bob):
    pending = record(bob.member.user, alice, bob, 480)
    record(alice.member.user, alice, bob, 300)
    before = snapshot()
    with pytest.raises(LedgerError) as refused:
        ledger.transaction_confirm(actor=alice.member.user, transaction=pending)
    assert refused.value.code == "over_limit"
    assert snapshot() == before
    pending.refresh_from_db()
    assert pending.state == TransactionState.PENDING


def test_a_member_below_a_new_limit_can_still_earn(bank, broker, alice, bob):
    record(alice.member.user, alice, bob, 300)
    ledger.account_limits_change(
        actor=broker, account=alice, min_balance=-60, max_balance=None, reason="Agreed at review"
    )
    assert record(bob.member.user, bob, alice, 60).state == TransactionState.COMMITTED
    with pytest.raises(LedgerError):
        record(alice.member.user, alice, bob, 15)


def test_an_organisation_can_pay_and_be_paid(bank, alice):
    from commonweal.timebank.tests.ledger.factories import organisation_account

    school, rep = organisation_account(bank)
    tx = record(rep, school, alice, 120, description="Cleared the allotment")
    assert tx.state == TransactionState.COMMITTED
    assert (balance(school), balance(alice)) == (-120, 120)
