"""Reads of the timebank: who may act for an account, balances, statements, who sees which exchanges.

The ledger's rules on visibility (../shared/reference/timebank-giftboard-matching.md, §4.2 no. 12):
members see only the transactions their accounts are party to; brokers see every transaction of their
timebank; anyone else sees none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Value, Window
from django.db.models.functions import Coalesce

from commonweal.accounts.constants import Role
from commonweal.accounts.models import Membership
from commonweal.timebank.constants import AccountKind, TransactionKind, TransactionState
from commonweal.timebank.models import Account, Entry, Timebank, Transaction

# Roles in a timebank's organisation that make someone a broker of that timebank.
BROKER_ROLES: tuple[str, ...] = (Role.BROKER, Role.COORDINATOR, Role.ADMIN)
# Roles in an organisation that let someone use the organisation's timebank account.
ORGANISATION_ACCOUNT_ROLES: tuple[str, ...] = (
    Role.GROUP_REP,
    Role.BROKER,
    Role.COORDINATOR,
    Role.ADMIN,
)


def _signed_in(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
    )


def _broker_organisation_ids(user: Any) -> set[int]:
    """The organisations in which a person holds a broker role now (cached on the user object)."""
    if not hasattr(user, "_timebank_broker_orgs"):
        user._timebank_broker_orgs = set(
            Membership.objects.active()
            .filter(user=user, role__in=BROKER_ROLES)
            .values_list("organisation_id", flat=True)
        )
    return set(user._timebank_broker_orgs)


def user_is_broker(*, user: Any, timebank: Timebank) -> bool:
    """Whether someone brokers this timebank: a broker, coordinator or administrator of its organisation."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    return timebank.organisation_id is not None and (
        timebank.organisation_id in _broker_organisation_ids(user)
    )


def timebanks_brokered_by(*, user: Any) -> QuerySet[Timebank]:
    if not _signed_in(user):
        return Timebank.objects.none()
    if user.is_superuser:
        return Timebank.objects.all()
    return Timebank.objects.filter(organisation_id__in=_broker_organisation_ids(user))


def accounts_acted_for(*, user: Any, timebank: Timebank | None = None) -> QuerySet[Account]:
    """The accounts a person uses as their own: their member account and their organisations' accounts."""
    if not _signed_in(user):
        return Account.objects.none()
    organisations = (
        Membership.objects.active()
        .filter(user=user, role__in=ORGANISATION_ACCOUNT_ROLES)
        .values("organisation_id")
    )
    accounts = Account.objects.filter(
        Q(kind=AccountKind.MEMBER, member__user=user)
        | Q(kind=AccountKind.MEMBER, member__proxy_broker=user)
        | Q(kind=AccountKind.ORGANISATION, organisation_id__in=organisations)
    )
    if timebank is not None:
        accounts = accounts.filter(timebank=timebank)
    return accounts


def account_acts_for(*, user: Any, account: Account) -> bool:
    """Whether ``account`` is one a person uses as their own (see ``accounts_acted_for``)."""
    if not _signed_in(user):
        return False
    if account.kind == AccountKind.MEMBER and account.member_id is not None:
        member = account.member
        return bool(member is not None and user.pk in (member.user_id, member.proxy_broker_id))
    if account.kind == AccountKind.ORGANISATION and account.organisation_id is not None:
        return (
            Membership.objects.active()
            .filter(
                user=user,
                organisation_id=account.organisation_id,
                role__in=ORGANISATION_ACCOUNT_ROLES,
            )
            .exists()
        )
    return False


def account_can_view(*, user: Any, account: Account) -> bool:
    return account_acts_for(user=user, account=account) or user_is_broker(
        user=user, timebank=account.timebank
    )


@dataclass(frozen=True)
class Limits:
    """An account's balance limits in minutes (None: no limit on that side)."""

    min_balance: int | None
    max_balance: int | None


def account_limits(account: Account) -> Limits:
    """The limits that apply: the account's own, else the timebank's. The bank's issuing account has none."""
    timebank = account.timebank
    if account.kind in (AccountKind.ISSUANCE, AccountKind.CLEARING):
        return Limits(account.min_balance, account.max_balance)
    return Limits(
        account.min_balance if account.min_balance is not None else timebank.default_min_balance,
        account.max_balance if account.max_balance is not None else timebank.default_max_balance,
    )


def account_balance(account: Account) -> int:
    """The account's balance in minutes: the sum of its committed entries (kept in ``cached_balance``)."""
    return int(Account.objects.values_list("cached_balance", flat=True).get(pk=account.pk))


def account_get(*, public_id: Any) -> Account | None:
    return (
        Account.objects.select_related("timebank", "member", "organisation")
        .filter(public_id=public_id)
        .first()
    )


def committed_entries(account: Account) -> QuerySet[Entry]:
    return Entry.objects.filter(account=account, transaction__state=TransactionState.COMMITTED)


@dataclass
class Statement:
    """An account's committed entries between two service dates, each with the balance after it."""

    account: Account
    since: dt.date | None
    until: dt.date | None
    opening_balance: int
    closing_balance: int
    entries: QuerySet[Entry] = field(repr=False)


def account_statement(
    account: Account, since: dt.date | None = None, until: dt.date | None = None
) -> Statement:
    """The statement in date order. ``entries`` carry ``balance_after``; slice them to page through."""
    entries = committed_entries(account)
    opening = 0
    if since is not None:
        opening = int(
            entries.filter(transaction__service_date__lt=since).aggregate(
                total=Coalesce(Sum("amount_minutes"), 0)
            )["total"]
        )
        entries = entries.filter(transaction__service_date__gte=since)
    if until is not None:
        entries = entries.filter(transaction__service_date__lte=until)
    movement = int(entries.aggregate(total=Coalesce(Sum("amount_minutes"), 0))["total"])
    order = [F("transaction__service_date").asc(), F("transaction_id").asc()]
    lines = (
        entries.select_related("transaction", "transaction__category", "transaction__reverses")
        .annotate(
            balance_after=Value(opening) + Window(expression=Sum("amount_minutes"), order_by=order)
        )
        .order_by(*order)
    )
    return Statement(
        account=account,
        since=since,
        until=until,
        opening_balance=opening,
        closing_balance=opening + movement,
        entries=lines,
    )


def transactions_visible_to(
    *, user: Any, timebank: Timebank | None = None
) -> QuerySet[Transaction]:
    """Brokers see all of their timebank's transactions; members only those their accounts are in.

    Without ``timebank``: every timebank the person brokers or has an account in.
    """
    if not _signed_in(user):
        return Transaction.objects.none()
    own = accounts_acted_for(user=user, timebank=timebank).values("pk")
    party = Q(pk__in=Entry.objects.filter(account_id__in=own).values("transaction_id"))
    if timebank is not None:
        if user_is_broker(user=user, timebank=timebank):
            return Transaction.objects.filter(timebank=timebank)
        return Transaction.objects.filter(party, timebank=timebank)
    brokered = timebanks_brokered_by(user=user).values("pk")
    return Transaction.objects.filter(Q(timebank_id__in=brokered) | party)


def transaction_get_visible(*, user: Any, public_id: Any) -> Transaction | None:
    return (
        transactions_visible_to(user=user)
        .select_related("timebank", "category", "reverses")
        .filter(public_id=public_id)
        .first()
    )


# --- reconciliation ------------------------------------------------------------------------------


@dataclass
class Reconciliation:
    """What the nightly reconciliation found. Empty lists mean the ledger is sound."""

    accounts_checked: int = 0
    transactions_checked: int = 0
    timebanks_checked: int = 0
    balance_breaks: list[str] = field(default_factory=list)
    timebank_breaks: list[str] = field(default_factory=list)
    transaction_breaks: list[str] = field(default_factory=list)

    @property
    def breaks(self) -> list[str]:
        return [*self.balance_breaks, *self.timebank_breaks, *self.transaction_breaks]

    @property
    def sound(self) -> bool:
        return not self.breaks


def ledger_reconcile(*, timebank: Timebank | None = None) -> Reconciliation:
    """Prove that every cached balance equals its committed entries, and every sum is zero.

    Reports breaks; never changes anything (a difference is a bug to report, not to fix silently).
    """
    report = Reconciliation()
    accounts = Account.objects.all()
    transactions = Transaction.objects.filter(state=TransactionState.COMMITTED)
    timebanks = Timebank.objects.all()
    if timebank is not None:
        accounts = accounts.filter(timebank=timebank)
        transactions = transactions.filter(timebank=timebank)
        timebanks = timebanks.filter(pk=timebank.pk)

    committed = Q(entries__transaction__state=TransactionState.COMMITTED)
    rows = accounts.annotate(
        entries_total=Coalesce(Sum("entries__amount_minutes", filter=committed), 0)
    ).values_list("pk", "public_id", "name", "cached_balance", "entries_total")
    for _pk, public_id, name, cached, total in rows.iterator(chunk_size=2000):
        report.accounts_checked += 1
        if cached != total:
            report.balance_breaks.append(
                f"Account {name} ({public_id}): cached balance {cached} min, "
                f"committed entries sum to {total} min."
            )

    for bank_pk, bank_name in timebanks.values_list("pk", "name"):
        report.timebanks_checked += 1
        totals = Account.objects.filter(timebank_id=bank_pk).aggregate(
            cached=Coalesce(Sum("cached_balance"), 0)
        )
        entries_total = Entry.objects.filter(
            account__timebank_id=bank_pk, transaction__state=TransactionState.COMMITTED
        ).aggregate(total=Coalesce(Sum("amount_minutes"), 0))["total"]
        if totals["cached"] != 0 or entries_total != 0:
            report.timebank_breaks.append(
                f"Timebank {bank_name}: balances sum to {totals['cached']} min and committed "
                f"entries to {entries_total} min (both must be 0)."
            )

    report.transactions_checked = transactions.count()
    broken = (
        transactions.annotate(
            entry_total=Coalesce(Sum("entries__amount_minutes"), 0),
            entry_count=Count("entries"),
        )
        .filter(Q(entry_count__lt=2) | ~Q(entry_total=0))
        .values_list("public_id", "entry_total", "entry_count")
    )
    for public_id, total, count in broken:
        report.transaction_breaks.append(
            f"Transaction {public_id}: {count} entries summing to {total} min "
            "(needs 2 or more summing to 0)."
        )
    other_bank = (
        Entry.objects.filter(transaction__in=transactions)
        .exclude(account__timebank_id=F("transaction__timebank_id"))
        .values_list("transaction__public_id", flat=True)
        .distinct()
    )
    for public_id in other_bank:
        report.transaction_breaks.append(
            f"Transaction {public_id}: has an entry on another timebank's account."
        )
    return report


@dataclass(frozen=True)
class OrganisationHours:
    """Time members gave to or through an organisation between two service dates, inclusive."""

    minutes: int
    exchanges: int
    accounts: int

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.01"))


def organisation_hours_between(
    *, organisation: Any, since: dt.date, until: dt.date
) -> OrganisationHours:
    """The minutes an organisation's timebank accounts paid out in confirmed exchanges and group
    activities with a service date in the period: each is time a member gave to the organisation, or
    through one of its group activities. Reversed transactions do not count; unconfirmed ones not yet.
    """
    accounts = Account.objects.filter(kind=AccountKind.ORGANISATION, organisation=organisation)
    paid = (
        Entry.objects.filter(
            account__in=accounts,
            amount_minutes__lt=0,
            transaction__state=TransactionState.COMMITTED,
            transaction__kind__in=[TransactionKind.EXCHANGE, TransactionKind.GROUP],
            transaction__service_date__gte=since,
            transaction__service_date__lte=until,
        )
        .exclude(transaction__reversed_by__state=TransactionState.COMMITTED)
        .aggregate(minutes=Sum("amount_minutes"), exchanges=Count("transaction", distinct=True))
    )
    return OrganisationHours(
        minutes=-(paid["minutes"] or 0), exchanges=paid["exchanges"], accounts=accounts.count()
    )
