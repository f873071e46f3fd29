"""Group activities, donations, reversals, rejections, account changes and the database backstops."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from commonweal.accounts.tests.factories import UserFactory
from commonweal.timebank import ledger
from commonweal.timebank.constants import AccountKind, AccountStatus, TransactionState
from commonweal.timebank.exceptions import LedgerError
from commonweal.timebank.models import Account, AccountLimitChange, Entry, Transaction
from commonweal.timebank.tests.ledger.factories import TimebankFactory, member_account
from commonweal.timebank.tests.ledger.helpers import balance, record, snapshot

pytestmark = pytest.mark.django_db


def _group(actor, bank, attendees, minutes=60, **extra):
    return ledger.group_activity_record(
        actor=actor,
        client_id=extra.pop("client_id", uuid.uuid4()),
        timebank=bank,
        attendees=attendees,
        minutes_each=minutes,
        description="Coffee morning at the library",
        service_date=timezone.localdate(),
        **extra,
    )


def test_each_attendee_of_a_group_activity_earns_and_the_bank_pays(bank, broker, alice, bob):
    tx, created = _group(broker, bank, [alice, bob])
    assert created and tx.state == TransactionState.COMMITTED
    issuer = Account.objects.get(timebank=bank, kind=AccountKind.ISSUANCE)
    assert (balance(alice), balance(bob), balance(issuer)) == (60, 60, -120)
    assert Entry.objects.filter(transaction=tx).count() == 3


def test_a_group_activity_is_all_or_nothing(bank, broker, alice, bob):
    stranger = member_account(TimebankFactory(), "Stranger")
    ledger.timebank_accounts_ensure(timebank=bank)
    before = snapshot()
    with pytest.raises(LedgerError) as refused:
        _group(broker, bank, [alice, bob, stranger])
    assert refused.value.code == "other_timebank"
    Account.objects.filter(pk=bob.pk).update(status=AccountStatus.FROZEN)
    with pytest.raises(LedgerError) as frozen:
        _group(broker, bank, [alice, bob])
    assert frozen.value.code == "account_frozen"
    with pytest.raises(LedgerError) as twice:
        _group(broker, bank, [alice, alice])
    assert twice.value.code == "duplicate_attendee"
    Account.objects.filter(pk=bob.pk).update(status=AccountStatus.OPEN)
    assert snapshot()[:2] == before[:2]
    assert balance(alice) == 0


def test_a_member_cannot_pay_a_group_activity_from_the_bank(bank, alice, bob):
    with pytest.raises(LedgerError) as refused:
        _group(alice.member.user, bank, [bob])
    assert refused.value.code == "not_allowed"


def test_a_donation_goes_to_the_community_pot(bank, alice, bob):
    record(bob.member.user, bob, alice, 120)
    tx, created = ledger.donation_record(
        actor=alice.member.user, client_id=uuid.uuid4(), donor=alice, minutes=60
    )
    assert created and tx.state == TransactionState.COMMITTED
    pot = Account.objects.get(timebank=bank, kind=AccountKind.COMMUNITY_POT)
    assert (balance(alice), balance(pot)) == (60, 60)
    with pytest.raises(LedgerError) as refused:
        ledger.donation_record(
            actor=bob.member.user, client_id=uuid.uuid4(), donor=alice, minutes=60
        )
    assert refused.value.code == "not_allowed"


def test_a_broker_reverses_a_committed_exchange(broker, alice, bob):
    tx = record(alice.member.user, alice, bob, 90)
    client_id = uuid.uuid4()
    reversal = ledger.transaction_reverse(
        actor=broker, transaction=tx, reason="Recorded twice by mistake", client_id=client_id
    )
    assert reversal.reverses == tx
    assert reversal.reason == "Recorded twice by mistake"
    assert reversal.state == TransactionState.COMMITTED
    assert sorted(
        Entry.objects.filter(transaction=reversal).values_list("amount_minutes", flat=True)
    ) == [-90, 90]
    assert (balance(alice), balance(bob)) == (0, 0)
    # The original's entries are untouched, and the same request again answers with the same reversal.
    assert sorted(
        Entry.objects.filter(transaction=tx).values_list("amount_minutes", flat=True)
    ) == [-90, 90]
    again, created = ledger.transaction_reverse_or_replay(
        actor=broker, transaction=tx, reason="Recorded twice by mistake", client_id=client_id
    )
    assert (again.pk, created) == (reversal.pk, False)
    before = snapshot()
    with pytest.raises(LedgerError) as twice:
        ledger.transaction_reverse(
            actor=broker, transaction=tx, reason="Again", client_id=uuid.uuid4()
        )
    assert twice.value.code == "already_reversed"
    with pytest.raises(LedgerError) as of_reversal:
        ledger.transaction_reverse(
            actor=broker, transaction=reversal, reason="Undo", client_id=uuid.uuid4()
        )
    assert of_reversal.value.code == "not_reversible"
    assert snapshot() == before
    # Both parties see the reversal and its reason.
    from commonweal.timebank.selectors import transactions_visible_to

    for person in (alice.member.user, bob.member.user):
        assert (
            transactions_visible_to(user=person)
            .filter(pk=reversal.pk, reason__contains="twice")
            .exists()
        )


def test_the_payer_may_undo_within_a_day_but_not_the_payee_or_later(alice, bob):
    tx = record(alice.member.user, alice, bob, 60)
    with pytest.raises(LedgerError) as payee:
        ledger.transaction_reverse(
            actor=bob.member.user, transaction=tx, reason="No", client_id=uuid.uuid4()
        )
    assert payee.value.code == "not_allowed"
    old = record(alice.member.user, alice, bob, 60)
    Transaction.objects.filter(pk=old.pk).update(
        committed_at=timezone.now() - ledger.PAYER_REVERSAL_WINDOW - dt.timedelta(minutes=1)
    )
    with pytest.raises(LedgerError) as late:
        ledger.transaction_reverse(
            actor=alice.member.user, transaction=old, reason="Oops", client_id=uuid.uuid4()
        )
    assert late.value.code == "not_allowed"
    reversal = ledger.transaction_reverse(
        actor=alice.member.user, transaction=tx, reason="Typed 60 for 30", client_id=uuid.uuid4()
    )
    assert reversal.recorded_by == alice.member.user
    assert balance(bob) == 60


def test_only_committed_transactions_are_reversed_and_a_reason_is_needed(broker, alice, bob):
    pending = record(bob.member.user, alice, bob, 60)
    with pytest.raises(LedgerError) as not_committed:
        ledger.transaction_reverse(
            actor=broker, transaction=pending, reason="x", client_id=uuid.uuid4()
        )
    assert not_committed.value.code == "not_committed"
    done = record(alice.member.user, alice, bob, 60)
    with pytest.raises(LedgerError) as no_reason:
        ledger.transaction_reverse(
            actor=broker, transaction=done, reason=" ", client_id=uuid.uuid4()
        )
    assert no_reason.value.code == "reason_required"


def test_a_broker_may_correct_a_frozen_account(broker, alice, bob):
    tx = record(alice.member.user, alice, bob, 60)
    ledger.account_status_set(
        actor=broker, account=bob, status=AccountStatus.FROZEN, reason="Complaint"
    )
    ledger.transaction_reverse(
        actor=broker, transaction=tx, reason="Help not given", client_id=uuid.uuid4()
    )
    assert balance(bob) == 0


def test_rejecting_and_withdrawing_a_pending_exchange(broker, alice, bob):
    pending = record(bob.member.user, alice, bob, 60)
    ledger.transaction_reject(
        actor=alice.member.user, transaction=pending, reason="I did not ask for this"
    )
    assert pending.state == TransactionState.REJECTED
    withdrawn = record(bob.member.user, alice, bob, 60)
    ledger.transaction_reject(actor=bob.member.user, transaction=withdrawn, reason="Wrong person")
    assert withdrawn.state == TransactionState.CANCELLED
    with pytest.raises(LedgerError) as done:
        ledger.transaction_confirm(actor=alice.member.user, transaction=pending)
    assert done.value.code == "not_pending"
    third = record(bob.member.user, alice, bob, 60)
    with pytest.raises(LedgerError) as stranger:
        ledger.transaction_reject(actor=UserFactory(), transaction=third, reason="Nosy")
    assert stranger.value.code == "not_allowed"
    committed = record(alice.member.user, alice, bob, 60)
    with pytest.raises(LedgerError) as late:
        ledger.transaction_reject(
            actor=alice.member.user, transaction=committed, reason="Changed my mind"
        )
    assert late.value.code == "not_pending"
    assert (balance(alice), balance(bob)) == (-60, 60)


def test_limit_changes_are_logged_with_a_reason_by_brokers_only(broker, alice):
    with pytest.raises(LedgerError) as member:
        ledger.account_limits_change(
            actor=alice.member.user,
            account=alice,
            min_balance=-1200,
            max_balance=None,
            reason="More",
        )
    assert member.value.code == "not_allowed"
    with pytest.raises(LedgerError) as no_reason:
        ledger.account_limits_change(
            actor=broker, account=alice, min_balance=-1200, max_balance=None, reason=""
        )
    assert no_reason.value.code == "reason_required"
    change = ledger.account_limits_change(
        actor=broker, account=alice, min_balance=-1200, max_balance=2400, reason="Long-term carer"
    )
    assert (change.old_min_balance, change.new_min_balance, change.new_max_balance) == (
        None,
        -1200,
        2400,
    )
    assert change.changed_by == broker
    assert AccountLimitChange.objects.filter(account=alice).count() == 1


def test_closing_an_account_needs_a_zero_balance(broker, alice, bob):
    record(alice.member.user, alice, bob, 60)
    with pytest.raises(LedgerError) as refused:
        ledger.account_status_set(actor=broker, account=bob, status=AccountStatus.CLOSED)
    assert refused.value.code == "not_zero"
    ledger.donation_record(actor=bob.member.user, client_id=uuid.uuid4(), donor=bob, minutes=60)
    ledger.account_status_set(
        actor=broker, account=bob, status=AccountStatus.CLOSED, reason="Moved away"
    )
    bob.refresh_from_db()
    assert bob.status == AccountStatus.CLOSED


def test_opening_accounts(bank, broker):
    from commonweal.timebank.tests.ledger.factories import MemberFactory

    person = MemberFactory(timebank=bank)
    with pytest.raises(LedgerError) as refused:
        ledger.account_open(
            actor=UserFactory(), timebank=bank, kind=AccountKind.MEMBER, member=person
        )
    assert refused.value.code == "not_allowed"
    account = ledger.account_open(
        actor=broker, timebank=bank, kind=AccountKind.MEMBER, member=person
    )
    assert account.name == person.display_name
    with pytest.raises(LedgerError) as twice:
        ledger.account_open(actor=broker, timebank=bank, kind=AccountKind.MEMBER, member=person)
    assert twice.value.code == "already_open"
    pot, issuer = ledger.timebank_accounts_ensure(timebank=bank)
    assert ledger.timebank_accounts_ensure(timebank=bank) == (pot, issuer)


def test_the_database_refuses_to_change_or_delete_entries(alice, bob):
    tx = record(alice.member.user, alice, bob, 60)
    entry = Entry.objects.filter(transaction=tx).first()
    for change in (
        lambda: Entry.objects.filter(pk=entry.pk).update(amount_minutes=600),
        lambda: Entry.objects.filter(pk=entry.pk).delete(),
        lambda: Transaction.objects.filter(pk=tx.pk).update(state=TransactionState.REJECTED),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert sorted(
        Entry.objects.filter(transaction=tx).values_list("amount_minutes", flat=True)
    ) == [-60, 60]


def test_on_postgresql_an_unbalanced_transaction_cannot_commit(alice, bob):
    """The deferred constraint trigger (PostgreSQL) or the reconciliation (both) catch a bypass."""
    from commonweal.timebank.selectors import ledger_reconcile

    with transaction.atomic():
        tx = Transaction.objects.create(
            timebank=alice.timebank,
            kind="exchange",
            state=TransactionState.COMMITTED,
            service_date=timezone.localdate(),
            recorded_by=alice.member.user,
        )
        Entry.objects.create(transaction=tx, account=alice, amount_minutes=-60)
        if connection.vendor == "postgresql":
            with pytest.raises(DatabaseError, match="summing to -60"), transaction.atomic():
                connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
        else:
            report = ledger_reconcile()
            assert not report.sound
            assert any(str(tx.public_id) in line for line in report.transaction_breaks)
        transaction.set_rollback(True)  # take the broken rows away again
