"""An organisation's timebank account, for the people who act for it (its group representatives).

A school or a community hub holds an account like a member: its representatives see its balance and
statement, record exchanges between the organisation and members, confirm exchanges members recorded
with it, and see the organisation's offers and needs on the gift board. Everyone else is refused with
the reason. Writes go through ``commonweal.timebank.ledger`` only.
"""

from __future__ import annotations

import csv
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from commonweal.accounts.decorators import forbidden, sensitive_view
from commonweal.core.spreadsheets import csv_safe
from commonweal.timebank import ledger, selectors
from commonweal.timebank.member_forms import OrganisationExchangeForm
from commonweal.timebank.member_selectors import (
    account_exchanges_to_confirm,
    account_exchanges_waiting,
    member_for_user,
    organisation_account_get,
    organisation_accounts_for,
    organisation_posts,
    statement_rows,
    transaction_get,
)
from commonweal.timebank.membership import can_use_organisation_account
from commonweal.timebank.models import Account
from commonweal.timebank.templatetags.timebank_members import minutes_as_hmm
from commonweal.timebank.views.members import (
    REJECT_REASON,
    STATEMENT_ROWS_ON_DASHBOARD,
    _confirm_rows,
    _recorded_message,
    _timebank_or_404,
    _user,
)


def organisation_view(view: Any) -> Any:
    """A page of one organisation account: sign-in, never cached, its representatives only."""

    def wrapper(request: HttpRequest, slug: str, public_id: UUID, **kwargs: Any) -> HttpResponse:
        timebank = _timebank_or_404(slug)
        account = organisation_account_get(timebank=timebank, public_id=public_id)
        if account is None:
            raise Http404("No such organisation account")
        decision = can_use_organisation_account(request.user, account)
        if not decision:
            return forbidden(request, decision)
        return view(request, account, **kwargs)  # type: ignore[no-any-return]

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    guarded: Any = sensitive_view(never_cache(wrapper))
    guarded.required_roles = tuple(str(role) for role in selectors.ORGANISATION_ACCOUNT_ROLES)
    return guarded


def _url(account: Account, name: str = "organisation_account") -> str:
    return reverse(f"timebank:{name}", args=[account.timebank.slug, account.public_id])


@require_GET
@sensitive_view
def organisation_list(request: HttpRequest) -> HttpResponse:
    """The organisation accounts the signed-in person looks after (one goes straight to it)."""
    accounts = list(organisation_accounts_for(user=_user(request)))
    if len(accounts) == 1:
        return redirect(_url(accounts[0]))
    return render(request, "timebank/organisations/list.html", {"accounts": accounts})


def _render(
    request: HttpRequest, account: Account, form: OrganisationExchangeForm, status: int = 200
) -> HttpResponse:
    context = {
        "account": account,
        "timebank": account.timebank,
        "organisation": account.organisation,
        "balance": selectors.account_balance(account),
        "limits": selectors.account_limits(account),
        "statement": statement_rows(account=account, limit=STATEMENT_ROWS_ON_DASHBOARD),
        "to_confirm": _confirm_rows(account, account_exchanges_to_confirm(account=account)),
        "waiting": list(account_exchanges_waiting(account=account)),
        "posts": list(organisation_posts(account=account)),
        "can_post": member_for_user(user=request.user, slug=account.timebank.slug) is not None,
        "form": form,
    }
    return render(request, "timebank/organisations/account.html", context, status=status)


@require_GET
@organisation_view
def organisation_account(request: HttpRequest, account: Account) -> HttpResponse:
    """Balance, exchanges to confirm, recording an exchange, recent statement, offers and needs."""
    return _render(request, account, OrganisationExchangeForm(account=account))


@require_POST
@organisation_view
def organisation_record(request: HttpRequest, account: Account) -> HttpResponse:
    """Record an exchange between the organisation and a member, on the organisation's behalf."""
    form = OrganisationExchangeForm(request.POST, account=account)
    if form.is_valid():
        data = form.cleaned_data
        member_account: Account = data["member"]
        received = data["direction"] == "received"
        try:
            transaction, _created = ledger.exchange_record(
                actor=_user(request),
                client_id=data["client_id"],
                payer=account if received else member_account,
                payee=member_account if received else account,
                minutes=data["total_minutes"],
                description=data["description"],
                service_date=data["service_date"],
                category=data["category"],
                home_visit=data["home_visit"],
            )
        except ledger.LedgerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _recorded_message(transaction))
            return redirect(_url(account))
    return _render(request, account, form, status=400)


@require_POST
@organisation_view
def organisation_answer(
    request: HttpRequest, account: Account, transaction_id: UUID
) -> HttpResponse:
    """Confirm, or say it did not happen like that, for an exchange a member recorded with us."""
    transaction = transaction_get(timebank=account.timebank, public_id=transaction_id)
    if transaction is None or not transaction.entries.filter(account=account).exists():
        raise Http404("No such exchange")
    decision = request.POST.get("decision")
    user = _user(request)
    try:
        if decision == "confirm":
            ledger.transaction_confirm(actor=user, transaction=transaction)
            messages.success(request, "Thank you: the exchange is confirmed.")
        elif decision == "reject":
            reason = request.POST.get("reason", "").strip() or REJECT_REASON
            ledger.transaction_reject(actor=user, transaction=transaction, reason=reason)
            messages.success(request, "You have said the exchange did not happen like that.")
        else:
            messages.error(request, "Choose to confirm or reject the exchange.")
    except ledger.LedgerError as error:
        messages.error(request, str(error))
    return redirect(_url(account))


@require_GET
@organisation_view
def organisation_statement(request: HttpRequest, account: Account) -> HttpResponse:
    """The organisation's full statement, printable."""
    context = {
        "account": account,
        "timebank": account.timebank,
        "organisation": account.organisation,
        "balance": selectors.account_balance(account),
        "statement": statement_rows(account=account),
        "today": timezone.localdate(),
    }
    return render(request, "timebank/organisations/statement.html", context)


@require_GET
@organisation_view
def organisation_statement_csv(request: HttpRequest, account: Account) -> HttpResponse:
    """The organisation's statement as a spreadsheet (CSV)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    today = timezone.localdate()
    name = f"timebank-statement-{account.timebank.slug}-{account.public_id}-{today:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(
        ["Date", "What", "With", "Kind", "Minutes", "Hours (h:mm)", "Balance (h:mm)", "Reason"]
    )
    for row in statement_rows(account=account):
        writer.writerow(
            [
                row.service_date.isoformat(),
                csv_safe(row.description),
                csv_safe(row.counterparty),
                row.kind_label,
                row.amount_minutes,
                minutes_as_hmm(row.amount_minutes),
                minutes_as_hmm(row.balance_after),
                csv_safe(row.reason),
            ]
        )
    return response
