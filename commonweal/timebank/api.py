"""JSON API of the timebank's ledger, mounted at /api/timebank/ (``Authorization: Bearer TOKEN``).

Members act only on their own accounts (a member's account, or an organisation's account for its
representatives); brokers act for anyone in their timebank. Creating an exchange is idempotent on the
client's ``id``: the same ``id`` and body again answers 200 with the existing exchange; the same ``id``
with another body answers 409. Refusals answer ``{"error": {"status", "message", "code"}}`` with a
stable ``code`` (see ``commonweal.timebank.exceptions``). Every write goes through
``commonweal.timebank.ledger``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from commonweal.accounts.api import BearerTokenAuth
from commonweal.timebank import ledger, selectors
from commonweal.timebank.constants import MAX_EXCHANGE_MINUTES
from commonweal.timebank.exceptions import InvalidRequest, LedgerError, UnknownRecord
from commonweal.timebank.models import Account, Category, Entry, Timebank, Transaction

router = Router(tags=["timebank"], auth=BearerTokenAuth())

PER_PAGE_MAX = 200


# --- schemas -------------------------------------------------------------------------------------


class ErrorBody(Schema):
    status: int
    message: str
    code: str = Field(
        description=(
            "Stable, for programs to act on. Among them: zero_minutes, bad_minutes, "
            "too_many_minutes (over 24 hours in one exchange), future_date, "
            "self_payment, unknown_account, other_timebank, account_frozen, account_closed, "
            "over_limit, no_home_visits (a home visit with a member who has none), "
            "replay_mismatch (the same id with a different body: 409), not_allowed."
        )
    )


class ErrorOutput(Schema):
    error: ErrorBody


class AccountRef(Schema):
    id: UUID
    name: str
    kind: str


class EntryOutput(Schema):
    account: AccountRef
    minutes: int = Field(description="Signed: negative pays, positive earns.")


class ExchangeOutput(Schema):
    id: UUID = Field(description="The client's UUID that created it.")
    timebank: str = Field(description="The timebank's slug.")
    kind: str
    state: str = Field(description="pending, awaiting_broker, committed, rejected or cancelled.")
    payer: AccountRef | None = Field(description="Who received the help and pays (one payer).")
    payee: AccountRef | None = Field(description="Who gave the help and earns (one payee).")
    minutes: int = Field(description="Minutes that move (the sum of the positive entries).")
    entries: list[EntryOutput]
    description: str
    service_date: dt.date
    category: str | None = Field(description="The category's slug.")
    home_visit: bool
    recorded_by: str
    on_behalf_of: str | None
    needs_broker_because: str
    flagged: str
    reason: str = Field(description="Why it was reversed or turned down.")
    reverses: UUID | None
    reversed_by: UUID | None
    created_at: dt.datetime
    committed_at: dt.datetime | None


class ExchangePage(Schema):
    items: list[ExchangeOutput]
    total: int
    page: int
    per_page: int


class ExchangeInput(Schema):
    id: UUID = Field(description="A UUID the client makes: sending it again never records twice.")
    payer: UUID = Field(description="The account that received the help and pays.")
    payee: UUID = Field(description="The account that gave the help and earns.")
    minutes: int = Field(
        description=(
            "Whole minutes, in the timebank's steps (usually 15), at most "
            f"{MAX_EXCHANGE_MINUTES} (24 hours): more is refused with too_many_minutes."
        ),
        json_schema_extra={"minimum": 1, "maximum": MAX_EXCHANGE_MINUTES},
    )
    description: str = Field(max_length=2000)
    service_date: dt.date = Field(description="When the help was given; not in the future.")
    category: str | None = Field(default=None, description="A category's slug or id.")
    home_visit: bool = False


class RejectInput(Schema):
    reason: str = Field(max_length=2000)


class ReverseInput(Schema):
    id: UUID = Field(
        description="A new UUID for the reversal (sending it again never reverses twice)."
    )
    reason: str = Field(max_length=2000)


class AccountOutput(Schema):
    id: UUID
    name: str
    kind: str
    status: str
    timebank: str
    balance: int = Field(description="Minutes: the sum of committed entries.")
    min_balance: int | None = Field(description="Lowest balance allowed (minutes), if any.")
    max_balance: int | None = Field(description="Highest balance allowed (minutes), if any.")


class StatementLine(Schema):
    exchange: UUID
    kind: str
    service_date: dt.date
    description: str
    category: str | None
    minutes: int
    balance_after: int
    reason: str
    reverses: UUID | None


class StatementOutput(Schema):
    account: UUID
    since: dt.date | None
    until: dt.date | None
    opening_balance: int
    closing_balance: int
    total: int
    page: int
    per_page: int
    items: list[StatementLine]


class PageParams(Schema):
    page: int = Field(default=1, ge=1)
    per_page: int = Field(default=50, ge=1, le=PER_PAGE_MAX)


class ExchangeFilters(PageParams):
    timebank: str | None = Field(default=None, description="A timebank's slug.")
    state: str | None = None


class StatementFilters(PageParams):
    since: dt.date | None = None
    until: dt.date | None = None


REFUSALS: dict[int, type[Schema]] = {
    400: ErrorOutput,
    403: ErrorOutput,
    404: ErrorOutput,
    409: ErrorOutput,
    422: ErrorOutput,
}


# --- helpers -------------------------------------------------------------------------------------


def _refusal(error: LedgerError) -> Status[dict[str, Any]]:
    return Status(
        error.status,
        {"error": {"status": error.status, "message": error.message, "code": error.code}},
    )


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _ref(account: Account) -> dict[str, Any]:
    return {"id": account.public_id, "name": account.name, "kind": account.kind}


def _with_entries(transactions: QuerySet[Transaction]) -> QuerySet[Transaction]:
    return transactions.select_related(
        "timebank", "category", "recorded_by", "on_behalf_of", "reverses", "reversed_by"
    ).prefetch_related(
        Prefetch(
            "entries", queryset=Entry.objects.select_related("account").order_by("amount_minutes")
        )
    )


def _exchange(tx: Transaction) -> dict[str, Any]:
    written = getattr(tx, "entries_written", None)
    entries = (
        [Entry(account=account, amount_minutes=amount) for account, amount in written]
        if written is not None
        else list(tx.entries.all())
    )
    payers = [e.account for e in entries if e.amount_minutes < 0]
    payees = [e.account for e in entries if e.amount_minutes > 0]
    reversed_by = None if written is not None else getattr(tx, "reversed_by", None)
    return {
        "id": tx.public_id,
        "timebank": tx.timebank.slug,
        "kind": tx.kind,
        "state": tx.state,
        "payer": _ref(payers[0]) if len(payers) == 1 else None,
        "payee": _ref(payees[0]) if len(payees) == 1 else None,
        "minutes": sum(e.amount_minutes for e in entries if e.amount_minutes > 0),
        "entries": [{"account": _ref(e.account), "minutes": e.amount_minutes} for e in entries],
        "description": tx.description,
        "service_date": tx.service_date,
        "category": tx.category.slug if tx.category else None,
        "home_visit": tx.home_visit,
        "recorded_by": tx.recorded_by.get_full_name(),
        "on_behalf_of": tx.on_behalf_of.display_name if tx.on_behalf_of else None,
        "needs_broker_because": tx.needs_broker_because,
        "flagged": tx.flagged,
        "reason": tx.reason,
        "reverses": tx.reverses.public_id if tx.reverses else None,
        "reversed_by": reversed_by.public_id if reversed_by else None,
        "created_at": tx.created_at,
        "committed_at": tx.committed_at,
    }


def _reload(tx: Transaction) -> dict[str, Any]:
    return _exchange(_with_entries(Transaction.objects.filter(pk=tx.pk)).get())


def _category(value: str | None) -> Category | None:
    if not value:
        return None
    try:
        found = Category.objects.filter(public_id=UUID(value)).first()
    except ValueError:
        found = Category.objects.filter(slug=value).first()
    if found is None:
        raise InvalidRequest(f"There is no category {value!r}.", code="unknown_category")
    return found


def _visible_exchange(request: HttpRequest, exchange_id: UUID) -> Transaction:
    tx = selectors.transaction_get_visible(user=_user(request), public_id=exchange_id)
    if tx is None:
        raise UnknownRecord(
            f"No exchange you can see has the id {exchange_id}.", code="unknown_exchange"
        )
    return tx


def _visible_account(request: HttpRequest, account_id: UUID) -> Account:
    account = selectors.account_get(public_id=account_id)
    if account is None or not selectors.account_can_view(user=_user(request), account=account):
        raise UnknownRecord(f"No account you can see has the id {account_id}.")
    return account


# --- exchanges -----------------------------------------------------------------------------------


@router.get(
    "/exchanges",
    response={200: ExchangePage, **REFUSALS},
    url_name="timebank_exchange_list",
    summary="Exchanges you can see, newest first",
)
def exchange_list(request: HttpRequest, filters: Query[ExchangeFilters]) -> Any:
    """Members see the exchanges of their own accounts; brokers every exchange of their timebank."""
    timebank = None
    if filters.timebank:
        timebank = Timebank.objects.filter(slug=filters.timebank).first()
        if timebank is None:
            return _refusal(
                UnknownRecord(
                    f"No timebank has the slug {filters.timebank!r}.", code="unknown_timebank"
                )
            )
    transactions = selectors.transactions_visible_to(user=_user(request), timebank=timebank)
    if filters.state:
        transactions = transactions.filter(state=filters.state)
    transactions = transactions.order_by("-created_at", "-id")
    total = transactions.count()
    offset = (filters.page - 1) * filters.per_page
    rows = _with_entries(transactions)[offset : offset + filters.per_page]
    return Status(
        200,
        {
            "items": [_exchange(tx) for tx in rows],
            "total": total,
            "page": filters.page,
            "per_page": filters.per_page,
        },
    )


@router.post(
    "/exchanges",
    response={200: ExchangeOutput, 201: ExchangeOutput, **REFUSALS},
    url_name="timebank_exchange_create",
    summary="Record an exchange (idempotent on its id)",
)
def exchange_create(request: HttpRequest, body: ExchangeInput) -> Any:
    """201 when recorded; 200 with the existing exchange when the same ``id`` and body come again
    (after a lost response); 409 when the ``id`` was used with other details."""
    try:
        payer, payee = ledger.accounts_require(public_ids=[body.payer, body.payee])
        tx, created = ledger.exchange_record(
            actor=_user(request),
            client_id=body.id,
            payer=payer,
            payee=payee,
            minutes=body.minutes,
            description=body.description,
            service_date=body.service_date,
            category=_category(body.category),
            home_visit=body.home_visit,
        )
    except LedgerError as error:
        return _refusal(error)
    if created:
        # Everything the answer shows is at hand: no need to read it back.
        tx.entries_written = [(payer, -body.minutes), (payee, body.minutes)]  # type: ignore[attr-defined]
        return Status(201, _exchange(tx))
    return Status(200, _reload(tx))


@router.get(
    "/exchanges/{exchange_id}",
    response={200: ExchangeOutput, **REFUSALS},
    url_name="timebank_exchange_get",
    summary="One exchange",
)
def exchange_get(request: HttpRequest, exchange_id: UUID) -> Any:
    try:
        return Status(200, _reload(_visible_exchange(request, exchange_id)))
    except LedgerError as error:
        return _refusal(error)


@router.post(
    "/exchanges/{exchange_id}/confirm",
    response={200: ExchangeOutput, **REFUSALS},
    url_name="timebank_exchange_confirm",
    summary="Agree to a pending exchange",
)
def exchange_confirm(request: HttpRequest, exchange_id: UUID) -> Any:
    try:
        tx = _visible_exchange(request, exchange_id)
        ledger.transaction_confirm(actor=_user(request), transaction=tx)
    except LedgerError as error:
        return _refusal(error)
    return Status(200, _reload(tx))


@router.post(
    "/exchanges/{exchange_id}/reject",
    response={200: ExchangeOutput, **REFUSALS},
    url_name="timebank_exchange_reject",
    summary="Turn down (or withdraw) a pending exchange",
)
def exchange_reject(request: HttpRequest, exchange_id: UUID, body: RejectInput) -> Any:
    try:
        tx = _visible_exchange(request, exchange_id)
        ledger.transaction_reject(actor=_user(request), transaction=tx, reason=body.reason)
    except LedgerError as error:
        return _refusal(error)
    return Status(200, _reload(tx))


@router.post(
    "/exchanges/{exchange_id}/reverse",
    response={200: ExchangeOutput, 201: ExchangeOutput, **REFUSALS},
    url_name="timebank_exchange_reverse",
    summary="Reverse a committed exchange (brokers; the payer within a day)",
)
def exchange_reverse(request: HttpRequest, exchange_id: UUID, body: ReverseInput) -> Any:
    """Answers with the reversal: 201 when made, 200 when the same reversal ``id`` comes again."""
    try:
        tx = _visible_exchange(request, exchange_id)
        reversal, created = ledger.transaction_reverse_or_replay(
            actor=_user(request), transaction=tx, reason=body.reason, client_id=body.id
        )
    except LedgerError as error:
        return _refusal(error)
    return Status(201 if created else 200, _reload(reversal))


# --- accounts ------------------------------------------------------------------------------------


@router.get(
    "/accounts/{account_id}",
    response={200: AccountOutput, **REFUSALS},
    url_name="timebank_account_get",
    summary="An account's balance and limits",
)
def account_get(request: HttpRequest, account_id: UUID) -> Any:
    try:
        account = _visible_account(request, account_id)
    except LedgerError as error:
        return _refusal(error)
    limits = selectors.account_limits(account)
    return Status(
        200,
        {
            "id": account.public_id,
            "name": account.name,
            "kind": account.kind,
            "status": account.status,
            "timebank": account.timebank.slug,
            "balance": account.cached_balance,
            "min_balance": limits.min_balance,
            "max_balance": limits.max_balance,
        },
    )


@router.get(
    "/accounts/{account_id}/statement",
    response={200: StatementOutput, **REFUSALS},
    url_name="timebank_account_statement",
    summary="An account's statement with a running balance (date order, paginated)",
)
def account_statement(
    request: HttpRequest, account_id: UUID, filters: Query[StatementFilters]
) -> Any:
    try:
        account = _visible_account(request, account_id)
    except LedgerError as error:
        return _refusal(error)
    statement = selectors.account_statement(account, since=filters.since, until=filters.until)
    total = statement.entries.count()
    offset = (filters.page - 1) * filters.per_page
    lines = statement.entries[offset : offset + filters.per_page]
    return Status(
        200,
        {
            "account": account.public_id,
            "since": filters.since,
            "until": filters.until,
            "opening_balance": statement.opening_balance,
            "closing_balance": statement.closing_balance,
            "total": total,
            "page": filters.page,
            "per_page": filters.per_page,
            "items": [
                {
                    "exchange": line.transaction.public_id,
                    "kind": line.transaction.kind,
                    "service_date": line.transaction.service_date,
                    "description": line.transaction.description,
                    "category": line.transaction.category.slug
                    if line.transaction.category
                    else None,
                    "minutes": line.amount_minutes,
                    "balance_after": line.balance_after,  # type: ignore[attr-defined]
                    "reason": line.transaction.reason,
                    "reverses": (
                        line.transaction.reverses.public_id if line.transaction.reverses else None
                    ),
                }
                for line in lines
            ],
        },
    )
