"""The hours members gave to or through an organisation in a period, for grant monitoring reports."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from commonweal.accounts.tests.factories import OrganisationFactory
from commonweal.timebank.constants import AccountKind, TransactionKind, TransactionState
from commonweal.timebank.selectors import organisation_hours_between
from commonweal.timebank.tests import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)


def test_hours_paid_out_by_the_organisation_in_the_period_count_and_nothing_else():
    bank = f.TimebankFactory()
    group = OrganisationFactory()
    account = f.organisation_account(bank, organisation=group)
    helper = f.account_of(f.member_with_account(bank))
    other = f.account_of(f.member_with_account(bank))
    issuer = f.special_account(bank, AccountKind.ISSUANCE)
    # Counted: a member helped the group (90 min); two members at the group's activity (60 each).
    f.exchange_for_tests(account, helper, 90, service_date=DAY)
    f.committed_transaction_for_tests(
        timebank=bank,
        kind=TransactionKind.GROUP,
        entries=[(account, -120), (helper, 60), (other, 60)],
        service_date=DAY,
    )
    # Not counted: outside the period, the group receiving help, unconfirmed, reversed, another payer.
    f.exchange_for_tests(account, helper, 600, service_date=DAY - datetime.timedelta(days=40))
    f.exchange_for_tests(helper, account, 45, service_date=DAY)
    f.committed_transaction_for_tests(
        timebank=bank,
        entries=[(account, -30), (helper, 30)],
        service_date=DAY,
        state=TransactionState.PENDING,
    )
    f.reversal_for_tests(f.exchange_for_tests(account, other, 240, service_date=DAY))
    f.exchange_for_tests(issuer, helper, 300, service_date=DAY)

    hours = organisation_hours_between(
        organisation=group, since=DAY - datetime.timedelta(days=7), until=DAY
    )
    assert hours.minutes == 210 and hours.hours == Decimal("3.50")
    assert hours.exchanges == 2 and hours.accounts == 1


def test_an_organisation_without_a_timebank_account_has_none():
    hours = organisation_hours_between(organisation=OrganisationFactory(), since=DAY, until=DAY)
    assert hours.accounts == 0 and hours.minutes == 0
