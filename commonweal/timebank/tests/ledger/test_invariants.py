"""Property-based: random sequences of exchanges, confirmations, rejections, reversals, limit and
status changes, with every ledger invariant checked after each step against a model kept here."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from commonweal.timebank import ledger, selectors
from commonweal.timebank.constants import (
    AccountStatus,
    ConfirmationPolicy,
    LimitPolicy,
    TransactionState,
)
from commonweal.timebank.exceptions import LedgerError
from commonweal.timebank.models import Account, Entry, Transaction
from commonweal.timebank.tests.ledger.factories import TimebankFactory, broker_of, member_account

MINUTES = st.sampled_from([-15, 0, 15, 30, 45, 60, 120, 240, 600])
PEOPLE = 4


class _Rollback(Exception):
    pass


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.bank = None

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @precondition(lambda self: self.bank is None)
    @rule(
        confirmation=st.sampled_from(
            [ConfirmationPolicy.PAYER, ConfirmationPolicy.BOTH, ConfirmationPolicy.BROKER]
        ),
        limits=st.sampled_from([LimitPolicy.BLOCK, LimitPolicy.APPROVAL, LimitPolicy.FLAG]),
        floor=st.sampled_from([-60, -240, -600]),
        ceiling=st.sampled_from([None, 300, 900]),
    )
    def open_bank(self, confirmation, limits, floor, ceiling):
        self.bank = TimebankFactory(
            confirmation_policy=confirmation,
            limit_policy=limits,
            default_min_balance=floor,
            default_max_balance=ceiling,
        )
        self.broker = broker_of(self.bank)
        self.accounts = [member_account(self.bank, f"Member {n}") for n in range(PEOPLE)]
        self.expected = {account.pk: 0 for account in self.accounts}
        self.entries_seen: dict[int, tuple[int, int, int]] = {}
        self.requests: list[dict] = []

    def _fresh(self, index: int) -> Account:
        return Account.objects.select_related("timebank", "member").get(pk=self.accounts[index].pk)

    def _apply(self, tx: Transaction) -> None:
        """The model: a transaction that has just committed moves its entries' minutes."""
        for account_id, amount in Entry.objects.filter(transaction=tx).values_list(
            "account_id", "amount_minutes"
        ):
            self.expected[account_id] = self.expected.get(account_id, 0) + amount

    def _check_block(self, tx: Transaction) -> None:
        if self.bank.limit_policy != LimitPolicy.BLOCK or tx.kind == "reversal":
            return
        for entry in Entry.objects.filter(transaction=tx).select_related("account__timebank"):
            limits = selectors.account_limits(entry.account)
            balance = entry.account.cached_balance
            if entry.amount_minutes < 0 and limits.min_balance is not None:
                assert balance >= limits.min_balance
            if entry.amount_minutes > 0 and limits.max_balance is not None:
                assert balance <= limits.max_balance

    @precondition(lambda self: self.bank is not None)
    @rule(
        payer=st.integers(0, PEOPLE - 1),
        payee=st.integers(0, PEOPLE - 1),
        minutes=MINUTES,
        recorder=st.sampled_from(["payer", "payee", "broker"]),
    )
    def record_exchange(self, payer, payee, minutes, recorder):
        actor = {
            "payer": self.accounts[payer].member.user,
            "payee": self.accounts[payee].member.user,
            "broker": self.broker,
        }[recorder]
        request = {
            "actor": actor,
            "client_id": uuid.uuid4(),
            "payer": self._fresh(payer),
            "payee": self._fresh(payee),
            "minutes": minutes,
            "description": "Help",
            "service_date": timezone.localdate() - dt.timedelta(days=1),
        }
        try:
            tx, created = ledger.exchange_record(**request)
        except LedgerError:
            return
        assert created
        self.requests.append(request)
        if tx.state == TransactionState.COMMITTED:
            self._apply(tx)
            self._check_block(tx)

    @precondition(lambda self: self.bank is not None and self.requests)
    @rule(data=st.data(), same=st.booleans())
    def replay(self, data, same):
        request = dict(data.draw(st.sampled_from(self.requests)))
        if not same:
            request["minutes"] = request["minutes"] + 15
        before = Transaction.objects.count()
        try:
            tx, created = ledger.exchange_record(**request)
        except LedgerError as error:
            assert not same and error.code == "replay_mismatch"
        else:
            assert same and not created and tx.public_id == request["client_id"]
        assert Transaction.objects.count() == before

    def _waiting(self, data, states):
        waiting = list(Transaction.objects.filter(timebank=self.bank, state__in=states))
        return data.draw(st.sampled_from(waiting)) if waiting else None

    @precondition(lambda self: self.bank is not None)
    @rule(data=st.data(), by=st.sampled_from(["payer", "payee", "broker"]))
    def confirm_or_approve(self, data, by):
        tx = self._waiting(data, [TransactionState.PENDING, TransactionState.AWAITING_BROKER])
        if tx is None:
            return
        entries = Entry.objects.filter(transaction=tx).select_related("account__member__user")
        sides = {("payer" if e.amount_minutes < 0 else "payee"): e.account for e in entries}
        try:
            if by == "broker":
                ledger.transaction_approve(actor=self.broker, transaction=tx)
            else:
                ledger.transaction_confirm(actor=sides[by].member.user, transaction=tx)
        except LedgerError:
            return
        tx.refresh_from_db()
        if tx.state == TransactionState.COMMITTED:
            self._apply(tx)
            self._check_block(tx)

    @precondition(lambda self: self.bank is not None)
    @rule(data=st.data())
    def reject(self, data):
        tx = self._waiting(data, [TransactionState.PENDING, TransactionState.AWAITING_BROKER])
        if tx is not None:
            ledger.transaction_reject(actor=self.broker, transaction=tx, reason="Not agreed")

    @precondition(lambda self: self.bank is not None)
    @rule(data=st.data())
    def reverse(self, data):
        tx = self._waiting(data, [TransactionState.COMMITTED])
        if tx is None:
            return
        try:
            reversal = ledger.transaction_reverse(
                actor=self.broker, transaction=tx, reason="Mistake", client_id=uuid.uuid4()
            )
        except LedgerError as error:
            assert error.code in {"already_reversed", "not_reversible"}
            return
        self._apply(reversal)

    @precondition(lambda self: self.bank is not None)
    @rule(
        who=st.integers(0, PEOPLE - 1),
        floor=st.sampled_from([None, 0, -60, -300, -1200]),
        ceiling=st.sampled_from([None, 60, 600]),
    )
    def change_limits(self, who, floor, ceiling):
        ledger.account_limits_change(
            actor=self.broker,
            account=self._fresh(who),
            min_balance=floor,
            max_balance=ceiling,
            reason="Reviewed",
        )

    @precondition(lambda self: self.bank is not None)
    @rule(who=st.integers(0, PEOPLE - 1), frozen=st.booleans())
    def freeze(self, who, frozen):
        ledger.account_status_set(
            actor=self.broker,
            account=self._fresh(who),
            status=AccountStatus.FROZEN if frozen else AccountStatus.OPEN,
        )

    @invariant()
    def the_ledger_holds(self):
        if self.bank is None:
            return
        accounts = Account.objects.filter(timebank=self.bank)
        # Cached balances equal the model and the committed entries; the bank sums to zero.
        for account in accounts:
            assert account.cached_balance == self.expected.get(account.pk, 0), account
        assert sum(a.cached_balance for a in accounts) == 0
        assert selectors.ledger_reconcile(timebank=self.bank).sound
        # Every transaction (committed or not) has 2+ non-zero entries summing to zero.
        for row in (
            Transaction.objects.filter(timebank=self.bank)
            .annotate(total=Sum("entries__amount_minutes"), n=Count("entries"))
            .values("total", "n")
        ):
            assert row["total"] == 0 and row["n"] >= 2
        assert not Entry.objects.filter(transaction__timebank=self.bank, amount_minutes=0).exists()
        # Entries once written never change or vanish.
        now = {
            pk: (tx, account, amount)
            for pk, tx, account, amount in Entry.objects.filter(
                transaction__timebank=self.bank
            ).values_list("pk", "transaction_id", "account_id", "amount_minutes")
        }
        for pk, seen in self.entries_seen.items():
            assert now.get(pk) == seen
        self.entries_seen = now
        # At most one reversal each, and only of committed transactions.
        for original in Transaction.objects.filter(reverses__isnull=False).values_list(
            "reverses__state", flat=True
        ):
            assert original == TransactionState.COMMITTED


LedgerMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.mark.django_db
def test_random_sequences_keep_every_invariant():
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(LedgerMachine, settings=LedgerMachine.TestCase.settings)
