"""Reads for the member pages and the broker console: memberships, applications, vetting, activity.

Balances and statements come from the ledger's selectors (``commonweal.timebank.ledger``); these reads
only find members, their accounts and the lists a broker works through.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.timebank import selectors
from commonweal.timebank.constants import (
    HOME_VISIT_VETTING,
    AccountKind,
    AccountStatus,
    ConnectionStatus,
    MemberStatus,
    TransactionKind,
    TransactionState,
    VettingKind,
    VettingOutcome,
)
from commonweal.timebank.models import (
    Account,
    Category,
    Connection,
    Entry,
    GiftPost,
    Member,
    Timebank,
    Transaction,
    VettingRecord,
)

VETTING_WARNING_DAYS = 60
INACTIVE_DAYS = 90


# --- Timebanks and memberships ---------------------------------------------------------------------


def timebank_get(*, slug: str) -> Timebank | None:
    return Timebank.objects.select_related("organisation").filter(slug=slug).first()


def timebank_list() -> QuerySet[Timebank]:
    return Timebank.objects.select_related("organisation").order_by("name")


def members_of_user(*, user: Any) -> QuerySet[Member]:
    """A person's memberships of timebanks (any status), with their timebank and account."""
    if not user.is_authenticated:
        return Member.objects.none()
    return (
        Member.objects.filter(user=user)
        .select_related("timebank", "locality")
        .order_by("timebank__name", "id")
    )


def member_for_user(*, user: Any, slug: str | None = None) -> Member | None:
    """The person's membership to show on their dashboard: of the timebank ``slug``, else their first
    active one, else their first."""
    members = list(members_of_user(user=user))
    if slug:
        return next((member for member in members if member.timebank.slug == slug), None)
    active = [member for member in members if member.status == MemberStatus.ACTIVE]
    chosen = active or members
    return chosen[0] if chosen else None


def member_get(*, timebank: Timebank, public_id: Any) -> Member | None:
    return (
        Member.objects.filter(timebank=timebank, public_id=public_id)
        .select_related("timebank", "locality", "user", "proxy_broker", "ward")
        .first()
    )


def account_of_member(*, member: Member) -> Account | None:
    return Account.objects.filter(member=member).first()


def account_get(*, timebank: Timebank, public_id: Any) -> Account | None:
    return (
        Account.objects.filter(timebank=timebank, public_id=public_id)
        .select_related("member", "organisation", "timebank")
        .first()
    )


def transaction_get(*, timebank: Timebank | None = None, public_id: Any) -> Transaction | None:
    transactions = Transaction.objects.select_related("timebank", "category")
    if timebank is not None:
        transactions = transactions.filter(timebank=timebank)
    return transactions.filter(public_id=public_id).first()


def giftboard_connection_get(*, public_id: Any) -> Connection | None:
    return (
        Connection.objects.select_related(
            "post", "post__member", "post__category", "asked_by_member"
        )
        .filter(public_id=public_id)
        .first()
    )


def exchange_partners(*, member: Member) -> QuerySet[Account]:
    """The accounts a member may record help from: other open member and organisation accounts."""
    return (
        Account.objects.filter(
            timebank_id=member.timebank_id, kind__in=[AccountKind.MEMBER, AccountKind.ORGANISATION]
        )
        .exclude(member=member)
        .filter(Q(member__isnull=True) | Q(member__status=MemberStatus.ACTIVE))
        .select_related("member")
        .order_by("name", "id")
    )


CONNECTED_STATUSES = (ConnectionStatus.ACCEPTED, ConnectionStatus.CONNECTED)


def connected_partners(*, member: Member) -> QuerySet[Account]:
    """The member's exchange partners they are in touch with through the gift board: people (or
    organisations) whose post they asked about, or who asked about theirs, once both agreed."""
    made = Connection.objects.filter(status__in=CONNECTED_STATUSES)
    asked_about = made.filter(asked_by_member=member).values("post_id")
    asked_me = made.filter(post__member=member, asked_by_member__isnull=False)
    return (
        exchange_partners(member=member)
        .filter(
            Q(member__gift_posts__in=asked_about)
            | Q(kind=AccountKind.ORGANISATION, organisation__gift_posts__in=asked_about)
            | Q(member__in=asked_me.values("asked_by_member_id"))
        )
        .distinct()
    )


def timebank_accounts_for_broker(*, timebank: Timebank) -> QuerySet[Account]:
    """Every member and organisation account in a timebank, for a broker's choices."""
    return (
        Account.objects.filter(
            timebank=timebank, kind__in=[AccountKind.MEMBER, AccountKind.ORGANISATION]
        )
        .select_related("member", "organisation")
        .order_by("name", "id")
    )


def community_pot(*, timebank: Timebank) -> Account | None:
    """The timebank's community pot (members give to it; brokers pay for help from it)."""
    return Account.objects.filter(timebank=timebank, kind=AccountKind.COMMUNITY_POT).first()


def group_activity_payers(*, timebank: Timebank) -> QuerySet[Account]:
    """Organisation accounts that may pay the attendees of a group activity they organised."""
    return Account.objects.filter(
        timebank=timebank, kind=AccountKind.ORGANISATION, status=AccountStatus.OPEN
    ).order_by("name", "id")


def group_activity_attendees(*, timebank: Timebank) -> QuerySet[Account]:
    """The accounts a broker ticks as attendees: every active member of the timebank."""
    return (
        Account.objects.filter(
            timebank=timebank, kind=AccountKind.MEMBER, member__status=MemberStatus.ACTIVE
        )
        .select_related("member")
        .order_by("name", "id")
    )


def member_accounts_for_broker(*, timebank: Timebank) -> QuerySet[Account]:
    """Members' accounts in a timebank, for a broker acting on a member's behalf."""
    return (
        Account.objects.filter(timebank=timebank, kind=AccountKind.MEMBER)
        .exclude(member__status__in=[MemberStatus.APPLIED, MemberStatus.DECLINED])
        .select_related("member")
        .order_by("name", "id")
    )


def category_list() -> QuerySet[Category]:
    return Category.objects.filter(is_goods=False).order_by("name")


def organisations_without_account(*, timebank: Timebank) -> QuerySet[Organisation]:
    taken = Account.objects.filter(timebank=timebank, kind=AccountKind.ORGANISATION).values(
        "organisation_id"
    )
    return Organisation.objects.active().exclude(pk__in=taken).order_by("name")


# --- Statements ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementRow:
    """One line of a statement, as the pages and the CSV show it."""

    service_date: datetime.date
    description: str
    counterparty: str
    kind_label: str
    amount_minutes: int
    balance_after: int
    reason: str
    public_id: Any
    reversible: bool = (
        False  # committed, not a reversal and not yet reversed: a broker may reverse it
    )


def statement_rows(*, account: Account, limit: int | None = None) -> list[StatementRow]:
    """The account's committed entries, newest first, with the balance after each (from the ledger's
    statement) and who was on the other side. Three queries, whatever the length."""
    entries = (
        selectors.account_statement(account)
        .entries.order_by("-transaction__service_date", "-transaction_id")
        .annotate(
            reversed_already=Exists(
                Transaction.objects.filter(reverses_id=OuterRef("transaction_id"))
            )
        )
        .prefetch_related(
            Prefetch(
                "transaction__entries",
                queryset=Entry.objects.select_related("account").order_by("id"),
                to_attr="all_entries",
            )
        )
    )
    if limit is not None:
        entries = entries[:limit]
    rows = []
    for entry in entries:
        transaction = entry.transaction
        others = [
            other.account.name
            for other in transaction.all_entries  # type: ignore[attr-defined]
            if other.account_id != account.pk
        ]
        reversed_already = bool(entry.reversed_already)
        description = transaction.description
        if transaction.reverses is not None:
            description = f"Reversal of “{transaction.reverses.description}”"
        rows.append(
            StatementRow(
                service_date=transaction.service_date,
                description=description or transaction.get_kind_display(),
                counterparty=", ".join(others[:3])
                + (f" and {len(others) - 3} more" if len(others) > 3 else ""),
                kind_label=transaction.get_kind_display(),
                amount_minutes=entry.amount_minutes,
                balance_after=int(entry.balance_after),  # type: ignore[attr-defined]
                reason=transaction.reason,
                public_id=transaction.public_id,
                reversible=transaction.kind != TransactionKind.REVERSAL and not reversed_already,
            )
        )
    return rows


def exchanges_waiting(*, member: Member) -> QuerySet[Transaction]:
    """Exchanges on the member's account that do not count yet (waiting for someone else or a broker)."""
    account = account_of_member(member=member)
    if account is None:
        return Transaction.objects.none()
    return (
        Transaction.objects.filter(
            entries__account=account,
            state__in=[TransactionState.PENDING, TransactionState.AWAITING_BROKER],
        )
        .select_related("category")
        .order_by("-service_date", "-id")
    )


# --- The start-with-group-activities rule ----------------------------------------------------------


def group_activities_done(*, member: Member) -> int:
    """How many committed group activities the member has taken part in."""
    return (
        Entry.objects.filter(
            account__member=member,
            transaction__kind=TransactionKind.GROUP,
            transaction__state=TransactionState.COMMITTED,
        )
        .values("transaction_id")
        .distinct()
        .count()
    )


def group_activities_still_needed(*, member: Member) -> int:
    """How many more group activities the member joins before one-to-one exchanges (0 when none)."""
    needed = member.timebank.group_activities_first
    if not needed:
        return 0
    return max(0, needed - group_activities_done(member=member))


# --- Exchanges for the dashboard and the console --------------------------------------------------


def exchanges_to_confirm(*, member: Member) -> QuerySet[Transaction]:
    """Pending exchanges on the member's account that they did not record and have not answered."""
    account = account_of_member(member=member)
    if account is None:
        return Transaction.objects.none()
    answered = Transaction.objects.filter(pk=OuterRef("pk"), confirmations__account=account)
    query = Transaction.objects.filter(
        state=TransactionState.PENDING, entries__account=account
    ).exclude(Exists(answered))
    if member.user_id is not None:
        query = query.exclude(recorded_by_id=member.user_id)
    return (
        query.select_related("category", "recorded_by")
        .prefetch_related("entries__account")
        .order_by("service_date", "id")
    )


def exchanges_awaiting_broker(*, timebank: Timebank) -> QuerySet[Transaction]:
    return (
        Transaction.objects.filter(timebank=timebank, state=TransactionState.AWAITING_BROKER)
        .select_related("category", "recorded_by", "on_behalf_of")
        .prefetch_related("entries__account")
        .order_by("created_at", "id")
    )


def transactions_recent(*, timebank: Timebank, limit: int = 20) -> QuerySet[Transaction]:
    """The timebank's latest committed transactions, for a broker to find one to reverse."""
    return (
        Transaction.objects.filter(timebank=timebank, state=TransactionState.COMMITTED)
        .exclude(kind=TransactionKind.REVERSAL)
        .filter(reversed_by__isnull=True)
        .select_related("category", "recorded_by", "on_behalf_of")
        .prefetch_related("entries__account")
        .order_by("-committed_at", "-id")[:limit]
    )


def exchanges_flagged(*, timebank: Timebank, limit: int = 50) -> QuerySet[Transaction]:
    """Transactions that counted but broke a balance limit (the "flag" policy, or a correction),
    newest first, leaving out those already reversed: for a broker to look at."""
    return (
        Transaction.objects.filter(timebank=timebank, state=TransactionState.COMMITTED)
        .exclude(flagged="")
        .filter(reversed_by__isnull=True)
        .select_related("category", "recorded_by", "on_behalf_of")
        .prefetch_related("entries__account")
        .order_by("-committed_at", "-id")[:limit]
    )


def transaction_parties(transaction: Transaction) -> tuple[list[Account], list[Account]]:
    """(payers, payees) of a transaction whose entries were prefetched with their accounts."""
    entries = list(transaction.entries.all())
    payers = [entry.account for entry in entries if entry.amount_minutes < 0]
    payees = [entry.account for entry in entries if entry.amount_minutes > 0]
    return payers, payees


def transaction_minutes(transaction: Transaction) -> int:
    return sum(
        entry.amount_minutes for entry in transaction.entries.all() if entry.amount_minutes > 0
    )


# --- The broker console ---------------------------------------------------------------------------


def applications_pending(*, timebank: Timebank) -> QuerySet[Member]:
    return (
        Member.objects.filter(timebank=timebank, status=MemberStatus.APPLIED)
        .select_related("user", "locality")
        .order_by("created_at", "id")
    )


def _latest_of_kind() -> Exists:
    newer = VettingRecord.objects.filter(
        member=OuterRef("member"), kind=OuterRef("kind"), checked_on__gt=OuterRef("checked_on")
    )
    return Exists(newer)


def vetting_expiring(
    *, timebank: Timebank, today: datetime.date | None = None, days: int = VETTING_WARNING_DAYS
) -> QuerySet[VettingRecord]:
    """Each member's latest check of each kind that has run out or runs out within ``days``."""
    today = today or timezone.localdate()
    return (
        VettingRecord.objects.filter(
            member__timebank=timebank,
            member__status=MemberStatus.ACTIVE,
            expires_on__isnull=False,
            expires_on__lte=today + datetime.timedelta(days=days),
        )
        .exclude(_latest_of_kind())
        .select_related("member")
        .order_by("expires_on", "id")
    )


def members_inactive(
    *, timebank: Timebank, today: datetime.date | None = None, days: int = INACTIVE_DAYS
) -> QuerySet[Member]:
    """Active members who joined at least ``days`` ago with no committed transaction in that time."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=days)
    recent = Entry.objects.filter(
        account__member=OuterRef("pk"),
        transaction__state=TransactionState.COMMITTED,
        transaction__service_date__gt=since,
    )
    return (
        Member.objects.filter(timebank=timebank, status=MemberStatus.ACTIVE)
        .filter(Q(joined_on__isnull=True) | Q(joined_on__lte=since))
        .exclude(Exists(recent))
        .select_related("locality")
        .order_by("display_name", "id")
    )


@dataclass(frozen=True)
class MemberRow:
    member: Member
    account: Account | None
    vetting_count: int


def members_list(*, timebank: Timebank) -> list[MemberRow]:
    """Every member of a timebank (except applications and those not accepted), with their account."""
    members = (
        Member.objects.filter(timebank=timebank)
        .exclude(status__in=[MemberStatus.APPLIED, MemberStatus.DECLINED])
        .select_related("locality", "user", "account", "ward")
        .annotate(vetting_count=Count("vetting"))
        .order_by("display_name", "id")
    )
    rows = []
    for member in members:
        try:
            account = member.account
        except Account.DoesNotExist:
            account = None
        rows.append(MemberRow(member=member, account=account, vetting_count=member.vetting_count))
    return rows


def organisation_accounts(*, timebank: Timebank) -> QuerySet[Account]:
    return (
        Account.objects.filter(timebank=timebank)
        .exclude(kind=AccountKind.MEMBER)
        .select_related("organisation")
        .order_by("kind", "name")
    )


# --- Vetting in plain words ------------------------------------------------------------------------


def _day(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def vetting_list(*, member: Member) -> QuerySet[VettingRecord]:
    return member.vetting.select_related("recorded_by").order_by("-checked_on", "-id")


def home_visit_vetting_clear(*, member: Member, on: datetime.date | None = None) -> bool:
    """Whether a member may give help in people's homes (or to vulnerable members) without a
    broker's approval on ``on`` (today by default): the LATEST enhanced DBS check recorded by then
    (with or without the barred lists) is clear and in date. A newer check that is pending or found
    concerns takes the clearance away, whatever older checks said. The ledger and the member's page
    both ask this."""
    on = on or timezone.localdate()
    latest = (
        VettingRecord.objects.filter(member=member, kind__in=HOME_VISIT_VETTING, checked_on__lte=on)
        .order_by("-checked_on", "-id")
        .only("outcome", "expires_on")
        .first()
    )
    return (
        latest is not None
        and latest.outcome == VettingOutcome.CLEAR
        and (latest.expires_on is None or latest.expires_on >= on)
    )


def vetting_status_words(*, member: Member, today: datetime.date | None = None) -> list[str]:
    """What a member may read about their own checks: never notes, referees or certificate numbers."""
    today = today or timezone.localdate()
    latest: dict[str, VettingRecord] = {}
    for record in member.vetting.order_by("checked_on", "id"):
        latest[record.kind] = record
    if not latest:
        return [
            "You have no checks recorded yet. Your broker will talk to you about references and an "
            "induction."
        ]
    words = []
    references = member.vetting.filter(kind=VettingKind.REFERENCE, outcome=VettingOutcome.CLEAR)
    for kind, record in sorted(latest.items()):
        label = VettingKind(kind).label
        if kind == VettingKind.REFERENCE:
            count = references.count()
            words.append(f"References: {count} received.")
            continue
        if record.outcome == VettingOutcome.PENDING:
            words.append(f"{label}: waiting for the result.")
        elif record.outcome == VettingOutcome.CONCERNS:
            words.append(f"{label}: your broker would like to talk to you about it.")
        elif record.expires_on is not None and record.expires_on < today:
            words.append(
                f"{label}: ran out on {_day(record.expires_on)}; ask your broker to renew it."
            )
        elif record.expires_on is not None:
            words.append(f"{label}: done, valid until {_day(record.expires_on)}.")
        else:
            words.append(f"{label}: done on {_day(record.checked_on)}.")
    if home_visit_vetting_clear(member=member, on=today):
        words.append("You can give help in people's homes.")
    return words


def user_display(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


# --- Organisation accounts, as their representatives use them -------------------------------------


def organisation_accounts_for(*, user: Any) -> QuerySet[Account]:
    """The organisation accounts a person uses on their organisation's behalf (as its rep)."""
    return (
        selectors.accounts_acted_for(user=user)
        .filter(kind=AccountKind.ORGANISATION)
        .select_related("timebank", "organisation")
        .order_by("timebank__name", "name", "id")
    )


def organisation_account_get(*, timebank: Timebank, public_id: Any) -> Account | None:
    return (
        Account.objects.filter(
            timebank=timebank, kind=AccountKind.ORGANISATION, public_id=public_id
        )
        .select_related("timebank", "organisation")
        .first()
    )


def account_exchanges_to_confirm(*, account: Account) -> QuerySet[Transaction]:
    """Pending exchanges on an account that nobody has yet agreed to for it."""
    answered = Transaction.objects.filter(pk=OuterRef("pk"), confirmations__account=account)
    return (
        Transaction.objects.filter(state=TransactionState.PENDING, entries__account=account)
        .exclude(Exists(answered))
        .select_related("category", "recorded_by")
        .prefetch_related("entries__account")
        .order_by("service_date", "id")
    )


def account_exchanges_waiting(*, account: Account) -> QuerySet[Transaction]:
    """Exchanges on an account that do not count yet (waiting for the other side or a broker)."""
    return (
        Transaction.objects.filter(
            entries__account=account,
            state__in=[TransactionState.PENDING, TransactionState.AWAITING_BROKER],
        )
        .select_related("category")
        .order_by("-service_date", "-id")
    )


def organisation_posts(*, account: Account) -> QuerySet[GiftPost]:
    """The gift board offers and needs an organisation has posted in the account's timebank."""
    if account.organisation_id is None:
        return GiftPost.objects.none()
    return (
        GiftPost.objects.filter(
            timebank_id=account.timebank_id, organisation_id=account.organisation_id
        )
        .select_related("category", "ward")
        .order_by("status", "-created_at", "-id")
    )


def member_accounts_for_exchange(*, account: Account) -> QuerySet[Account]:
    """The members an organisation may record an exchange with: active members of its timebank."""
    return (
        Account.objects.filter(
            timebank_id=account.timebank_id,
            kind=AccountKind.MEMBER,
            member__status=MemberStatus.ACTIVE,
        )
        .select_related("member")
        .order_by("name", "id")
    )
