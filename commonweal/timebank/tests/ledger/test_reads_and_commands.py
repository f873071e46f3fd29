"""Statements, who sees which transactions, and the nightly commands."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import UserFactory
from commonweal.timebank import selectors
from commonweal.timebank.constants import ConfirmationPolicy
from commonweal.timebank.models import Account
from commonweal.timebank.tests.ledger.factories import (
    TimebankFactory,
    broker_of,
    member_account,
    organisation_account,
)
from commonweal.timebank.tests.ledger.helpers import record

pytestmark = pytest.mark.django_db


def test_a_statement_runs_a_balance_in_date_order(alice, bob, today):
    days = [today - dt.timedelta(days=n) for n in (10, 5, 1)]
    record(alice.member.user, alice, bob, 60, service_date=days[1])
    record(bob.member.user, bob, alice, 30, service_date=days[0])
    record(alice.member.user, alice, bob, 120, service_date=days[2])
    record(bob.member.user, alice, bob, 600)  # pending: not on the statement
    statement = selectors.account_statement(alice)
    lines = [
        (e.transaction.service_date, e.amount_minutes, e.balance_after) for e in statement.entries
    ]
    assert lines == [(days[0], 30, 30), (days[1], -60, -30), (days[2], -120, -150)]
    assert statement.closing_balance == selectors.account_balance(alice) == -150
    since = selectors.account_statement(alice, since=days[1], until=days[1])
    assert since.opening_balance == 30
    assert [e.balance_after for e in since.entries] == [-30]
    assert since.closing_balance == -30


def test_members_see_only_their_own_transactions_and_brokers_their_timebanks(bank, alice, bob):
    carol = member_account(bank, "Carol")
    ab = record(alice.member.user, alice, bob, 60)
    bc = record(bob.member.user, bob, carol, 60)
    other_bank = TimebankFactory()
    x, y = member_account(other_bank), member_account(other_bank)
    elsewhere = record(x.member.user, x, y, 60)

    def seen(user, timebank=None):
        return set(selectors.transactions_visible_to(user=user, timebank=timebank))

    assert seen(alice.member.user) == {ab}
    assert seen(bob.member.user) == {ab, bc}
    assert seen(carol.member.user, bank) == {bc}
    assert seen(carol.member.user, other_bank) == set()
    assert seen(broker_of(bank)) == {ab, bc}
    assert seen(broker_of(bank, Role.COORDINATOR), bank) == {ab, bc}
    assert seen(broker_of(other_bank)) == {elsewhere}
    assert seen(broker_of(other_bank), bank) == set()
    assert seen(UserFactory()) == set()
    assert seen(UserFactory(roles=[Role.BROKER])) == set()  # a broker of some other organisation
    from django.contrib.auth.models import AnonymousUser

    assert seen(AnonymousUser()) == set()


def test_an_organisations_representatives_see_its_exchanges(bank, alice):
    school, rep = organisation_account(bank)
    tx = record(rep, school, alice, 60)
    assert set(selectors.transactions_visible_to(user=rep)) == {tx}
    member_of_school = UserFactory(roles=[Role.MEMBER], roles__organisation=school.organisation)
    assert set(selectors.transactions_visible_to(user=member_of_school)) == set()


def test_reconciliation_reports_a_sound_ledger_and_exits_zero(alice, bob):
    record(alice.member.user, alice, bob, 60)
    out = io.StringIO()
    call_command("timebank_reconcile", stdout=out)
    assert "The ledger is sound" in out.getvalue()
    assert "Checked 2 account(s), 1 committed transaction(s)" in out.getvalue()


def test_reconciliation_reports_a_break_and_exits_non_zero(alice, bob):
    record(alice.member.user, alice, bob, 60)
    Account.objects.filter(pk=bob.pk).update(cached_balance=75)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("timebank_reconcile", stdout=out, stderr=err)
    assert exited.value.code == 1
    assert "BREAK: Account Bob" in out.getvalue()
    assert "cached balance 75 min, committed entries sum to 60 min" in out.getvalue()
    assert "Timebank Thurrock Timebank: balances sum to 15 min" in out.getvalue()
    bob.refresh_from_db()
    assert bob.cached_balance == 75  # reported, never fixed silently


def test_the_auto_confirm_command(bank, alice, bob, today):
    bank.confirmation_policy = ConfirmationPolicy.AUTO
    bank.auto_confirm_after_days = 3
    bank.save()
    tx = record(bob.member.user, alice, bob, 60)
    out = io.StringIO()
    call_command(
        "timebank_auto_confirm", date=(today + dt.timedelta(days=3)).isoformat(), stdout=out
    )
    assert "Counted 1 exchange(s)" in out.getvalue()
    tx.refresh_from_db()
    assert tx.state == "committed"
