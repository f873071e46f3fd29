"""The timebank's ledger: the ONE write path for accounts, transactions and their entries.

Pages, the JSON API, the admin, imports and the demo call these functions; nothing else writes
``Entry`` rows or ``Account.cached_balance``. Each function runs in one database transaction, is
audited, and refuses bad requests with a ``LedgerError`` (a plain-words message and a stable code)
without changing anything. See ../shared/reference/timebank-giftboard-matching.md, §3 and §4.

How an exchange becomes committed:

- Entries are written when the transaction is recorded (so a pending exchange knows who pays whom);
  only COMMITTED transactions count towards balances.
- Consent follows ``Timebank.confirmation_policy``: ``payer`` commits at once when the payer (or a
  broker) records it, otherwise it waits for the payer; ``both`` waits for the other party; ``broker``
  waits for a broker; ``auto`` waits for the other party or ``auto_confirm_after_days``.
- A broker who records or approves an exchange is its approval.
- Some exchanges need a broker whatever the policy: a date older than ``max_backdate_days``, a home
  visit or a vulnerable member unless the provider's latest enhanced DBS is clear and in date
  (``member_selectors.home_visit_vetting_clear``, the rule the member's page shows), and one-to-one
  exchanges of members who have not yet taken part in ``group_activities_first`` group activities,
  and one-to-one exchanges with a member a broker has marked "accompanied only".
- A home visit with a member a broker has marked "no home visits" is refused, whoever records it,
  and again when it would be confirmed or approved (the restriction may be newer than the record).
- Limits are checked when committing, under ``SELECT ... FOR UPDATE`` of every account involved
  (locked in ascending id order), against the projected balances; ``limit_policy`` then refuses
  (block), asks a broker (approval) or commits and flags (flag). Balances are updated in the same
  database transaction as the commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from commonweal.core.audit import audit_record
from commonweal.timebank import selectors
from commonweal.timebank.constants import (
    MAX_EXCHANGE_MINUTES,
    AccountKind,
    AccountStatus,
    ConfirmationDecision,
    ConfirmationPolicy,
    LimitPolicy,
    TimebankAuditKind,
    TransactionKind,
    TransactionState,
)
from commonweal.timebank.exceptions import (
    CannotTransact,
    Conflict,
    InvalidRequest,
    LedgerError,
    NotAllowed,
    UnknownRecord,
)
from commonweal.timebank.member_selectors import home_visit_vetting_clear
from commonweal.timebank.models import (
    Account,
    AccountLimitChange,
    Category,
    Confirmation,
    Entry,
    Member,
    Timebank,
    Transaction,
)

# How long the payer may undo an exchange they recorded themselves (brokers may reverse any time).
PAYER_REVERSAL_WINDOW = dt.timedelta(hours=24)
DESCRIPTION_MAX = 2000

__all__ = [
    "PAYER_REVERSAL_WINDOW",
    "AutoConfirmResult",
    "LedgerError",
    "account_limits_change",
    "account_open",
    "account_status_set",
    "donation_record",
    "exchange_record",
    "group_activity_record",
    "timebank_accounts_ensure",
    "transaction_approve",
    "transaction_confirm",
    "transaction_reject",
    "transaction_reverse",
    "transaction_reverse_or_replay",
    "transactions_auto_confirm",
]


def minutes_text(minutes: int) -> str:
    """Minutes as people say them: 90 -> '1 hour 30 minutes'."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return sign + " ".join(parts)


# --- accounts ------------------------------------------------------------------------------------


def _require_broker(actor: Any, timebank: Timebank, doing: str) -> None:
    if not selectors.user_is_broker(user=actor, timebank=timebank):
        raise NotAllowed(f"Only a broker of {timebank.name} can {doing}.")


@transaction.atomic
def timebank_accounts_ensure(*, timebank: Timebank) -> tuple[Account, Account]:
    """The timebank's community pot and its issuing account (which pays for group activities)."""
    made = []
    found: dict[str, Account] = {}
    for kind, name in (
        (AccountKind.COMMUNITY_POT, f"{timebank.name} community pot"),
        (AccountKind.ISSUANCE, f"{timebank.name} (group activities)"),
    ):
        account, created = Account.objects.get_or_create(
            timebank=timebank, kind=kind, defaults={"name": name}
        )
        found[kind] = account
        if created:
            made.append(account)
    for account in made:
        audit_record(
            kind=TimebankAuditKind.ACCOUNT_OPENED,
            actor=None,
            target=account,
            after={"kind": account.kind, "timebank": timebank.slug},
        )
    return found[AccountKind.COMMUNITY_POT], found[AccountKind.ISSUANCE]


@transaction.atomic
def account_open(
    *,
    actor: Any,
    timebank: Timebank,
    kind: str,
    member: Member | None = None,
    organisation: Any = None,
    name: str = "",
) -> Account:
    """Open a member's or an organisation's account. A broker opens them (or an active member their own)."""
    if kind == AccountKind.MEMBER:
        if member is None:
            raise InvalidRequest("A member account needs the member.", code="member_required")
        if member.timebank_id != timebank.pk:
            raise InvalidRequest(
                f"{member.display_name} is a member of another timebank.", code="other_timebank"
            )
        own = actor is not None and member.user_id is not None and member.user_id == actor.pk
        if not (own and member.status == "active") and not selectors.user_is_broker(
            user=actor, timebank=timebank
        ):
            raise NotAllowed(f"Only a broker of {timebank.name} can open this account.")
        if Account.objects.filter(member=member).exists():
            raise Conflict(f"{member.display_name} already has an account.", code="already_open")
        account = Account.objects.create(
            timebank=timebank, kind=kind, member=member, name=name or member.display_name
        )
    elif kind == AccountKind.ORGANISATION:
        if organisation is None:
            raise InvalidRequest(
                "An organisation account needs the organisation.", code="organisation_required"
            )
        _require_broker(actor, timebank, "open an organisation's account")
        if Account.objects.filter(timebank=timebank, kind=kind, organisation=organisation).exists():
            raise Conflict(
                f"{organisation.name} already has an account in {timebank.name}.",
                code="already_open",
            )
        account = Account.objects.create(
            timebank=timebank, kind=kind, organisation=organisation, name=name or organisation.name
        )
    elif kind == AccountKind.CLEARING:
        _require_broker(actor, timebank, "open a clearing account")
        if not name:
            raise InvalidRequest("A clearing account needs a name.", code="name_required")
        account = Account.objects.create(timebank=timebank, kind=kind, name=name)
    elif kind in (AccountKind.COMMUNITY_POT, AccountKind.ISSUANCE):
        _require_broker(actor, timebank, "open the timebank's own accounts")
        pot, issuer = timebank_accounts_ensure(timebank=timebank)
        return pot if kind == AccountKind.COMMUNITY_POT else issuer
    else:
        raise InvalidRequest(f"There is no kind of account called {kind!r}.", code="unknown_kind")
    audit_record(
        kind=TimebankAuditKind.ACCOUNT_OPENED,
        actor=actor,
        target=account,
        after={"kind": account.kind, "timebank": timebank.slug, "name": account.name},
    )
    return account


@transaction.atomic
def account_status_set(*, actor: Any, account: Account, status: str, reason: str = "") -> Account:
    """Freeze, close or reopen an account (brokers). Closing needs a zero balance and nothing pending."""
    if status not in AccountStatus.values:
        raise InvalidRequest(f"There is no account status {status!r}.", code="unknown_status")
    _require_broker(actor, account.timebank, "freeze, close or reopen accounts")
    locked = Account.objects.select_for_update().get(pk=account.pk)
    if status == AccountStatus.CLOSED and locked.status != AccountStatus.CLOSED:
        if locked.cached_balance != 0:
            raise CannotTransact(
                f"{locked.name} has a balance of {minutes_text(locked.cached_balance)}: "
                "bring it to zero (for example with a donation to the community pot) before closing.",
                code="not_zero",
            )
        waiting = Transaction.objects.filter(
            entries__account=locked,
            state__in=[TransactionState.PENDING, TransactionState.AWAITING_BROKER],
        ).exists()
        if waiting:
            raise CannotTransact(
                f"{locked.name} has exchanges waiting for confirmation: settle them first.",
                code="pending_exchanges",
            )
    before = locked.status
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    account.status = status
    audit_record(
        kind=TimebankAuditKind.ACCOUNT_STATUS_CHANGED,
        actor=actor,
        target=locked,
        before={"status": before},
        after={"status": status},
        note=reason,
    )
    return locked


@transaction.atomic
def account_limits_change(
    *,
    actor: Any,
    account: Account,
    min_balance: int | None,
    max_balance: int | None,
    reason: str,
) -> AccountLimitChange:
    """Set an account's own balance limits (None takes the timebank's). Brokers only; a reason is kept."""
    _require_broker(actor, account.timebank, "change balance limits")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidRequest("Say why the limits are changing.", code="reason_required")
    if min_balance is not None and min_balance > 0:
        raise InvalidRequest("The lowest balance cannot be above zero.", code="bad_limits")
    if max_balance is not None and max_balance < 0:
        raise InvalidRequest("The highest balance cannot be below zero.", code="bad_limits")
    locked = Account.objects.select_for_update().get(pk=account.pk)
    change = AccountLimitChange.objects.create(
        account=locked,
        old_min_balance=locked.min_balance,
        old_max_balance=locked.max_balance,
        new_min_balance=min_balance,
        new_max_balance=max_balance,
        changed_by=actor,
        reason=reason,
    )
    locked.min_balance = min_balance
    locked.max_balance = max_balance
    locked.save(update_fields=["min_balance", "max_balance", "updated_at"])
    account.min_balance, account.max_balance = min_balance, max_balance
    audit_record(
        kind=TimebankAuditKind.ACCOUNT_LIMITS_CHANGED,
        actor=actor,
        target=locked,
        before={"min_balance": change.old_min_balance, "max_balance": change.old_max_balance},
        after={"min_balance": min_balance, "max_balance": max_balance},
        note=reason,
    )
    return change


# --- validation helpers --------------------------------------------------------------------------


def _digest(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _check_minutes(
    timebank: Timebank, minutes: Any, what: str = "The time", most: int = MAX_EXCHANGE_MINUTES
) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise InvalidRequest(f"{what} must be a whole number of minutes.", code="bad_minutes")
    if minutes <= 0:
        raise InvalidRequest(
            f"{what} must be more than zero minutes.",
            code="zero_minutes",
        )
    if minutes > most:
        raise InvalidRequest(
            f"{what} can be at most {minutes_text(most)} ({most} minutes): record longer help "
            "as more than one exchange.",
            code="too_many_minutes",
        )
    step = timebank.rounding_minutes or 1
    if minutes % step:
        raise InvalidRequest(
            f"{what} must be in steps of {step} minutes (for example {step * 4}).",
            code="not_rounded",
        )
    return int(minutes)


def _check_date(service_date: Any) -> dt.date:
    if not isinstance(service_date, dt.date) or isinstance(service_date, dt.datetime):
        raise InvalidRequest("Give the date the help was given.", code="bad_date")
    if service_date > timezone.localdate():
        raise InvalidRequest(
            "The date the help was given cannot be in the future.", code="future_date"
        )
    return service_date


def _check_description(description: Any) -> str:
    text = str(description or "").strip()
    if not text:
        raise InvalidRequest("Say briefly what the help was.", code="description_required")
    if len(text) > DESCRIPTION_MAX:
        raise InvalidRequest(
            f"Keep the description under {DESCRIPTION_MAX} characters.", code="too_long"
        )
    return text


def _check_same_bank(timebank: Timebank, accounts: Iterable[Account]) -> None:
    for account in accounts:
        if account.timebank_id != timebank.pk:
            raise InvalidRequest(
                f"{account.name} belongs to another timebank: exchanges stay within one timebank.",
                code="other_timebank",
            )


def _check_open(accounts: Iterable[Account]) -> None:
    for account in accounts:
        if account.status == AccountStatus.FROZEN:
            raise CannotTransact(
                f"{account.name}'s account is frozen: a broker can tell you why.",
                code="account_frozen",
            )
        if account.status == AccountStatus.CLOSED:
            raise CannotTransact(f"{account.name}'s account is closed.", code="account_closed")


def _check_category(timebank: Timebank, category: Category | None) -> None:
    if category is not None and category.is_goods:
        raise InvalidRequest(
            f"{category.name} is for goods to give away, not for time.", code="goods_category"
        )


def _too_old(timebank: Timebank, service_date: dt.date) -> str:
    limit = timezone.localdate() - dt.timedelta(days=timebank.max_backdate_days)
    if service_date < limit:
        return (
            f"The help was given more than {timebank.max_backdate_days} days ago, "
            "so a broker checks it."
        )
    return ""


def _group_activities_done(account: Account, needed: int) -> int:
    return len(
        Entry.objects.filter(
            account=account,
            amount_minutes__gt=0,
            transaction__kind=TransactionKind.GROUP,
            transaction__state=TransactionState.COMMITTED,
            transaction__reversed_by__isnull=True,
        ).values_list("pk", flat=True)[:needed]
    )


def _members(*accounts: Account) -> list[Member]:
    return [
        account.member
        for account in accounts
        if account.member_id is not None and account.member is not None
    ]


def _check_restrictions(payer: Account, payee: Account, *, home_visit: bool) -> None:
    """Refuse a home visit with a member who must not have one (a broker's restriction)."""
    if not home_visit:
        return
    for member in _members(payer, payee):
        if member.no_home_visits:
            raise CannotTransact(
                f"{member.display_name} cannot take part in home visits: a broker has recorded "
                "'no home visits' for them. Record help given somewhere else, or talk to a broker.",
                code="no_home_visits",
            )


def _accompanied_reasons(payer: Account, payee: Account) -> list[str]:
    return [
        f"{member.display_name} has one-to-one exchanges only with someone else there "
        "(accompanied only), so a broker checks it."
        for member in _members(payer, payee)
        if member.accompanied_only
    ]


def _safeguarding_reasons(
    *, timebank: Timebank, payer: Account, payee: Account, home_visit: bool, on: dt.date
) -> list[str]:
    reasons = _accompanied_reasons(payer, payee)
    vulnerable = [
        account.member
        for account in (payer, payee)
        if account.member is not None and account.member.vulnerable
    ]
    if home_visit or vulnerable:
        why = "a home visit" if home_visit else "with a member who may be vulnerable"
        provider = payee.member
        if provider is None:
            reasons.append(
                f"It is {why} and the help came from an organisation, so a broker checks it."
            )
        elif not home_visit_vetting_clear(member=provider, on=on):
            reasons.append(
                f"It is {why}, and {provider.display_name} has no clear, in-date enhanced DBS check, "
                "so a broker checks it."
            )
    needed = timebank.group_activities_first
    if needed:
        for account in (payer, payee):
            if account.member is None:
                continue
            done = _group_activities_done(account, needed)
            if done < needed:
                reasons.append(
                    f"{account.member.display_name} has taken part in {done} of the {needed} group "
                    "activities new members start with, so a broker arranges one-to-one exchanges."
                )
    return reasons


# --- committing ----------------------------------------------------------------------------------


def _lock(account_ids: Iterable[int], timebank: Timebank | None = None) -> dict[int, Account]:
    """Lock every account row involved, in ascending id order (so two commits never deadlock).

    With ``timebank`` (the one the request already read), its policy and default limits are reused
    rather than joined and read again; an account of another bank still loads its own.
    """
    related = ("member",) if timebank is not None else ("timebank", "member")
    rows = Account.objects.select_for_update(of=("self",)).select_related(*related)
    locked = {
        account.pk: account
        for account in rows.filter(pk__in=sorted(set(account_ids))).order_by("pk")
    }
    if timebank is not None:
        for account in locked.values():
            if account.timebank_id == timebank.pk:
                account.timebank = timebank
    return locked


def _limit_breaches(locked: dict[int, Account], deltas: dict[int, int]) -> list[str]:
    """Accounts a change would take past their limits. A change towards the limits is never refused."""
    breaches = []
    for account_id, delta in deltas.items():
        account = locked[account_id]
        limits = selectors.account_limits(account)
        projected = account.cached_balance + delta
        if delta < 0 and limits.min_balance is not None and projected < limits.min_balance:
            breaches.append(
                f"{account.name} would go to {minutes_text(projected)}, below the lowest "
                f"balance allowed ({minutes_text(limits.min_balance)})."
            )
        if delta > 0 and limits.max_balance is not None and projected > limits.max_balance:
            breaches.append(
                f"{account.name} would go to {minutes_text(projected)}, above the highest "
                f"balance allowed ({minutes_text(limits.max_balance)})."
            )
    return breaches


def _deltas(entries: Sequence[Entry] | Sequence[tuple[int, int]]) -> dict[int, int]:
    deltas: dict[int, int] = {}
    for item in entries:
        account_id, amount = (
            (item.account_id, item.amount_minutes) if isinstance(item, Entry) else item
        )
        deltas[account_id] = deltas.get(account_id, 0) + amount
    return deltas


def _settle(
    tx: Transaction,
    *,
    actor: Any,
    locked: dict[int, Account],
    deltas: dict[int, int],
    approved: bool,
    ignore_limits: bool = False,
) -> None:
    """Commit ``tx`` if its accounts' limits allow (or per the policy). Accounts must be locked."""
    timebank = tx.timebank
    breaches = [] if ignore_limits else _limit_breaches(locked, deltas)
    if breaches:
        text = " ".join(breaches)
        if timebank.limit_policy == LimitPolicy.BLOCK:
            raise CannotTransact(text, code="over_limit")
        if timebank.limit_policy == LimitPolicy.APPROVAL and not approved:
            tx.state = TransactionState.AWAITING_BROKER
            tx.needs_broker_because = " ".join(filter(None, [tx.needs_broker_because, text]))
            return
        tx.flagged = " ".join(filter(None, [tx.flagged, text]))
    changed = []
    for account_id, delta in sorted(deltas.items()):
        account = locked[account_id]
        account.cached_balance += delta
        changed.append(account)
    if len(changed) <= 2:
        # An exchange: a plain UPDATE per account is cheaper to build than bulk_update's CASE.
        for account in changed:
            Account.objects.filter(pk=account.pk).update(cached_balance=account.cached_balance)
    else:
        Account.objects.bulk_update(changed, ["cached_balance"])
    tx.state = TransactionState.COMMITTED
    tx.committed_at = timezone.now()
    if approved and actor is not None and getattr(actor, "is_authenticated", False):
        tx.approved_by = actor


def _audit_tx(kind: str, actor: Any, tx: Transaction, note: str = "", **extra: Any) -> None:
    audit_record(
        kind=kind,
        actor=actor,
        target=tx,
        after={"state": tx.state, "kind": tx.kind, **extra},
        note=note,
    )


def _replay(existing: Transaction, digest: str, actor: Any) -> tuple[Transaction, bool]:
    if existing.request_digest != digest:
        raise Conflict(
            f"An exchange with the id {existing.public_id} was already recorded with different "
            "details. Use a new id for a new exchange.",
            code="replay_mismatch",
        )
    if not selectors.transactions_visible_to(user=actor).filter(pk=existing.pk).exists():
        raise NotAllowed("That id belongs to a transaction you cannot see.")
    return existing, False


def _recorded(client_uuid: UUID) -> Transaction | None:
    """The transaction already recorded with this client id, if any (a replay). The id is unique,
    so no ordering is asked for: the model's default ordering would only cost compiling and sorting."""
    return (
        Transaction.objects.select_related("timebank")
        .filter(public_id=client_uuid)
        .order_by()
        .first()
    )


def _idempotent(client_id: Any) -> UUID:
    try:
        return client_id if isinstance(client_id, UUID) else UUID(str(client_id))
    except (TypeError, ValueError, AttributeError) as error:
        raise InvalidRequest("The id must be a UUID.", code="bad_id") from error


@dataclass
class _Draft:
    """A transaction about to be written: its entries, who must still confirm, and why it waits."""

    kind: str
    timebank: Timebank
    entries: list[tuple[Account, int]]
    description: str
    service_date: dt.date
    digest: str
    category: Category | None = None
    on_behalf_of: Member | None = None
    home_visit: bool = False
    reverses: Transaction | None = None
    reason: str = ""
    broker_reasons: list[str] = field(default_factory=list)


def _write(
    draft: _Draft,
    *,
    actor: Any,
    client_id: UUID,
    decide: Any,
    after: Any = None,
    check_open: bool = True,
) -> tuple[Transaction, bool]:
    """Lock the accounts, replay or write the transaction and its entries, then ``decide`` its state.

    ``decide(tx, locked, deltas)`` commits it (``_settle``) or leaves it waiting; ``after(tx)`` writes
    what goes with a new transaction. One database transaction (a savepoint when nested), so a
    concurrent insert of the same id is answered by the replay rules.
    """
    try:
        with transaction.atomic():
            # A concurrent request with the same id, once it has the locks, fails on the unique
            # public_id below and is answered as a replay.
            locked = _lock((account.pk for account, _ in draft.entries), draft.timebank)
            if check_open:
                _check_open(locked[account.pk] for account, _ in draft.entries)
            tx = Transaction(
                public_id=client_id,
                timebank=draft.timebank,
                kind=draft.kind,
                state=TransactionState.PENDING,
                description=draft.description,
                category=draft.category,
                service_date=draft.service_date,
                recorded_by=actor,
                on_behalf_of=draft.on_behalf_of,
                reverses=draft.reverses,
                reason=draft.reason,
                home_visit=draft.home_visit,
                request_digest=draft.digest,
            )
            deltas = _deltas([(account.pk, amount) for account, amount in draft.entries])
            decide(tx, locked, deltas)
            tx.save(force_insert=True)
            Entry.objects.bulk_create(
                [
                    Entry(transaction=tx, account_id=account.pk, amount_minutes=amount)
                    for account, amount in draft.entries
                ]
            )
            for account, _ in draft.entries:
                account.cached_balance = locked[account.pk].cached_balance
            if after is not None:
                after(tx)
            _audit_tx(
                TimebankAuditKind.TRANSACTION_RECORDED,
                actor,
                tx,
                minutes=sum(amount for _, amount in draft.entries if amount > 0),
                needs_broker_because=tx.needs_broker_because,
                flagged=tx.flagged,
            )
            return tx, True
    except IntegrityError:
        existing = (
            Transaction.objects.select_related("timebank").filter(public_id=client_id).first()
        )
        if existing is None:
            raise
        return _replay(existing, draft.digest, actor)


# --- exchanges -----------------------------------------------------------------------------------


def exchange_record(
    *,
    actor: Any,
    client_id: Any,
    payer: Account,
    payee: Account,
    minutes: int,
    description: str,
    service_date: dt.date,
    category: Category | None = None,
    on_behalf_of: Member | None = None,
    home_visit: bool = False,
) -> tuple[Transaction, bool]:
    """Record that ``payee`` helped ``payer`` for ``minutes``: the payer's account pays the payee's.

    Returns ``(transaction, created)``. The same ``client_id`` with the same details returns the
    existing transaction (``created`` False); with other details it is refused (``replay_mismatch``).
    """
    client_uuid = _idempotent(client_id)
    timebank = payer.timebank
    digest = _digest(
        {
            "kind": TransactionKind.EXCHANGE,
            "payer": payer.public_id,
            "payee": payee.public_id,
            "minutes": minutes,
            "description": str(description or "").strip(),
            "service_date": service_date,
            "category": category.public_id if category else None,
            "on_behalf_of": on_behalf_of.public_id if on_behalf_of else None,
            "home_visit": bool(home_visit),
        }
    )
    existing = _recorded(client_uuid)
    if existing is not None:
        return _replay(existing, digest, actor)

    if payer.pk == payee.pk:
        raise InvalidRequest("An account cannot pay itself.", code="self_payment")
    _check_same_bank(timebank, [payee])
    minutes = _check_minutes(timebank, minutes)
    service_date = _check_date(service_date)
    description = _check_description(description)
    _check_category(timebank, category)
    if on_behalf_of is not None and on_behalf_of.pk not in (payer.member_id, payee.member_id):
        raise InvalidRequest(
            "An exchange can only be recorded on behalf of one of its two members.",
            code="bad_on_behalf_of",
        )

    acts_payer = selectors.account_acts_for(user=actor, account=payer)
    acts_payee = selectors.account_acts_for(user=actor, account=payee)
    # A broker records for others; a broker's own exchanges follow the rules like anyone's.
    broker = not (acts_payer or acts_payee) and selectors.user_is_broker(
        user=actor, timebank=timebank
    )
    if not (acts_payer or acts_payee or broker):
        raise NotAllowed("You can only record exchanges on your own account.")
    _check_restrictions(payer, payee, home_visit=home_visit)
    if broker and on_behalf_of is None:
        on_behalf_of = payer.member or payee.member

    broker_reasons = []
    if not broker:
        broker_reasons = [
            reason
            for reason in [_too_old(timebank, service_date)]
            + _safeguarding_reasons(
                timebank=timebank,
                payer=payer,
                payee=payee,
                home_visit=home_visit,
                on=service_date,
            )
            if reason
        ]
    policy = timebank.confirmation_policy
    draft = _Draft(
        kind=TransactionKind.EXCHANGE,
        timebank=timebank,
        entries=[(payer, -minutes), (payee, minutes)],
        description=description,
        service_date=service_date,
        digest=digest,
        category=category,
        on_behalf_of=on_behalf_of,
        home_visit=bool(home_visit),
    )

    def decide(tx: Transaction, locked: dict[int, Account], deltas: dict[int, int]) -> None:
        if broker:
            _settle(tx, actor=actor, locked=locked, deltas=deltas, approved=True)
        elif broker_reasons:
            tx.state = TransactionState.AWAITING_BROKER
            tx.needs_broker_because = " ".join(broker_reasons)
        elif policy == ConfirmationPolicy.BROKER:
            tx.state = TransactionState.AWAITING_BROKER
            tx.needs_broker_because = f"{timebank.name}'s brokers confirm every exchange."
        elif policy == ConfirmationPolicy.PAYER and acts_payer:
            _settle(tx, actor=actor, locked=locked, deltas=deltas, approved=False)
        else:
            tx.state = TransactionState.PENDING

    def after(tx: Transaction) -> None:
        if tx.state != TransactionState.PENDING:
            return
        # The recorder's own side counts as agreed; the other side (or the payer) confirms.
        Confirmation.objects.bulk_create(
            [
                Confirmation(
                    transaction=tx, account=account, decision=ConfirmationDecision.ACCEPT, by=actor
                )
                for account, acts in ((payer, acts_payer), (payee, acts_payee))
                if acts
            ]
        )

    return _write(draft, actor=actor, client_id=client_uuid, decide=decide, after=after)


def group_activity_record(
    *,
    actor: Any,
    client_id: Any,
    timebank: Timebank,
    attendees: list[Account],
    minutes_each: int,
    description: str,
    service_date: dt.date,
    payer: Account | None = None,
    category: Category | None = None,
) -> tuple[Transaction, bool]:
    """Each attendee of a group activity earns ``minutes_each``, paid by ``payer`` (the timebank's
    issuing account unless another is given). One transaction; all attendees or none."""
    client_uuid = _idempotent(client_id)
    if payer is None:
        _pot, payer = timebank_accounts_ensure(timebank=timebank)
    digest = _digest(
        {
            "kind": TransactionKind.GROUP,
            "timebank": timebank.public_id,
            "payer": payer.public_id,
            "attendees": sorted(str(account.public_id) for account in attendees),
            "minutes_each": minutes_each,
            "description": str(description or "").strip(),
            "service_date": service_date,
            "category": category.public_id if category else None,
        }
    )
    existing = _recorded(client_uuid)
    if existing is not None:
        return _replay(existing, digest, actor)
    if not attendees:
        raise InvalidRequest("A group activity needs at least one attendee.", code="no_attendees")
    if len({account.pk for account in attendees}) != len(attendees):
        raise InvalidRequest(
            "Someone is listed twice among the attendees.", code="duplicate_attendee"
        )
    if any(account.pk == payer.pk for account in attendees):
        raise InvalidRequest("The account paying cannot also attend.", code="self_payment")
    _check_same_bank(timebank, [payer, *attendees])
    minutes_each = _check_minutes(timebank, minutes_each, "Each attendee's time")
    service_date = _check_date(service_date)
    description = _check_description(description)
    _check_category(timebank, category)
    broker = selectors.user_is_broker(user=actor, timebank=timebank)
    if not broker and not selectors.account_acts_for(user=actor, account=payer):
        raise NotAllowed(
            f"Only a broker of {timebank.name} or the paying organisation can record this."
        )
    too_old = "" if broker else _too_old(timebank, service_date)
    draft = _Draft(
        kind=TransactionKind.GROUP,
        timebank=timebank,
        entries=[(payer, -minutes_each * len(attendees))]
        + [(account, minutes_each) for account in attendees],
        description=description,
        service_date=service_date,
        digest=digest,
        category=category,
    )

    def decide(tx: Transaction, locked: dict[int, Account], deltas: dict[int, int]) -> None:
        if too_old:
            tx.state = TransactionState.AWAITING_BROKER
            tx.needs_broker_because = too_old
        else:
            _settle(tx, actor=actor, locked=locked, deltas=deltas, approved=broker)

    return _write(draft, actor=actor, client_id=client_uuid, decide=decide)


def donation_record(
    *,
    actor: Any,
    client_id: Any,
    donor: Account,
    minutes: int,
    description: str = "Donation to the community pot",
    service_date: dt.date | None = None,
) -> tuple[Transaction, bool]:
    """Give minutes from ``donor`` to the timebank's community pot (for members who need more help)."""
    client_uuid = _idempotent(client_id)
    timebank = donor.timebank
    service_date = service_date or timezone.localdate()
    pot, _issuer = timebank_accounts_ensure(timebank=timebank)
    digest = _digest(
        {
            "kind": TransactionKind.DONATION,
            "donor": donor.public_id,
            "minutes": minutes,
            "description": str(description or "").strip(),
            "service_date": service_date,
        }
    )
    existing = _recorded(client_uuid)
    if existing is not None:
        return _replay(existing, digest, actor)
    if donor.pk == pot.pk:
        raise InvalidRequest("The community pot cannot give to itself.", code="self_payment")
    # A member who is leaving may give their whole balance at once, even when it is over a day.
    minutes = _check_minutes(
        timebank, minutes, "A donation", most=max(MAX_EXCHANGE_MINUTES, donor.cached_balance)
    )
    service_date = _check_date(service_date)
    description = _check_description(description)
    broker = selectors.user_is_broker(user=actor, timebank=timebank)
    if not broker and not selectors.account_acts_for(user=actor, account=donor):
        raise NotAllowed("You can only give from your own account.")
    draft = _Draft(
        kind=TransactionKind.DONATION,
        timebank=timebank,
        entries=[(donor, -minutes), (pot, minutes)],
        description=description,
        service_date=service_date,
        digest=digest,
        on_behalf_of=donor.member if broker and donor.member else None,
    )

    def decide(tx: Transaction, locked: dict[int, Account], deltas: dict[int, int]) -> None:
        _settle(tx, actor=actor, locked=locked, deltas=deltas, approved=broker)

    return _write(draft, actor=actor, client_id=client_uuid, decide=decide)


# --- confirming, rejecting, approving ------------------------------------------------------------

WAITING = (TransactionState.PENDING, TransactionState.AWAITING_BROKER)


def _locked_tx(tx: Transaction) -> tuple[Transaction, list[Entry], dict[int, Account]]:
    """Lock the transaction's accounts (ascending ids), then the transaction; reload both."""
    entries = list(Entry.objects.filter(transaction_id=tx.pk).order_by("pk"))
    locked = _lock(entry.account_id for entry in entries)
    fresh = (
        Transaction.objects.select_for_update(of=("self",)).select_related("timebank").get(pk=tx.pk)
    )
    return fresh, entries, locked


def _copy_state(source: Transaction, target: Transaction) -> None:
    for name in (
        "state",
        "committed_at",
        "approved_by_id",
        "needs_broker_because",
        "flagged",
        "updated_at",
    ):
        setattr(target, name, getattr(source, name))


def _sides(entries: list[Entry], locked: dict[int, Account]) -> tuple[Account, Account]:
    payer = next(locked[e.account_id] for e in entries if e.amount_minutes < 0)
    payee = next(locked[e.account_id] for e in entries if e.amount_minutes > 0)
    return payer, payee


@transaction.atomic
def transaction_confirm(*, actor: Any, transaction: Transaction) -> Transaction:
    """A party agrees to a pending exchange; it commits once everyone the policy asks for has agreed."""
    tx, entries, locked = _locked_tx(transaction)
    if tx.state != TransactionState.PENDING:
        raise Conflict(
            f"This exchange is {tx.get_state_display().lower()}, not waiting for you.",
            code="not_pending",
        )
    if tx.kind != TransactionKind.EXCHANGE:
        raise Conflict("Only exchanges wait for the other party.", code="not_pending")
    payer, payee = _sides(entries, locked)
    acting = [a for a in (payer, payee) if selectors.account_acts_for(user=actor, account=a)]
    if not acting:
        if selectors.user_is_broker(user=actor, timebank=tx.timebank):
            return transaction_approve(actor=actor, transaction=transaction)
        raise NotAllowed("Only the people in this exchange (or a broker) can confirm it.")
    agreed = set(
        Confirmation.objects.filter(
            transaction=tx, decision=ConfirmationDecision.ACCEPT
        ).values_list("account_id", flat=True)
    )
    new = [a for a in acting if a.pk not in agreed]
    if not new:
        raise Conflict(
            "You have already agreed to this exchange; it waits for the other person.",
            code="already_confirmed",
        )
    Confirmation.objects.bulk_create(
        [
            Confirmation(transaction=tx, account=a, decision=ConfirmationDecision.ACCEPT, by=actor)
            for a in new
        ]
    )
    agreed |= {a.pk for a in new}
    needed = (
        {payer.pk}
        if tx.timebank.confirmation_policy == ConfirmationPolicy.PAYER
        else {payer.pk, payee.pk}
    )
    if needed <= agreed:
        _check_open(locked.values())
        _check_restrictions(payer, payee, home_visit=tx.home_visit)
        if accompanied := _accompanied_reasons(payer, payee):
            # Restricted after it was recorded: a broker approves it now.
            tx.state = TransactionState.AWAITING_BROKER
            tx.needs_broker_because = " ".join(accompanied)
        else:
            _settle(tx, actor=actor, locked=locked, deltas=_deltas(entries), approved=False)
        tx.save()
    _audit_tx(TimebankAuditKind.TRANSACTION_CONFIRMED, actor, tx)
    _copy_state(tx, transaction)
    return tx


@transaction.atomic
def transaction_approve(*, actor: Any, transaction: Transaction) -> Transaction:
    """A broker approves a waiting transaction: it commits (limits under ``block`` still apply)."""
    tx, entries, locked = _locked_tx(transaction)
    _require_broker(actor, tx.timebank, "approve exchanges")
    if not getattr(actor, "is_superuser", False) and any(
        selectors.account_acts_for(user=actor, account=account) for account in locked.values()
    ):
        raise NotAllowed("Another broker approves exchanges you are part of.")
    if tx.state not in WAITING:
        raise Conflict(
            f"This transaction is {tx.get_state_display().lower()}, not waiting for approval.",
            code="not_pending",
        )
    _check_open(locked.values())
    if tx.kind == TransactionKind.EXCHANGE:
        _check_restrictions(*_sides(entries, locked), home_visit=tx.home_visit)
    Confirmation.objects.create(
        transaction=tx, account=None, decision=ConfirmationDecision.ACCEPT, by=actor
    )
    _settle(tx, actor=actor, locked=locked, deltas=_deltas(entries), approved=True)
    tx.save()
    _audit_tx(TimebankAuditKind.TRANSACTION_APPROVED, actor, tx)
    _copy_state(tx, transaction)
    return tx


@transaction.atomic
def transaction_reject(*, actor: Any, transaction: Transaction, reason: str) -> Transaction:
    """A party or a broker turns down a waiting transaction (the person who recorded it withdraws it)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidRequest("Say why the exchange is turned down.", code="reason_required")
    tx, entries, locked = _locked_tx(transaction)
    if tx.state not in WAITING:
        raise Conflict(
            f"This transaction is {tx.get_state_display().lower()}, so it cannot be turned down.",
            code="not_pending",
        )
    acting = [
        locked[e.account_id]
        for e in entries
        if selectors.account_acts_for(user=actor, account=locked[e.account_id])
    ]
    broker = selectors.user_is_broker(user=actor, timebank=tx.timebank)
    if not acting and not broker:
        raise NotAllowed("Only the people in this exchange (or a broker) can turn it down.")
    tx.state = (
        TransactionState.CANCELLED
        if tx.recorded_by_id == actor.pk and not broker
        else TransactionState.REJECTED
    )
    tx.reason = reason
    tx.save(update_fields=["state", "reason", "updated_at"])
    Confirmation.objects.create(
        transaction=tx,
        account=acting[0] if acting else None,
        decision=ConfirmationDecision.REJECT,
        by=actor,
        note=reason,
    )
    _audit_tx(TimebankAuditKind.TRANSACTION_REJECTED, actor, tx, note=reason)
    _copy_state(tx, transaction)
    transaction.reason = reason
    return tx


# --- reversals -----------------------------------------------------------------------------------


def transaction_reverse_or_replay(
    *, actor: Any, transaction: Transaction, reason: str, client_id: Any
) -> tuple[Transaction, bool]:
    """Reverse a committed transaction with one that negates each entry. Returns (reversal, created).

    A broker may reverse any committed transaction; the payer may undo an exchange within
    ``PAYER_REVERSAL_WINDOW`` of it counting. A reason is required and both parties see it.
    """
    client_uuid = _idempotent(client_id)
    reason = (reason or "").strip()
    digest = _digest(
        {"kind": TransactionKind.REVERSAL, "reverses": transaction.public_id, "reason": reason}
    )
    existing = _recorded(client_uuid)
    if existing is not None:
        return _replay(existing, digest, actor)
    if not reason:
        raise InvalidRequest("Say why the transaction is being reversed.", code="reason_required")
    original = Transaction.objects.select_related("timebank").get(pk=transaction.pk)
    if original.state != TransactionState.COMMITTED:
        raise Conflict("Only a confirmed transaction can be reversed.", code="not_committed")
    if original.kind == TransactionKind.REVERSAL:
        raise Conflict(
            "A reversal cannot itself be reversed: record a new exchange instead.",
            code="not_reversible",
        )
    if Transaction.objects.filter(reverses=original).exists():
        raise Conflict("This transaction has already been reversed.", code="already_reversed")
    timebank = original.timebank
    entries = list(Entry.objects.filter(transaction=original).select_related("account"))
    broker = selectors.user_is_broker(user=actor, timebank=timebank)
    if not broker:
        payers = [e.account for e in entries if e.amount_minutes < 0]
        is_payer = original.kind == TransactionKind.EXCHANGE and any(
            selectors.account_acts_for(user=actor, account=a) for a in payers
        )
        in_window = (
            original.committed_at is not None
            and timezone.now() - original.committed_at <= PAYER_REVERSAL_WINDOW
        )
        if not (is_payer and in_window):
            raise NotAllowed(
                "Only a broker can reverse this (the person who paid can undo an exchange "
                "within a day of recording it)."
            )
    draft = _Draft(
        kind=TransactionKind.REVERSAL,
        timebank=timebank,
        entries=[(e.account, -e.amount_minutes) for e in entries],
        description=f"Reversal: {original.description}"[:DESCRIPTION_MAX],
        service_date=timezone.localdate(),
        digest=digest,
        category=original.category,
        on_behalf_of=original.on_behalf_of,
        reverses=original,
        reason=reason,
    )

    def decide(tx: Transaction, locked: dict[int, Account], deltas: dict[int, int]) -> None:
        # Lock the original too, so two reversals of it cannot both pass the check above.
        Transaction.objects.select_for_update(of=("self",)).filter(pk=original.pk).first()
        if Transaction.objects.filter(reverses=original).exists():
            raise Conflict("This transaction has already been reversed.", code="already_reversed")
        if not broker:
            _check_open(locked.values())
        else:
            for account in locked.values():
                if account.status == AccountStatus.CLOSED:
                    raise CannotTransact(
                        f"{account.name}'s account is closed.", code="account_closed"
                    )
        # A correction is never refused for limits: it is flagged instead when it breaks one.
        breaches = _limit_breaches(locked, deltas)
        tx.flagged = " ".join(breaches)
        _settle(tx, actor=actor, locked=locked, deltas=deltas, approved=broker, ignore_limits=True)

    try:
        return _write(
            draft, actor=actor, client_id=client_uuid, decide=decide, check_open=not broker
        )
    except IntegrityError as error:
        raise Conflict(
            "This transaction has already been reversed.", code="already_reversed"
        ) from error


def transaction_reverse(
    *, actor: Any, transaction: Transaction, reason: str, client_id: Any
) -> Transaction:
    """Reverse a committed transaction (see ``transaction_reverse_or_replay``); returns the reversal."""
    reversal, _created = transaction_reverse_or_replay(
        actor=actor, transaction=transaction, reason=reason, client_id=client_id
    )
    return reversal


# --- auto-confirmation ---------------------------------------------------------------------------


@dataclass
class AutoConfirmResult:
    committed: list[Transaction] = field(default_factory=list)
    sent_to_broker: list[Transaction] = field(default_factory=list)
    refused: list[tuple[Transaction, str]] = field(default_factory=list)


def transactions_auto_confirm(*, today: dt.date | None = None) -> AutoConfirmResult:
    """Commit pending exchanges of ``auto`` timebanks once ``auto_confirm_after_days`` have passed."""
    today = today or timezone.localdate()
    result = AutoConfirmResult()
    waiting = (
        Transaction.objects.filter(
            state=TransactionState.PENDING,
            kind=TransactionKind.EXCHANGE,
            timebank__confirmation_policy=ConfirmationPolicy.AUTO,
            timebank__auto_confirm_after_days__isnull=False,
        )
        .select_related("timebank")
        .order_by("created_at", "pk")
    )
    for candidate in waiting:
        days = candidate.timebank.auto_confirm_after_days or 0
        if timezone.localdate(candidate.created_at) + dt.timedelta(days=days) > today:
            continue
        try:
            with transaction.atomic():
                tx, entries, locked = _locked_tx(candidate)
                if tx.state != TransactionState.PENDING:
                    continue
                _check_open(locked.values())
                payer, payee = _sides(entries, locked)
                _check_restrictions(payer, payee, home_visit=tx.home_visit)
                if accompanied := _accompanied_reasons(payer, payee):
                    tx.state = TransactionState.AWAITING_BROKER
                    tx.needs_broker_because = " ".join(accompanied)
                else:
                    _settle(tx, actor=None, locked=locked, deltas=_deltas(entries), approved=False)
                tx.save()
                _audit_tx(
                    TimebankAuditKind.TRANSACTION_CONFIRMED,
                    None,
                    tx,
                    note=f"Counted automatically after {days} days.",
                )
        except LedgerError as error:
            result.refused.append((candidate, error.message))
            continue
        if tx.state == TransactionState.COMMITTED:
            result.committed.append(tx)
        else:
            result.sent_to_broker.append(tx)
    return result


# The API and pages resolve ids through these, so unknown ids are refused the same way everywhere.


def account_require(*, public_id: Any) -> Account:
    account = selectors.account_get(public_id=public_id)
    if account is None:
        raise UnknownRecord(f"No account has the id {public_id}.", code="unknown_account")
    return account


def accounts_require(*, public_ids: Sequence[Any]) -> list[Account]:
    """The accounts with these ids, in the same order, in one query; refuses an unknown id."""
    found = {
        account.public_id: account
        # No ordering: the answer is a dict, and the default ordering joins and sorts for nothing.
        for account in Account.objects.select_related("timebank", "member")
        .filter(public_id__in=list(public_ids))
        .order_by()
    }
    for public_id in public_ids:
        if public_id not in found:
            raise UnknownRecord(f"No account has the id {public_id}.", code="unknown_account")
    return [found[public_id] for public_id in public_ids]
