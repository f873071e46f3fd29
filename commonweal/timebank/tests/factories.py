"""factory_boy factories for timebanks, localities, categories, members and accounts.

``committed_transaction_for_tests`` writes a committed transaction's entries and moves the cached
balances directly: it is for tests that need a ledger to read (reports, statements), never a way to
record exchanges. Real exchanges go through ``commonweal.timebank.ledger``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

import factory
from django.db import transaction as db_transaction
from django.db.models import F
from django.utils import timezone

from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.timebank.constants import (
    AccountKind,
    MemberStatus,
    TransactionKind,
    TransactionState,
)
from commonweal.timebank.models import (
    Account,
    Category,
    Entry,
    Locality,
    Member,
    Timebank,
    Transaction,
)


class TimebankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Timebank
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Timebank {n}")
    slug = factory.Sequence(lambda n: f"timebank-{n}")
    organisation = factory.SubFactory(OrganisationFactory)


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality

    timebank = factory.SubFactory(TimebankFactory)
    name = factory.Sequence(lambda n: f"Locality {n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    timebank = factory.SubFactory(TimebankFactory)
    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Member {n}")
    status = MemberStatus.ACTIVE
    joined_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=400))


class AccountFactory(factory.django.DjangoModelFactory):
    """A member's account by default (``member=`` an existing member, or a new one)."""

    class Meta:
        model = Account

    kind = AccountKind.MEMBER
    member = factory.SubFactory(MemberFactory)
    timebank = factory.LazyAttribute(lambda account: account.member.timebank)
    name = factory.LazyAttribute(lambda account: account.member.display_name)


def organisation_account(timebank: Timebank, **kwargs: Any) -> Account:
    organisation = kwargs.pop("organisation", None) or OrganisationFactory()
    return Account.objects.create(
        timebank=timebank,
        kind=AccountKind.ORGANISATION,
        organisation=organisation,
        name=organisation.name,
        **kwargs,
    )


def special_account(timebank: Timebank, kind: str) -> Account:
    """The timebank's community pot or issuance account (made once)."""
    account, _ = Account.objects.get_or_create(
        timebank=timebank, kind=kind, defaults={"name": AccountKind(kind).label}
    )
    return account


@db_transaction.atomic
def committed_transaction_for_tests(
    *,
    timebank: Timebank,
    entries: Sequence[tuple[Account, int]],
    kind: str = TransactionKind.EXCHANGE,
    service_date: datetime.date | None = None,
    category: Category | None = None,
    reverses: Transaction | None = None,
    recorded_by: Any = None,
    state: str = TransactionState.COMMITTED,
    description: str = "",
) -> Transaction:
    """TEST ONLY: write a transaction with balanced entries and, when committed, move the cached
    balances. Skips every ledger check except that the entries sum to zero."""
    if sum(amount for _, amount in entries) != 0:
        raise ValueError("A transaction's entries must sum to zero.")
    tx = Transaction.objects.create(
        timebank=timebank,
        kind=kind,
        state=state,
        service_date=service_date or timezone.localdate(),
        category=category,
        reverses=reverses,
        recorded_by=recorded_by or UserFactory(),
        description=description,
        reason="Entered in error" if reverses else "",
        committed_at=timezone.now() if state == TransactionState.COMMITTED else None,
    )
    Entry.objects.bulk_create(
        Entry(transaction=tx, account=account, amount_minutes=amount) for account, amount in entries
    )
    if state == TransactionState.COMMITTED:
        for account, amount in entries:
            Account.objects.filter(pk=account.pk).update(
                cached_balance=F("cached_balance") + amount
            )
    return tx


def exchange_for_tests(payer: Account, payee: Account, minutes: int, **kwargs: Any) -> Transaction:
    """TEST ONLY: a committed one-to-one exchange: ``payer`` received the help, ``payee`` gave it."""
    return committed_transaction_for_tests(
        timebank=payer.timebank, entries=[(payer, -minutes), (payee, minutes)], **kwargs
    )


def reversal_for_tests(original: Transaction, **kwargs: Any) -> Transaction:
    """TEST ONLY: the committed reversal of ``original`` (every entry negated)."""
    return committed_transaction_for_tests(
        timebank=original.timebank,
        kind=TransactionKind.REVERSAL,
        entries=[(entry.account, -entry.amount_minutes) for entry in original.entries.all()],
        reverses=original,
        service_date=kwargs.pop("service_date", original.service_date),
        **kwargs,
    )
