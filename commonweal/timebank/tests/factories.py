"""factory_boy factories for the timebank's tests.

Gift board: ``GiftPostFactory`` makes an open offer by a new member in the member's timebank, at the
member's point (pass ``latitude``/``longitude`` to put it elsewhere).

Members' part: ``TimebankFactory`` (run by a new organisation, two locality groups with
``TimebankFactory(localities=["Grays", "Tilbury"])``), ``MemberFactory`` (an active member with a user),
``ApplicantFactory`` (applied, waiting for a broker), ``ProxyMemberFactory``, ``VettingRecordFactory``,
``CategoryFactory`` and ``broker_of(timebank)``. Accounts are opened through the ledger, never made
here: use ``member_with_account(timebank)``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import factory
from django.db import transaction as db_transaction
from django.db.models import F
from django.utils import timezone

from commonweal.accounts.constants import Role
from commonweal.accounts.models import User
from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.timebank.constants import (
    AccountKind,
    GiftType,
    MemberStatus,
    PostKind,
    TransactionKind,
    TransactionState,
    VettingKind,
    VettingOutcome,
)
from commonweal.timebank.models import (
    Account,
    Category,
    Entry,
    GiftPost,
    Locality,
    Member,
    Timebank,
    Transaction,
    VettingRecord,
)


class TimebankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Timebank
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Timebank {n}")
    slug = factory.Sequence(lambda n: f"timebank-{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    group_activities_first = 0

    @factory.post_generation
    def localities(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            for name in extracted:
                Locality.objects.create(timebank=self, name=name)


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality

    timebank = factory.SubFactory(TimebankFactory)
    name = factory.Sequence(lambda n: f"Locality {n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kind of help {n}")
    slug = factory.Sequence(lambda n: f"kind-of-help-{n}")


class MemberFactory(factory.django.DjangoModelFactory):
    """An active member with a user of their own (no account: see ``member_with_account``)."""

    class Meta:
        model = Member

    timebank = factory.SubFactory(TimebankFactory)
    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Member {n}")
    status = MemberStatus.ACTIVE
    can_offer = "A chat over a cup of tea"
    joined_on = factory.LazyFunction(timezone.localdate)
    terms_agreed_at = factory.LazyFunction(timezone.now)
    postcode = "RM176SL"
    latitude = Decimal("51.475500")
    longitude = Decimal("0.323800")


class ApplicantFactory(MemberFactory):
    status = MemberStatus.APPLIED
    joined_on = None


class ProxyMemberFactory(MemberFactory):
    user = None
    is_proxy = True
    contact_notes = "Landline 01375 000000, mornings"


class VettingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VettingRecord

    member = factory.SubFactory(MemberFactory)
    kind = VettingKind.DBS_ENHANCED
    outcome = VettingOutcome.CLEAR
    checked_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    expires_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=3 * 365)
    )
    reference = "001234567890"
    recorded_by = factory.SubFactory(UserFactory)


def broker_of(timebank: Timebank, role: str = Role.BROKER, **kwargs: Any) -> User:
    """A person with the broker role (or ``role``) in the organisation that runs ``timebank``."""
    return UserFactory(roles=[role], roles__organisation=timebank.organisation, **kwargs)  # type: ignore[no-any-return]


def member_with_account(timebank: Timebank, **kwargs: Any) -> Member:
    """An active member whose account the ledger has opened."""
    from commonweal.timebank import ledger

    member = MemberFactory(timebank=timebank, **kwargs)
    ledger.account_open(
        actor=member.user, timebank=timebank, kind=AccountKind.MEMBER, member=member
    )
    return member  # type: ignore[no-any-return]


def account_of(member: Member) -> Account:
    return Account.objects.get(member=member)


def example_timebank() -> Timebank:
    """A timebank with locality groups, for the browser checks of public pages."""
    from commonweal.timebank.membership import timebank_create

    return timebank_create(
        actor=None,
        name="Thurrock Timebank",
        slug="thurrock",
        organisation=OrganisationFactory(name="Thurrock CVS"),
        localities=["Grays", "Tilbury"],
    )


class GiftPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GiftPost

    member = factory.SubFactory(MemberFactory)
    timebank = factory.SelfAttribute("member.timebank")
    posted_by = factory.SelfAttribute("member.user")
    kind = PostKind.OFFER
    title = factory.Sequence(lambda n: f"Gift {n}")
    category = factory.SubFactory(CategoryFactory)
    gift_type = GiftType.HANDS
    postcode = factory.SelfAttribute("member.postcode")
    latitude = factory.SelfAttribute("member.latitude")
    longitude = factory.SelfAttribute("member.longitude")


# --- Ledgers to read (reports, statements) ----------------------------------------------------------
# ``committed_transaction_for_tests`` writes a committed transaction's entries and moves the cached
# balances directly: for tests that need a ledger to read, never a way to record exchanges.


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
